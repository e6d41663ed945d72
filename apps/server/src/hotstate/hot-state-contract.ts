/**
 * The behaviour every SharedHotState adapter must show (memory, Redis). The ring property holds
 * the Redis adapter's Lua to velocity-slab.ts byte for byte: the same adds and removes, in any
 * order and at any times, leave the same rows in the adapter as in a slab in this process.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { limits } from "../config/limits.ts";
import type { CardholderId, CardId } from "../platform/ids.ts";
import { propertyParameters } from "../platform/property-parameters.ts";
import type { Authorization, CardContext } from "../scoring/index.ts";
import {
  type CountInput,
  createFeatureState,
  createRingArithmetic,
  type EntityKeys,
  type SharedHotState,
} from "../scoring/index.ts";

export const baseTimeMs = 1_700_000_000_000;
const card: CardContext = {
  cardId: "card_contract000000000001" as CardId,
  cardholderId: "ch_contract00000000000001" as CardholderId,
  state: "active",
  homeCountry: "JP",
  timeZone: "Asia/Tokyo",
  createdAtMs: baseTimeMs,
  allowWindow: null,
};
const features = createFeatureState();

function makeAuthorization(externalId: string, occurredAtMs: number): Authorization {
  return {
    externalId,
    cardId: card.cardId,
    amountMinor: 1_000,
    currency: "JPY",
    amountBaseMinor: 1_000,
    merchant: { id: "mer_contract", name: "Contract shop", mcc: "5411", country: "JP", terminalId: null },
    channel: "pos",
    occurredAtMs,
    occurredAtOffsetMinutes: 540,
    device: { ip: null, fingerprint: null },
  };
}

function countInput(
  externalId: string,
  options: {
    keys?: EntityKeys;
    expectedCardVersion?: number;
    timeMs?: number;
    amount?: number;
    takeOverOwner?: string;
  } = {},
): CountInput {
  const authorization = makeAuthorization(externalId, options.timeMs ?? baseTimeMs);
  const keys = options.keys ?? features.entitiesOf(authorization);
  const move = { keys, timeMs: options.timeMs ?? baseTimeMs, amount: options.amount ?? 1_000 };
  return {
    externalId,
    requestDigest: `digest-${externalId}`,
    attempt: { owner: `auth_${externalId}`, authorization, card, outcome: "approve" },
    keys,
    expectedCardVersion: options.expectedCardVersion ?? 0,
    cardRow: Uint8Array.from([1, 2, 3, options.expectedCardVersion ?? 0]),
    add: move,
    takeOver: options.takeOverOwner === undefined ? null : { owner: options.takeOverOwner, remove: move },
  };
}

export function runHotStateContract(
  name: string,
  open: () => Promise<SharedHotState>,
  options: {
    /** The property test's seed: from FC_SEED, else chosen by the test file and printed. */
    seed: number;
    /** Why the adapter's service is missing: the tests are then reported as skipped, not passed. */
    skip?: string;
  },
): void {
  const skip = options.skip;
  describe(`SharedHotState contract: ${name}`, skip === undefined ? {} : { skip }, () => {
    test("a count writes the card row and reserves the id; a stale card version changes nothing", async () => {
      const shared = await open();
      const first = countInput("a1");
      assert.equal(await shared.count(first), "ok");
      const seen = await shared.prefetch(first.keys, "a1");
      assert.equal(seen.cardVersion, 1);
      assert.deepEqual(Buffer.from(seen.rows.card ?? []), Buffer.from(first.cardRow));
      assert.equal(seen.reservation?.requestDigest, "digest-a1");
      assert.equal(seen.reservation?.attempt.owner, "auth_a1");
      assert.equal(seen.reservation?.isLeaseLive, true);

      assert.equal(await shared.count(countInput("a2", { expectedCardVersion: 0 })), "card_moved");
      const after = await shared.prefetch(first.keys, "a2");
      assert.equal(after.cardVersion, 1);
      assert.equal(after.reservation, null, "a refused count reserves nothing");
    });

    test("a reserved id refuses a second count unless it takes over the owner that holds it", async () => {
      const shared = await open();
      assert.equal(await shared.count(countInput("b1")), "ok");
      assert.equal(await shared.count(countInput("b1", { expectedCardVersion: 1 })), "reserved");
      assert.equal(
        await shared.count(countInput("b1", { expectedCardVersion: 1, takeOverOwner: "auth_other" })),
        "reserved",
      );
      assert.equal(
        await shared.count(countInput("b1", { expectedCardVersion: 1, takeOverOwner: "auth_b1" })),
        "ok",
      );
    });

    test("an uncount puts the card row back, takes the rings back and frees the id", async () => {
      const shared = await open();
      const counted = countInput("c1", { amount: 5_000 });
      assert.equal(await shared.count(counted), "ok");
      const before = Uint8Array.from([9, 9, 9, 9]);
      assert.equal(
        await shared.uncount({
          externalId: "c1",
          owner: "auth_c1",
          keys: counted.keys,
          expectedCardVersion: 1,
          cardRow: before,
          remove: counted.add,
        }),
        "ok",
      );
      const seen = await shared.prefetch(counted.keys, "c1");
      assert.deepEqual(Buffer.from(seen.rows.card ?? []), Buffer.from(before));
      assert.equal(seen.reservation, null);
      const arithmetic = createRingArithmetic("merchant");
      const empty = arithmetic.remove(arithmetic.add(null, baseTimeMs, 5_000), baseTimeMs, 5_000);
      assert.deepEqual(Buffer.from(seen.rows.merchant ?? []), Buffer.from(empty));
    });

    test("a published card state reaches the prefetch, and an older change never replaces a newer one", async () => {
      const shared = await open();
      const keys = countInput("s1").keys;
      assert.equal((await shared.prefetch(keys, "s1")).cardState, null, "none published yet");
      await shared.putCardStates([{ cardId: card.cardId, state: "suspended", atMs: baseTimeMs + 10 }]);
      assert.deepEqual((await shared.prefetch(keys, "s1")).cardState, {
        state: "suspended",
        atMs: baseTimeMs + 10,
      });
      await shared.putCardStates([
        { cardId: card.cardId, state: "blocked", atMs: baseTimeMs + 30 },
        { cardId: "card_other", state: "locked", atMs: baseTimeMs + 5 },
      ]);
      await shared.putCardStates([{ cardId: card.cardId, state: "active", atMs: baseTimeMs + 20 }]);
      const after = await shared.prefetch(keys, "s1");
      assert.deepEqual(after.cardState, { state: "blocked", atMs: baseTimeMs + 30 }, "late news is old news");
      // The state lives beside the row: a count's compare-and-set neither needs nor loses it.
      assert.equal(await shared.count(countInput("s2", { expectedCardVersion: after.cardVersion })), "ok");
      assert.deepEqual((await shared.prefetch(keys, "s2")).cardState, {
        state: "blocked",
        atMs: baseTimeMs + 30,
      });
    });

    test("a published allow window reaches the prefetch, and one ending sooner never replaces it", async () => {
      const shared = await open();
      const keys = countInput("w1").keys;
      assert.equal((await shared.prefetch(keys, "w1")).allowWindow, null);
      const later = { merchantIds: ["mer_a"], untilMs: baseTimeMs + 2_000 };
      await shared.putAllowWindows([{ cardId: card.cardId, window: later }]);
      await shared.putAllowWindows([
        { cardId: card.cardId, window: { merchantIds: ["mer_b"], untilMs: baseTimeMs + 1_000 } },
      ]);
      assert.deepEqual((await shared.prefetch(keys, "w1")).allowWindow, later);
    });

    test("wrong codes count per card within the throttle's window, capped at its count, and a clear ends the run", async () => {
      const shared = await open();
      const cardId = card.cardId;
      const windowMs = limits.challengeFailuresWindowMs;
      assert.equal(await shared.recentCodeFailures(cardId, baseTimeMs), 0);
      await shared.addCodeFailures(cardId, 2, baseTimeMs);
      await shared.addCodeFailures(cardId, 1, baseTimeMs + 1_000);
      assert.equal(await shared.recentCodeFailures(cardId, baseTimeMs + 1_000), 3);
      assert.equal(await shared.recentCodeFailures("card_other", baseTimeMs + 1_000), 0, "per card");
      assert.equal(
        await shared.recentCodeFailures(cardId, baseTimeMs + windowMs),
        1,
        "the first two left the window",
      );
      await shared.addCodeFailures(cardId, limits.challengeFailuresPerCardMax + 5, baseTimeMs + 2_000);
      assert.equal(
        await shared.recentCodeFailures(cardId, baseTimeMs + 2_000),
        limits.challengeFailuresPerCardMax,
      );
      await shared.clearCodeFailures(cardId);
      assert.equal(await shared.recentCodeFailures(cardId, baseTimeMs + 2_000), 0);
    });

    test("built is false until a rebuild marks it, and one process at a time holds the rebuild lock", async () => {
      const shared = await open();
      assert.equal(await shared.isBuilt(), false);
      assert.equal(await shared.tryLockRebuild(), true);
      assert.equal(await shared.tryLockRebuild(), false);
      await shared.putRows("card", [["card_x", Uint8Array.from([7])]]);
      await shared.markBuilt();
      assert.equal(await shared.isBuilt(), true);
      const seen = await shared.prefetch(
        { card: "card_x", merchant: "m", terminal: null, device: null },
        "x",
      );
      assert.deepEqual(Buffer.from(seen.rows.card ?? []), Buffer.from([7]));
      assert.equal(seen.cardVersion, 1);
    });

    test("merchant, terminal and device rings equal velocity-slab.ts after any adds and removes", async (t) => {
      const parameters = propertyParameters(25);
      const seed = parameters.seed ?? options.seed;
      t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
      const arithmetic = {
        merchant: createRingArithmetic("merchant"),
        terminal: createRingArithmetic("terminal"),
        device: createRingArithmetic("device"),
      };
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              // Minutes to days apart, forwards and backwards, so rings advance, wrap and drop.
              offsetMs: fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
              amount: fc.integer({ min: 0, max: 10_000_000 }),
              hasTerminal: fc.boolean(),
              isRemove: fc.boolean(),
            }),
            { minLength: 1, maxLength: 30 },
          ),
          async (steps) => {
            const shared = await open();
            run += 1;
            const keys = {
              card: `card_p${run}`,
              merchant: `m${run}`,
              terminal: `t${run}`,
              device: `d${run}`,
            };
            const expected: Record<"merchant" | "terminal" | "device", Uint8Array | null> = {
              merchant: null,
              terminal: null,
              device: null,
            };
            let version = 0;
            for (const [index, step] of steps.entries()) {
              const stepKeys = { ...keys, terminal: step.hasTerminal ? keys.terminal : null };
              const timeMs = baseTimeMs + step.offsetMs;
              const move = { keys: stepKeys, timeMs, amount: step.amount };
              const externalId = `p${run}_${index}`;
              assert.equal(
                await shared.count({
                  ...countInput(externalId, { keys: stepKeys, expectedCardVersion: version }),
                  add: move,
                }),
                "ok",
              );
              version += 1;
              for (const kind of ["merchant", "terminal", "device"] as const) {
                if (stepKeys[kind] !== null) {
                  expected[kind] = arithmetic[kind].add(expected[kind], timeMs, step.amount);
                }
              }
              if (step.isRemove) {
                const result = await shared.uncount({
                  externalId,
                  owner: `auth_${externalId}`,
                  keys: stepKeys,
                  expectedCardVersion: version,
                  cardRow: Uint8Array.from([version]),
                  remove: move,
                });
                assert.equal(result, "ok");
                version += 1;
                for (const kind of ["merchant", "terminal", "device"] as const) {
                  if (stepKeys[kind] !== null) {
                    expected[kind] = arithmetic[kind].remove(expected[kind], timeMs, step.amount);
                  }
                }
              }
            }
            const seen = await shared.prefetch(keys, "none");
            for (const kind of ["merchant", "terminal", "device"] as const) {
              assert.deepEqual(Buffer.from(seen.rows[kind] ?? []), Buffer.from(expected[kind] ?? []), kind);
            }
          },
        ),
        { ...parameters, seed },
      );
    });
  });
}
