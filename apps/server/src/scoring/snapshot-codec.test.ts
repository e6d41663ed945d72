import assert from "node:assert/strict";
import { test } from "node:test";
import { featureSchema } from "./features/index.ts";
import { decodeSnapshot, encodeSnapshot, featureSchemaVersion } from "./snapshot-codec.ts";

const names = Object.keys(featureSchema);

/** A stored snapshot of the current version with every value at its type's plain default. */
function currentStored(): (number | string | boolean)[] {
  return [
    featureSchemaVersion,
    ...names.map((name) => {
      const type = featureSchema[name as keyof typeof featureSchema];
      return type === "number" ? 1 : type === "bool" ? true : "x";
    }),
  ];
}

test("a snapshot decodes to what was encoded", () => {
  const snapshot = decodeSnapshot(currentStored());
  assert.deepEqual(decodeSnapshot(encodeSnapshot(snapshot)), snapshot);
});

test("decisions recorded before the allow window, step-up and the model replay with those features off", () => {
  const current = currentStored();
  const v3 = [3, ...current.slice(1, -1)];
  const v2 = [2, ...current.slice(1, -2)];
  const v1 = [1, ...current.slice(1, -3)];
  assert.equal(decodeSnapshot(v3)["model.score"], 0);
  assert.equal(decodeSnapshot(v3)["threeDs.status"], current.at(-2));
  assert.equal(decodeSnapshot(v2)["threeDs.status"], "none");
  assert.equal(decodeSnapshot(v2)["card.isAllowedMerchant"], true);
  assert.equal(decodeSnapshot(v1)["threeDs.status"], "none");
  assert.equal(decodeSnapshot(v1)["card.isAllowedMerchant"], false);
  assert.throws(() => decodeSnapshot([2, ...current.slice(1)]), /every feature of its time/);
  assert.throws(() => decodeSnapshot([3, ...current.slice(1)]), /every feature of its time/);
  assert.throws(() => decodeSnapshot([99, ...current.slice(1)]), /is known/);
});
