/**
 * The shared hot state on Redis. Keys, under the configured prefix:
 *
 * - `c:<card id>`: a hash of the card's row (`r`) and its version (`v`), and its latest state
 *   change (`s`, at `sa`) and allow window (`w`, ending at `wu`). Never expires: the profile is
 *   years of habit.
 * - `m:<merchant id>`, `t:<terminal key>`, `d:<fingerprint>`: a row, expiring after the kind's
 *   longest window, when it would read empty anyway.
 * - `i:<external id>`: the reservation (request digest and the counted attempt), `l:<external id>`
 *   its owner's lease.
 * - `f:<card id>`: the times of the card's recent wrong one-time codes, a list capped at the
 *   throttle's count and expiring with its window.
 * - `built`: present once the state is complete; a flushed Redis lacks it, and the next
 *   authorization rebuilds from the store first.
 *
 * Every script touches several keys, so this runs on one Redis primary (with replicas or Sentinel
 * for failover), not on Redis Cluster.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import {
  type AllowWindow,
  type CardStateChange,
  type CountedAttempt,
  createRingArithmetic,
  type EntityKeys,
  type Prefetched,
  type Reservation,
  type SharedHotState,
} from "../scoring/index.ts";
import { hotStateScripts } from "./scripts.ts";

type Script = { readonly source: string; readonly sha: string };

function scriptOf(source: string): Script {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/** Connects and checks the server answers, so a wrong URL stops the start with a clear cause. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: limits.redisConnectTimeoutMs,
    // A command during an outage fails at once (an outage is a 503), rather than queueing.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  await redis.connect();
  await redis.ping();
  return redis;
}

export function createRedisHotState(redis: Redis, options: { keyPrefix: string }): SharedHotState {
  const p = options.keyPrefix;
  const arithmetic = {
    merchant: createRingArithmetic("merchant"),
    terminal: createRingArithmetic("terminal"),
    device: createRingArithmetic("device"),
  };
  const sources = hotStateScripts(arithmetic);
  const scripts = {
    count: scriptOf(sources.count),
    uncount: scriptOf(sources.uncount),
    putCard: scriptOf(sources.putCard),
    putCardState: scriptOf(sources.putCardState),
    putAllowWindow: scriptOf(sources.putAllowWindow),
  };
  const builtKey = `${p}built`;
  const rebuildLockKey = `${p}rebuild-lock`;
  const keyOf = {
    card: (id: string) => `${p}c:${id}`,
    merchant: (id: string) => `${p}m:${id}`,
    terminal: (key: string | null) => (key === null ? `${p}t:-` : `${p}t:${key}`),
    device: (key: string | null) => (key === null ? `${p}d:-` : `${p}d:${key}`),
    reservation: (externalId: string) => `${p}i:${externalId}`,
    lease: (externalId: string) => `${p}l:${externalId}`,
    codeFailures: (cardId: string) => `${p}f:${cardId}`,
  };
  const ringFlags = (keys: EntityKeys): string =>
    `1${keys.terminal === null ? "0" : "1"}${keys.device === null ? "0" : "1"}`;

  /** EVALSHA, loading the script on first use (and after a Redis restart dropped it). */
  const run = async (script: Script, keys: readonly string[], args: readonly (string | Buffer)[]) => {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) {
        throw error;
      }
      return redis.eval(script.source, keys.length, ...keys, ...args);
    }
  };

  return {
    async prefetch(keys, externalId) {
      const results = await redis
        .pipeline()
        .hmgetBuffer(keyOf.card(keys.card), "r", "v", "s", "sa", "w")
        .getBuffer(keyOf.merchant(keys.merchant))
        .getBuffer(keyOf.terminal(keys.terminal))
        .getBuffer(keyOf.device(keys.device))
        .get(keyOf.reservation(externalId))
        .exists(keyOf.lease(externalId))
        .exists(builtKey)
        .exec();
      assert(results !== null, "a pipeline outside a transaction always answers");
      const values = results.map(([error, value]) => {
        if (error !== null) {
          throw error;
        }
        return value;
      });
      const [card, merchant, terminal, device, reservation, lease, built] = values as [
        [Buffer | null, Buffer | null, Buffer | null, Buffer | null, Buffer | null],
        Buffer | null,
        Buffer | null,
        Buffer | null,
        string | null,
        number,
        number,
      ];
      return {
        isBuilt: built === 1,
        reservation: reservation === null ? null : reservationOf(reservation, lease === 1),
        cardVersion: card[1] === null ? 0 : Number(card[1].toString()),
        cardState:
          card[2] === null || card[3] === null
            ? null
            : { state: card[2].toString() as CardStateChange["state"], atMs: Number(card[3].toString()) },
        allowWindow: card[4] === null ? null : (JSON.parse(card[4].toString()) as AllowWindow),
        rows: {
          card: card[0],
          merchant,
          terminal: keys.terminal === null ? null : terminal,
          device: keys.device === null ? null : device,
        },
      } satisfies Prefetched;
    },

    async count(input) {
      const { keys, takeOver } = input;
      const removed = takeOver?.remove.keys ?? keys;
      const result = await run(
        scripts.count,
        [
          keyOf.card(keys.card),
          keyOf.reservation(input.externalId),
          keyOf.lease(input.externalId),
          keyOf.merchant(keys.merchant),
          keyOf.terminal(keys.terminal),
          keyOf.device(keys.device),
          keyOf.merchant(removed.merchant),
          keyOf.terminal(removed.terminal),
          keyOf.device(removed.device),
        ],
        [
          String(input.expectedCardVersion),
          bytesOf(input.cardRow),
          takeOver?.owner ?? "",
          JSON.stringify({ d: input.requestDigest, a: input.attempt }),
          String(limits.hotStateReservationTtlMs),
          String(limits.hotStateLeaseMs),
          String(input.add.timeMs),
          String(input.add.amount),
          ringFlags(keys),
          String(takeOver?.remove.timeMs ?? 0),
          String(takeOver?.remove.amount ?? 0),
          ringFlags(removed),
        ],
      );
      assert(
        result === "ok" || result === "card_moved" || result === "reserved",
        "the count script's answers",
      );
      return result;
    },

    async uncount(input) {
      const keys = input.remove?.keys ?? input.keys;
      const result = await run(
        scripts.uncount,
        [
          keyOf.card(input.keys.card),
          keyOf.reservation(input.externalId),
          keyOf.lease(input.externalId),
          keyOf.merchant(keys.merchant),
          keyOf.terminal(keys.terminal),
          keyOf.device(keys.device),
        ],
        [
          String(input.expectedCardVersion),
          bytesOf(input.cardRow),
          input.owner,
          input.remove === null ? "000" : ringFlags(keys),
          String(input.remove?.timeMs ?? 0),
          String(input.remove?.amount ?? 0),
        ],
      );
      assert(result === "ok" || result === "card_moved", "the uncount script's answers");
      return result;
    },

    async putCardStates(changes) {
      // One script call per card, sent together: the newer-wins check runs inside Redis.
      await Promise.all(
        changes.map((change) =>
          run(scripts.putCardState, [keyOf.card(change.cardId)], [change.state, String(change.atMs)]),
        ),
      );
    },

    async putAllowWindows(changes) {
      await Promise.all(
        changes.map(({ cardId, window }) =>
          run(scripts.putAllowWindow, [keyOf.card(cardId)], [JSON.stringify(window), String(window.untilMs)]),
        ),
      );
    },

    async putCard(cardId, expectedCardVersion, cardRow) {
      const result = await run(
        scripts.putCard,
        [keyOf.card(cardId)],
        [String(expectedCardVersion), bytesOf(cardRow)],
      );
      assert(result === "ok" || result === "card_moved", "the put script's answers");
      return result;
    },

    isBuilt: async () => (await redis.exists(builtKey)) === 1,

    async markBuilt() {
      await redis.pipeline().set(builtKey, "1").del(rebuildLockKey).exec();
    },

    async tryLockRebuild() {
      return (await redis.set(rebuildLockKey, "1", "PX", limits.hotStateRebuildLockMs, "NX")) === "OK";
    },

    async putRows(kind, rows) {
      const pipeline = redis.pipeline();
      for (const [key, row] of rows) {
        const bytes = bytesOf(row);
        if (kind === "card") {
          // A rebuilt row starts a new version history; no process holds a version from before.
          pipeline.hset(keyOf.card(key), "r", bytes, "v", "1");
        } else {
          pipeline.set(keyOf[kind](key), bytes, "PX", arithmetic[kind].windowMaxMs);
        }
      }
      await pipeline.exec();
    },

    async recentCodeFailures(cardId, nowMs) {
      const times = await redis.lrange(keyOf.codeFailures(cardId), 0, -1);
      return times.filter((atMs) => Number(atMs) > nowMs - limits.challengeFailuresWindowMs).length;
    },

    async addCodeFailures(cardId, count, atMs) {
      assert(Number.isSafeInteger(count) && count >= 1, "at least one failure is added");
      const key = keyOf.codeFailures(cardId);
      // One transaction: the list never outgrows the throttle, and it goes when its window does.
      await redis
        .multi()
        .rpush(key, ...Array.from({ length: count }, () => String(atMs)))
        .ltrim(key, -limits.challengeFailuresPerCardMax, -1)
        .pexpire(key, limits.challengeFailuresWindowMs)
        .exec();
    },

    async clearCodeFailures(cardId) {
      await redis.del(keyOf.codeFailures(cardId));
    },

    async ping() {
      await redis.ping();
    },

    async close() {
      await redis.quit();
    },
  };
}

/** A row as a Buffer over the same memory, which ioredis sends as a binary argument. */
function bytesOf(row: Uint8Array): Buffer {
  return Buffer.from(row.buffer, row.byteOffset, row.byteLength);
}

function reservationOf(text: string, isLeaseLive: boolean): Reservation {
  const parsed = JSON.parse(text) as { d: string; a: CountedAttempt };
  assert(typeof parsed.d === "string" && typeof parsed.a?.owner === "string", "a reservation we wrote");
  return { requestDigest: parsed.d, attempt: parsed.a, isLeaseLive };
}
