import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import { createSeededRandom } from "../platform/random.ts";
import { isReference, newReference, parseSmsReply, referenceAlphabet } from "./sms-reply.ts";
import { propertyParameters } from "./test-support.ts";

describe("parseSmsReply", () => {
  const understood: [string, "mine" | "not_mine", string | null][] = [
    ["1", "mine", null],
    ["2", "not_mine", null],
    ["１", "mine", null],
    ["２", "not_mine", null],
    ["  1\n", "mine", null],
    ["1 A7K", "mine", "A7K"],
    ["1A7K", "mine", "A7K"],
    ["2 a7k", "not_mine", "A7K"],
    ["２　ａ７ｋ", "not_mine", "A7K"],
    ["「1」", "mine", null],
    ["1.", "mine", null],
    ["YES", "mine", null],
    ["yes", "mine", null],
    ["No!", "not_mine", null],
    ["はい", "mine", null],
    ["いいえ", "not_mine", null],
    ["ﾊｲ", "mine", null],
  ];
  for (const [body, answer, reference] of understood) {
    test(`reads ${JSON.stringify(body)} as ${answer}${reference === null ? "" : ` for ${reference}`}`, () => {
      assert.deepEqual(parseSmsReply(body), { ok: true, answer, reference });
    });
  }

  const notUnderstood = [
    "",
    "3",
    "12",
    "1 2",
    "1 A0K",
    "1 AB",
    "1 A7KX",
    "YES A7K",
    "ok",
    "1 2 3",
    "はい。いいえ",
    "x".repeat(100),
  ];
  for (const body of notUnderstood) {
    test(`does not guess at ${JSON.stringify(body.slice(0, 20))}`, () => {
      const reply = parseSmsReply(body);
      assert.equal(reply.ok, false);
      assert.equal(reply.ok ? null : reply.code, "reply_not_understood");
    });
  }

  test("a valid reply parses the same with any spacing, width and case around it", () => {
    const space = fc.constantFrom(" ", "\t", "\n", "　", "\r\n");
    fc.assert(
      fc.property(
        fc.constantFrom("1", "2", "１", "２"),
        fc.option(fc.array(fc.constantFrom(...referenceAlphabet), { minLength: 3, maxLength: 3 })),
        fc.array(space, { maxLength: 3 }),
        fc.array(space, { maxLength: 1 }),
        fc.array(space, { maxLength: 3 }),
        fc.boolean(),
        (digit, letters, before, between, after, lower) => {
          const reference = letters === null ? null : letters.join("");
          const typed = reference === null ? "" : lower ? reference.toLowerCase() : reference;
          const body = `${before.join("")}${digit}${reference === null ? "" : between.join("")}${typed}${after.join("")}`;
          const answer = digit === "1" || digit === "１" ? "mine" : "not_mine";
          assert.deepEqual(parseSmsReply(body), { ok: true, answer, reference });
        },
      ),
      propertyParameters,
    );
  });

  test("any text at all is either an answer or not understood, and never throws", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (body) => {
        const reply = parseSmsReply(body);
        if (reply.ok) {
          assert.ok(reply.reference === null || isReference(reply.reference));
        } else {
          assert.equal(reply.code, "reply_not_understood");
        }
      }),
      propertyParameters,
    );
  });
});

describe("newReference", () => {
  test("draws references from the unambiguous alphabet, avoiding those taken", () => {
    const random = createSeededRandom(7);
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const drawn = newReference(random, (reference) => taken.has(reference));
      assert.ok(drawn.ok);
      assert.ok(isReference(drawn.reference), drawn.reference);
      assert.doesNotMatch(drawn.reference, /[01258BILOSZ]/);
      assert.ok(!taken.has(drawn.reference));
      taken.add(drawn.reference);
    }
  });

  test("gives up with a code after the bounded number of draws", () => {
    let draws = 0;
    const drawn = newReference(createSeededRandom(1), () => {
      draws++;
      return true;
    });
    assert.deepEqual(drawn.ok ? null : drawn.code, "reference_space_exhausted");
    assert.equal(draws, limits.referenceDrawAttemptsMax);
  });

  test("every reference in the alphabet parses back from a reply", () => {
    const random = createSeededRandom(42);
    for (let i = 0; i < 100; i++) {
      const drawn = newReference(random, () => false);
      assert.ok(drawn.ok);
      assert.deepEqual(parseSmsReply(`2 ${drawn.reference.toLowerCase()}`), {
        ok: true,
        answer: "not_mine",
        reference: drawn.reference,
      });
    }
  });
});
