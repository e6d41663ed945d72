import assert from "node:assert/strict";
import { test } from "node:test";
import { mccGroupOf, mccGroups } from "./mcc-group.ts";

test("codes map to the group of the fraud pattern they serve", () => {
  const expected = {
    "5732": "resellable", // Electronics Stores
    "6540": "resellable", // Stored Value Card Purchase/Load
    "7922": "resellable", // Ticket Agencies
    "6051": "quasi_cash",
    "4829": "money_transfer",
    "6537": "money_transfer",
    "7995": "gambling",
    "6011": "cash",
    "3001": "travel", // an airline
    "3700": "travel", // a hotel chain
    "4511": "travel",
    "7011": "travel",
    "5816": "digital_goods",
    "5411": "everyday",
    "5812": "everyday",
    "5999": "other", // Miscellaneous and Specialty Retail: too broad to mean anything alone
    "0742": "other",
  } as const;
  for (const [mcc, group] of Object.entries(expected)) {
    assert.equal(mccGroupOf(mcc), group, mcc);
  }
});

test("every group has codes, and every four-digit code has exactly one group", () => {
  const seen = new Set<string>();
  for (let code = 0; code < 10_000; code++) {
    seen.add(mccGroupOf(String(code).padStart(4, "0")));
  }
  assert.deepEqual([...seen].sort(), [...mccGroups].sort());
});

test("an MCC that is not four digits is a bug, since the edge checks it", () => {
  assert.throws(() => mccGroupOf("541"), /four digits/);
  assert.throws(() => mccGroupOf("54a1"), /four digits/);
});
