import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateDemoIssuer, generateIssuerHistory } from "./index.ts";

describe("generateDemoIssuer", () => {
  test("has ten cardholders with twelve cards and about forty merchants, some abroad", () => {
    const demo = generateDemoIssuer(1);
    assert.equal(demo.cardholders.length, 10);
    assert.equal(demo.cards.length, 12);
    assert.ok(
      demo.merchants.length >= 38 && demo.merchants.length <= 42,
      `${demo.merchants.length} merchants`,
    );
    assert.ok(demo.merchants.filter((merchant) => merchant.country !== "JP").length >= 8);
    assert.equal(new Set(demo.merchants.map((merchant) => merchant.id)).size, demo.merchants.length);
  });

  test("every card belongs to a demo cardholder and expires in a YYYY-MM month", () => {
    const demo = generateDemoIssuer(1);
    const refs = new Set(demo.cardholders.map((cardholder) => cardholder.ref));
    for (const card of demo.cards) {
      assert.ok(refs.has(card.cardholderRef), card.ref);
      assert.match(card.expiry, /^20\d{2}-(0[1-9]|1[0-2])$/);
    }
  });

  test("contacts are placeholders: example domains, +81 phones, Japanese and English speakers", () => {
    const demo = generateDemoIssuer(1);
    for (const cardholder of demo.cardholders) {
      assert.match(cardholder.email, /@example\.(com|jp)$/);
      assert.match(cardholder.phone, /^\+81\d{9,10}$/);
    }
    const languages = new Set(demo.cardholders.map((cardholder) => cardholder.language));
    assert.deepEqual([...languages].sort(), ["en", "ja"]);
    assert.ok(
      demo.cardholders.some((cardholder) => /[\u3040-\u9fff]/.test(cardholder.name)),
      "a Japanese name",
    );
  });

  test("contains no card number anywhere (no run of 13 or more digits)", () => {
    assert.doesNotMatch(JSON.stringify(generateDemoIssuer(1)), /\d{13,}/);
  });

  test("is the same for the same seed, and its merchants are the history's merchants for that seed", () => {
    assert.deepEqual(generateDemoIssuer(4), generateDemoIssuer(4));
    const demo = generateDemoIssuer(4);
    const historyMerchants = new Map<string, string>();
    for (const row of generateIssuerHistory({
      seed: 4,
      cardholders: 200,
      days: 10,
      startMs: Date.UTC(2026, 10, 1),
    })) {
      historyMerchants.set(row.merchantId, row.merchantName);
    }
    const shared = demo.merchants.filter((merchant) => historyMerchants.has(merchant.id));
    assert.ok(shared.length > 10, `only ${shared.length} demo merchants appear in the history`);
    assert.ok(shared.every((merchant) => historyMerchants.get(merchant.id) === merchant.name));
  });
});
