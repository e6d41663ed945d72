import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import { createSeededRandom } from "../platform/random.ts";
import { type CardNetwork, cardNetworkOf } from "./card-networks.ts";
import { isLuhnValid, withLuhnCheckDigit } from "./pan.ts";
import { generateCvv, generateReplacementPan, replacementPrefixLength } from "./replacement-card.ts";

/** Each network's IIN prefixes with the lengths it issues. */
const shapes: { prefix: string; length: number }[] = [
  { prefix: "4", length: 13 },
  { prefix: "4", length: 16 },
  { prefix: "4", length: 19 },
  { prefix: "51", length: 16 },
  { prefix: "2221", length: 16 },
  { prefix: "34", length: 15 },
  { prefix: "37", length: 15 },
  { prefix: "3528", length: 16 },
  { prefix: "3589", length: 19 },
  { prefix: "36", length: 14 },
  { prefix: "6011", length: 16 },
  { prefix: "6011", length: 19 },
  { prefix: "65", length: 16 },
  { prefix: "62", length: 19 },
];

/** A Luhn-valid PAN of one of the shapes above, with random account digits. */
const oldPan = fc
  .record({
    shape: fc.constantFrom(...shapes),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
  })
  .map(({ shape, digits }) =>
    withLuhnCheckDigit(`${shape.prefix}${digits.join("")}`.slice(0, shape.length - 1)),
  );

describe("generateReplacementPan", () => {
  test("a replacement is Luhn-valid, keeps the BIN, length and network, and differs from the old PAN and its last four", () => {
    fc.assert(
      fc.property(oldPan, fc.integer(), (pan, seed) => {
        const result = generateReplacementPan({
          oldPan: pan,
          random: createSeededRandom(seed),
          isTaken: () => false,
        });
        assert.ok(result.ok);
        const prefixLength = replacementPrefixLength(pan.length);
        assert.equal(isLuhnValid(result.pan), true);
        assert.equal(result.pan.length, pan.length);
        assert.equal(result.pan.slice(0, prefixLength), pan.slice(0, prefixLength));
        assert.equal(cardNetworkOf(result.pan), cardNetworkOf(pan));
        assert.notEqual(result.pan, pan);
        assert.notEqual(result.pan.slice(-4), pan.slice(-4));
      }),
    );
  });

  test("keeps 8 digits of 16- to 19-digit PANs and 6 of shorter ones", () => {
    assert.deepEqual(
      [13, 14, 15, 16, 19].map((length) => replacementPrefixLength(length)),
      [6, 6, 6, 8, 8],
    );
  });

  test("never returns a number the directory says is taken, and retries past taken ones", () => {
    fc.assert(
      fc.property(oldPan, fc.integer(), fc.integer({ min: 0, max: 8 }), (pan, seed, takenDraws) => {
        const offered: string[] = [];
        const result = generateReplacementPan({
          oldPan: pan,
          random: createSeededRandom(seed),
          isTaken: (candidate) => {
            offered.push(candidate);
            return offered.length <= takenDraws;
          },
        });
        assert.ok(result.ok);
        assert.equal(offered.length, takenDraws + 1);
        assert.equal(result.pan, offered.at(-1));
      }),
    );
  });

  test("reports replacement_pan_exhausted after the attempt limit when every number is taken", () => {
    fc.assert(
      fc.property(oldPan, fc.integer(), (pan, seed) => {
        let asked = 0;
        const result = generateReplacementPan({
          oldPan: pan,
          random: createSeededRandom(seed),
          isTaken: () => {
            asked++;
            return true;
          },
        });
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.code, "replacement_pan_exhausted");
        // Draws that repeat the old last four are refused without asking the directory.
        assert.ok(asked <= limits.replacementPanAttemptsMax);
        assert.ok(asked >= limits.replacementPanAttemptsMax - 2);
      }),
    );
  });

  test("refuses an old PAN with a wrong check digit as a bug", () => {
    assert.throws(
      () =>
        generateReplacementPan({
          oldPan: "4111111111111112",
          random: createSeededRandom(1),
          isTaken: () => false,
        }),
      /check digit/,
    );
  });
});

describe("generateCvv", () => {
  test("is four digits for Amex and three for every other network", () => {
    const random = createSeededRandom(7);
    const networks: CardNetwork[] = [
      "visa",
      "mastercard",
      "amex",
      "jcb",
      "diners",
      "discover",
      "unionpay",
      "unknown",
    ];
    for (const network of networks) {
      for (let i = 0; i < 200; i++) {
        assert.match(generateCvv(random, network), network === "amex" ? /^[0-9]{4}$/ : /^[0-9]{3}$/, network);
      }
    }
  });

  test("draws every digit uniformly, leading zeros included (seed=11)", () => {
    const random = createSeededRandom(11);
    const draws = 30_000;
    const counts = Array.from({ length: 3 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < draws; i++) {
      const cvv = generateCvv(random, "visa");
      for (let position = 0; position < 3; position++) {
        const row = counts[position];
        assert.ok(row !== undefined);
        const digit = Number(cvv[position]);
        row[digit] = (row[digit] ?? 0) + 1;
      }
    }
    // 3,000 expected per cell; ±10% is more than six standard deviations.
    for (const row of counts) {
      for (const count of row) {
        assert.ok(Math.abs(count - draws / 10) < draws / 100, `count ${count}`);
      }
    }
  });
});
