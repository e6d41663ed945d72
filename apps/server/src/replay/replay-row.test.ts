import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseAmountMinor, parseLabel, parseTime } from "./replay-row.ts";

function iso(atMs: number, offsetMinutes: number): string {
  const wall = new Date(atMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
}

describe("parseTime", () => {
  test("reads any ISO 8601 instant with an offset back to the same instant and offset", () => {
    fc.assert(
      fc.property(
        // From a day after the epoch: a negative offset would put the wall time in 1969, which is refused.
        fc.integer({ min: 86_400_000, max: 4_000_000_000_000 }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }),
        (atMs, quarters) => {
          const offsetMinutes = quarters * 15;
          assert.deepEqual(parseTime(iso(atMs, offsetMinutes)), { ms: atMs, offsetMinutes });
        },
      ),
    );
  });

  test("treats an ISO time without an offset as UTC, and Z as UTC", () => {
    const ms = Date.UTC(2026, 10, 20, 14, 3, 11);
    assert.deepEqual(parseTime("2026-11-20T14:03:11"), { ms, offsetMinutes: 0 });
    assert.deepEqual(parseTime("2026-11-20 14:03:11"), { ms, offsetMinutes: 0 });
    assert.deepEqual(parseTime("2026-11-20T14:03:11Z"), { ms, offsetMinutes: 0 });
    assert.deepEqual(parseTime("2026-11-20T14:03"), { ms: ms - 11_000, offsetMinutes: 0 });
    assert.deepEqual(parseTime("2026-11-20T23:03:11+0900"), { ms, offsetMinutes: 540 });
  });

  test("reads epoch numbers below 10^11 as seconds and from 10^11 as milliseconds", () => {
    assert.deepEqual(parseTime(1_795_000_000), { ms: 1_795_000_000_000, offsetMinutes: 0 });
    assert.deepEqual(parseTime("1795000000.5"), { ms: 1_795_000_000_500, offsetMinutes: 0 });
    assert.deepEqual(parseTime(1_795_000_000_123), { ms: 1_795_000_000_123, offsetMinutes: 0 });
    assert.deepEqual(parseTime("100000000000"), { ms: 100_000_000_000, offsetMinutes: 0 });
    assert.deepEqual(parseTime("99999999999"), { ms: 99_999_999_999_000, offsetMinutes: 0 });
  });

  test("refuses impossible dates, out-of-range fields and offsets, and anything else", () => {
    for (const text of [
      "2026-02-30T10:00:00Z",
      "2026-13-01T10:00:00Z",
      "2026-11-20T24:00:00Z",
      "2026-11-20T10:60:00Z",
      "2026-11-20T10:00:00+19:00",
      "2026-11-20T10:00:00+09:75",
      "1969-12-31T23:59:59Z",
      "2026-11-20",
      "yesterday",
      "-5",
      "",
    ]) {
      assert.equal(parseTime(text), null, text);
    }
  });
});

describe("parseAmountMinor", () => {
  test("accepts integer minor units and refuses decimals unless the source holds major units", () => {
    assert.deepEqual(parseAmountMinor("1234", "USD", false), { ok: true, amountMinor: 1234 });
    assert.deepEqual(parseAmountMinor(1234, "JPY", false), { ok: true, amountMinor: 1234 });
    const decimal = parseAmountMinor("12.34", "USD", false);
    assert.equal(decimal.ok, false);
  });

  test("scales major units exactly by the currency's exponent", () => {
    assert.deepEqual(parseAmountMinor("12.34", "USD", true), { ok: true, amountMinor: 1234 });
    assert.deepEqual(parseAmountMinor("12.3", "USD", true), { ok: true, amountMinor: 1230 });
    assert.deepEqual(parseAmountMinor(0.29, "USD", true), { ok: true, amountMinor: 29 });
    assert.deepEqual(parseAmountMinor("1500", "JPY", true), { ok: true, amountMinor: 1500 });
    assert.deepEqual(parseAmountMinor("1500.00", "JPY", true), { ok: true, amountMinor: 1500 });
    assert.deepEqual(parseAmountMinor("1.234", "KWD", true), { ok: true, amountMinor: 1234 });
    assert.equal(parseAmountMinor("1500.5", "JPY", true).ok, false);
    assert.equal(parseAmountMinor("12.345", "USD", true).ok, false);
  });

  test("major-unit scaling agrees with integer arithmetic for every two-decimal amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
        assert.deepEqual(parseAmountMinor(text, "EUR", true), { ok: true, amountMinor: cents });
      }),
    );
  });

  test("refuses negative, non-numeric and over-limit amounts", () => {
    for (const value of ["-5", "abc", "1e5", "", "12,000", "99999999999999999999", Number.NaN]) {
      assert.equal(parseAmountMinor(value, "JPY", false).ok, false, String(value));
    }
  });
});

describe("parseLabel", () => {
  test("reads true/false, 1/0 and fraud/genuine, reads empty as unknown, and refuses the rest", () => {
    assert.equal(parseLabel(true), true);
    assert.equal(parseLabel(false), false);
    assert.equal(parseLabel(1), true);
    assert.equal(parseLabel(0), false);
    assert.equal(parseLabel(" Fraud "), true);
    assert.equal(parseLabel("GENUINE"), false);
    assert.equal(parseLabel("true"), true);
    assert.equal(parseLabel("0"), false);
    assert.equal(parseLabel(""), null);
    assert.equal(parseLabel("maybe"), undefined);
    assert.equal(parseLabel(2), undefined);
  });
});
