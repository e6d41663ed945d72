import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { channelValues as channels } from "@mimamori/contracts";
import fc from "fast-check";
import { currencies } from "../money/index.ts";
import {
  campaignKinds,
  generateIssuerHistory,
  type SyntheticAuthorization,
  simulationConfig,
} from "./index.ts";

const startMs = Date.UTC(2026, 10, 1);
const modest = { cardholders: 300, days: 30, startMs } as const;

function history(
  seed: number,
  size: { cardholders: number; days: number } = modest,
): SyntheticAuthorization[] {
  return [...generateIssuerHistory({ seed, startMs, ...size })];
}

/** Histories are costly to build; each seed is built once and shared by the tests that read it. */
const built = new Map<number, SyntheticAuthorization[]>();
function modestHistory(seed: number): SyntheticAuthorization[] {
  const cached = built.get(seed);
  if (cached !== undefined) {
    return cached;
  }
  const rows = history(seed);
  built.set(seed, rows);
  return rows;
}

/** Rows of one card split wherever two rows are more than `gapMs` apart: one campaign run each. */
function episodes(rows: readonly SyntheticAuthorization[], gapMs: number): SyntheticAuthorization[][] {
  const lastByCard = new Map<string, SyntheticAuthorization[]>();
  const result: SyntheticAuthorization[][] = [];
  for (const row of rows) {
    const current = lastByCard.get(row.cardRef);
    const previous = current?.at(-1);
    if (
      current !== undefined &&
      previous !== undefined &&
      Date.parse(row.occurredAt) - Date.parse(previous.occurredAt) <= gapMs
    ) {
      current.push(row);
    } else {
      const episode = [row];
      lastByCard.set(row.cardRef, episode);
      result.push(episode);
    }
  }
  return result;
}

function amountJpy(row: SyntheticAuthorization): number {
  const info = currencies[row.currency];
  assert.ok(info !== undefined, row.currency);
  return (row.amountMinor / 10 ** info.exponent) * info.jpyPerMajor;
}

function minutesOfDay(occurredAt: string, offsetMinutes: number): number {
  const local = new Date(Date.parse(occurredAt) + offsetMinutes * 60_000);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

function offsetOf(occurredAt: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(occurredAt);
  assert.ok(match, `occurredAt ${occurredAt} ends in an offset`);
  const [, sign, hours, minutes] = match;
  return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

function homeOffsetAt(timeZone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(
    atMs,
  );
  const name = parts.find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  return name === "GMT" ? 0 : offsetOf(name.slice(3));
}

describe("generateIssuerHistory", () => {
  test("the same seed yields identical rows (seed=7, 40 cardholders × 5 days)", () => {
    const size = { cardholders: 40, days: 5 };
    assert.deepEqual(history(7, size), history(7, size));
  });

  test("different seeds yield different rows (seeds 7 and 8)", () => {
    const size = { cardholders: 40, days: 5 };
    assert.notDeepEqual(history(7, size), history(8, size));
  });

  test("rows come in non-decreasing time order and stay inside the requested days (seed=11)", () => {
    const rows = modestHistory(11);
    const endMs = startMs + modest.days * 86_400_000;
    let previousMs = startMs;
    for (const row of rows) {
      const atMs = Date.parse(row.occurredAt);
      assert.ok(atMs >= previousMs, `${row.id} at ${row.occurredAt} comes after an earlier-released row`);
      assert.ok(atMs < endMs, `${row.id} is past the last day`);
      previousMs = atMs;
    }
  });

  test("any small world, from any start instant, is time-ordered, inside its window and free of card-number-like strings", () => {
    fc.assert(
      fc.property(
        fc.nat(2 ** 32 - 1),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        (seed, cardholders, days, worldStartMs) => {
          let previousMs = worldStartMs;
          for (const row of generateIssuerHistory({ seed, cardholders, days, startMs: worldStartMs })) {
            const atMs = Date.parse(row.occurredAt);
            assert.ok(
              atMs >= previousMs && atMs < worldStartMs + days * 86_400_000,
              `${row.id} ${row.occurredAt}`,
            );
            assert.doesNotMatch(JSON.stringify(row), /\d{13,}/);
            previousMs = atMs;
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  test("a history that starts less than an hour before a zone's midnight stays time-ordered (seed=4)", () => {
    // Found by the property above: the zone's second day used to be planned one slice too late.
    const worldStartMs = 1_857_596_567_000;
    let previousMs = worldStartMs;
    for (const row of generateIssuerHistory({ seed: 4, cardholders: 12, days: 1, startMs: worldStartMs })) {
      const atMs = Date.parse(row.occurredAt);
      assert.ok(atMs >= previousMs, `${row.id} ${row.occurredAt}`);
      previousMs = atMs;
    }
  });

  test("every campaign is present in 300 cardholders × 30 days (seeds 11 and 12)", () => {
    for (const seed of [11, 12]) {
      const fraudCampaigns = new Set(
        modestHistory(seed).flatMap((row) => (row.isFraud ? [row.campaign] : [])),
      );
      assert.deepEqual([...fraudCampaigns].sort(), [...campaignKinds].sort(), `seed=${seed}`);
    }
  });

  test("the fraud rate stays within the configured band (seeds 11, 12, 13)", () => {
    const { min, max } = simulationConfig.fraudRateBand;
    for (const seed of [11, 12, 13]) {
      const rows = modestHistory(seed);
      const rate = rows.filter((row) => row.isFraud).length / rows.length;
      assert.ok(rate >= min && rate <= max, `seed=${seed}: fraud rate ${rate} outside [${min}, ${max}]`);
    }
  });

  test("labels are consistent: fraud rows name a campaign, and only skimmed visits are campaign rows that are genuine", () => {
    for (const row of modestHistory(11)) {
      if (row.isFraud) {
        assert.notEqual(row.campaign, null, row.id);
      } else if (row.campaign !== null) {
        assert.equal(row.campaign, "compromised_terminal", row.id);
      }
    }
  });

  test("no string anywhere looks like a card number (no run of 13 or more digits) (seed=11)", () => {
    for (const row of modestHistory(11)) {
      for (const [field, value] of Object.entries(row)) {
        if (typeof value === "string") {
          assert.doesNotMatch(value, /\d{13,}/, `${row.id}.${field} = ${value}`);
        }
      }
    }
  });

  test("ids are unique and every field is well formed (seed=11)", () => {
    const rows = modestHistory(11);
    assert.equal(new Set(rows.map((row) => row.id)).size, rows.length);
    for (const row of rows) {
      assert.match(row.occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/, row.id);
      assert.ok(
        Number.isSafeInteger(row.amountMinor) && row.amountMinor > 0,
        `${row.id} amount ${row.amountMinor}`,
      );
      assert.ok(Object.hasOwn(currencies, row.currency), `${row.id} currency ${row.currency}`);
      assert.ok((channels as readonly string[]).includes(row.channel), `${row.id} channel ${row.channel}`);
      assert.match(row.mcc, /^\d{4}$/, row.id);
      const card = row.channel === "pos" || row.channel === "contactless" || row.channel === "atm";
      assert.equal(row.terminalId !== null, card, `${row.id}: a terminal exactly when the card is present`);
      assert.equal(row.ip !== null, row.channel === "ecommerce", `${row.id}: an IP exactly for e-commerce`);
    }
  });

  test("home countries are mostly JP, each with a consistent time zone and a realistic mix (seed=11)", () => {
    const rows = modestHistory(11);
    const zonesByCountry = new Map<string, Set<string>>();
    for (const row of rows) {
      zonesByCountry.set(
        row.homeCountry,
        (zonesByCountry.get(row.homeCountry) ?? new Set()).add(row.timeZone),
      );
    }
    assert.deepEqual([...(zonesByCountry.get("JP") ?? [])], ["Asia/Tokyo"]);
    const jpShare = rows.filter((row) => row.homeCountry === "JP").length / rows.length;
    assert.ok(jpShare > 0.75 && jpShare < 0.97, `JP share ${jpShare}`);
    const present = new Set(rows.map((row) => row.channel));
    assert.deepEqual([...present].sort(), [...channels].sort(), "every channel occurs");
  });

  test("spending abroad is in the local currency with the merchant's offset (seed=11)", () => {
    const abroad = modestHistory(11).filter((row) => row.merchantCountry !== row.homeCountry && !row.isFraud);
    assert.ok(abroad.length > 0, "some genuine rows abroad");
    for (const row of abroad) {
      const expected =
        simulationConfig.countries[row.merchantCountry as keyof typeof simulationConfig.countries];
      assert.equal(row.currency, expected.currency, row.id);
    }
    const japaneseRows = modestHistory(11).filter((row) => row.merchantCountry === "JP");
    assert.ok(japaneseRows.every((row) => row.currency === "JPY" && row.occurredAt.endsWith("+09:00")));
  });

  test("most genuine card-present spending falls between 07:00 and 22:00 local (seed=11)", () => {
    const present = modestHistory(11).filter(
      (row) => !row.isFraud && (row.channel === "pos" || row.channel === "contactless"),
    );
    const daytime = present.filter((row) => {
      const minutes = minutesOfDay(row.occurredAt, offsetOf(row.occurredAt));
      return minutes >= 7 * 60 && minutes < 22 * 60;
    });
    assert.ok(daytime.length / present.length > 0.85, `daytime share ${daytime.length / present.length}`);
  });

  test("recurring charges repeat on the same day of the month for the same card and merchant (seed=11)", () => {
    const rows = history(11, { cardholders: 60, days: 70 }).filter((row) => row.channel === "recurring");
    const days = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = `${row.cardRef}|${row.merchantId}`;
      days.set(key, (days.get(key) ?? new Set()).add(row.occurredAt.slice(8, 10)));
    }
    assert.ok(rows.length > 0);
    assert.ok([...days.values()].every((set) => set.size === 1));
    assert.ok(
      [...days.keys()].some(
        (key) => rows.filter((row) => `${row.cardRef}|${row.merchantId}` === key).length >= 2,
      ),
    );
  });

  test("stolen numbers are used online abroad at 00:00–05:00 cardholder time, from a new device and a foreign IP", () => {
    const rows = modestHistory(12);
    const knownDevices = new Set(rows.filter((row) => !row.isFraud).map((row) => row.deviceFingerprint));
    const stolen = rows.filter((row) => row.campaign === "stolen_number_abroad_night");
    assert.ok(stolen.length >= 2);
    for (const row of stolen) {
      const local = minutesOfDay(row.occurredAt, homeOffsetAt(row.timeZone, Date.parse(row.occurredAt)));
      assert.ok(local < 5 * 60, `${row.id} at ${local} minutes into the cardholder's day`);
      assert.equal(row.channel, "ecommerce");
      assert.notEqual(row.merchantCountry, row.homeCountry);
      assert.ok(!knownDevices.has(row.deviceFingerprint), `${row.id} uses a device the cardholder used`);
      const homeCode = simulationConfig.countries[row.homeCountry as keyof typeof simulationConfig.countries];
      assert.ok(!row.ip?.startsWith(`2001:db8:${homeCode.callingCode}:`), `${row.id} comes from a home IP`);
    }
  });

  test("card testing sends tiny amounts before one large purchase (seed=12)", () => {
    const testing = modestHistory(12).filter((row) => row.campaign === "card_testing");
    for (const rows of episodes(testing, 2 * 3_600_000)) {
      const small = rows.slice(0, -1);
      const last = rows.at(-1);
      const cardRef = rows[0]?.cardRef;
      assert.ok(last !== undefined && small.length >= 5 && small.length <= 20, cardRef);
      assert.ok(new Set(small.map((row) => row.merchantId)).size >= 1, cardRef);
      for (const row of small) {
        const exponent = currencies[row.currency]?.exponent ?? 0;
        const major = row.amountMinor / 10 ** exponent;
        assert.ok(
          row.currency === "JPY" ? major <= 500 : major <= 3,
          `${row.id} ${row.amountMinor} ${row.currency}`,
        );
      }
      assert.ok(amountJpy(last) > 10_000, `${cardRef} cashes out with ${amountJpy(last)} yen`);
    }
  });

  test("a resellable burst buys 4–8 gift cards, consoles or electronics within about ten minutes (seed=12)", () => {
    const bursts = episodes(
      modestHistory(12).filter((row) => row.campaign === "resellable_burst"),
      3_600_000,
    );
    assert.ok(bursts.length >= 2);
    for (const rows of bursts) {
      const cardRef = rows[0]?.cardRef;
      const spanMs = Date.parse(rows.at(-1)?.occurredAt ?? "") - Date.parse(rows[0]?.occurredAt ?? "");
      assert.ok(rows.length >= 4 && rows.length <= 8, `${cardRef} has ${rows.length} purchases`);
      assert.ok(spanMs <= 10 * 60_000, `${cardRef} spans ${spanMs} ms`);
      assert.ok(
        rows.every((row) => ["6540", "5999", "5945", "5732"].includes(row.mcc)),
        cardRef,
      );
    }
  });

  test("a lost card taps nearby shops under the contactless limit, then buys bigger at the counter (seed=12)", () => {
    const lost = modestHistory(12).filter((row) => row.campaign === "lost_card_shops");
    const taps = lost.filter((row) => row.channel === "contactless");
    const counter = lost.filter((row) => row.channel === "pos");
    assert.ok(taps.length >= 3 && counter.length >= 1);
    const limitJpy = simulationConfig.habits.contactlessLimitJpy;
    assert.ok(
      taps.every((row) => amountJpy(row) < limitJpy * 1.01),
      "taps stay under the no-PIN limit",
    );
    assert.ok(
      counter.every((row) => amountJpy(row) >= limitJpy * 0.99),
      "counter purchases are above it",
    );
    assert.ok(lost.every((row) => row.merchantCountry === row.homeCountry));
  });

  test("a compromised terminal sees genuine visits whose cards turn up in fraud days later (seed=12)", () => {
    const rows = modestHistory(12).filter((row) => row.campaign === "compromised_terminal");
    const visits = rows.filter((row) => !row.isFraud);
    const frauds = rows.filter((row) => row.isFraud);
    assert.ok(visits.length >= 8, `only ${visits.length} skimmed cards`);
    for (const fraudRow of frauds) {
      const visit = visits.find((row) => row.cardRef === fraudRow.cardRef);
      assert.ok(visit !== undefined, `${fraudRow.id} used a card that was never skimmed`);
      const delayMs = Date.parse(fraudRow.occurredAt) - Date.parse(visit.occurredAt);
      assert.ok(delayMs >= 3 * 86_400_000, `${fraudRow.id} only ${delayMs} ms after the skim`);
      assert.notEqual(fraudRow.terminalId, visit.terminalId);
    }
  });

  test("the history is lazy: the first 100 rows of 100,000 cardholders come before the run is done", () => {
    let doneHours = 0;
    let totalHours = 0;
    let taken = 0;
    const options = {
      seed: 5,
      cardholders: 100_000,
      days: 30,
      startMs,
      onProgress: (done: number, total: number) => {
        doneHours = done;
        totalHours = total;
      },
    };
    for (const _row of generateIssuerHistory(options)) {
      taken += 1;
      if (taken === 100) {
        break;
      }
    }
    assert.equal(taken, 100);
    assert.ok(doneHours < 24 * 30, `progress reached ${doneHours} of ${totalHours} hours`);
  });
});
