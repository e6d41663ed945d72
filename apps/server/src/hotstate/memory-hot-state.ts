/**
 * The shared hot state in this process's memory: for tests and the simulator, where several
 * "processes" (several platforms over one store) share it, and as the reference the Redis
 * adapter's scripts are held to. The semantics are the Redis adapter's, expiry included, on the
 * injected clock.
 */
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import {
  type AllowWindow,
  type CardStateChange,
  type CountedAttempt,
  createRingArithmetic,
  type EntityKeys,
  type RingMove,
  type SharedHotState,
  type SharedRingKind,
} from "../scoring/index.ts";
import { createMemoryCodeFailureLog } from "./code-failure-log.ts";

type Expiring<T> = { value: T; expiresAtMs: number };

export function createMemoryHotState(clock: Clock): SharedHotState & { flush(): void } {
  const arithmetic = {
    merchant: createRingArithmetic("merchant"),
    terminal: createRingArithmetic("terminal"),
    device: createRingArithmetic("device"),
  };
  const cards = new Map<string, { row: Uint8Array; version: number }>();
  const rings = {
    merchant: new Map<string, Expiring<Uint8Array>>(),
    terminal: new Map<string, Expiring<Uint8Array>>(),
    device: new Map<string, Expiring<Uint8Array>>(),
  };
  const reservations = new Map<string, Expiring<{ requestDigest: string; attempt: CountedAttempt }>>();
  const leases = new Map<string, number>();
  let isBuilt = false;
  let rebuildLockedUntilMs = 0;
  const codeFailures = createMemoryCodeFailureLog();
  const cardStates = new Map<string, Omit<CardStateChange, "cardId">>();
  const allowWindows = new Map<string, AllowWindow>();

  const live = <T>(map: Map<string, Expiring<T>>, key: string): T | null => {
    const entry = map.get(key);
    if (entry === undefined || entry.expiresAtMs <= clock.nowMs()) {
      map.delete(key);
      return null;
    }
    return entry.value;
  };
  const ownerOf = (externalId: string): string | null =>
    live(reservations, externalId)?.attempt.owner ?? null;
  const kindKeys = (keys: EntityKeys): [SharedRingKind, string][] => [
    ["merchant", keys.merchant],
    ...(keys.terminal === null ? [] : [["terminal", keys.terminal] as [SharedRingKind, string]]),
    ...(keys.device === null ? [] : [["device", keys.device] as [SharedRingKind, string]]),
  ];
  const changeRings = (move: RingMove, change: "add" | "remove"): void => {
    for (const [kind, key] of kindKeys(move.keys)) {
      const row = arithmetic[kind][change](live(rings[kind], key), move.timeMs, move.amount);
      rings[kind].set(key, { value: row, expiresAtMs: clock.nowMs() + arithmetic[kind].windowMaxMs });
    }
  };
  const copy = (row: Uint8Array): Uint8Array => Uint8Array.from(row);

  return {
    recentCodeFailures: codeFailures.recentCodeFailures,
    addCodeFailures: codeFailures.addCodeFailures,
    clearCodeFailures: codeFailures.clearCodeFailures,

    async prefetch(keys, externalId) {
      const card = cards.get(keys.card);
      const reservation = live(reservations, externalId);
      const row = (kind: SharedRingKind, key: string | null) => {
        const found = key === null ? null : live(rings[kind], key);
        return found === null ? null : copy(found);
      };
      return {
        isBuilt,
        reservation:
          reservation === null
            ? null
            : { ...reservation, isLeaseLive: (leases.get(externalId) ?? 0) > clock.nowMs() },
        cardVersion: card?.version ?? 0,
        cardState: cardStates.get(keys.card) ?? null,
        allowWindow: allowWindows.get(keys.card) ?? null,
        rows: {
          card: card === undefined ? null : copy(card.row),
          merchant: row("merchant", keys.merchant),
          terminal: row("terminal", keys.terminal),
          device: row("device", keys.device),
        },
      };
    },

    async count(input) {
      if (ownerOf(input.externalId) !== (input.takeOver?.owner ?? null)) {
        return "reserved";
      }
      const version = cards.get(input.keys.card)?.version ?? 0;
      if (version !== input.expectedCardVersion) {
        return "card_moved";
      }
      cards.set(input.keys.card, { row: copy(input.cardRow), version: version + 1 });
      if (input.takeOver !== null) {
        changeRings(input.takeOver.remove, "remove");
      }
      changeRings(input.add, "add");
      const nowMs = clock.nowMs();
      reservations.set(input.externalId, {
        // Stored as the Redis adapter stores it: a JSON round trip, so both hand back plain data.
        value: JSON.parse(JSON.stringify({ requestDigest: input.requestDigest, attempt: input.attempt })),
        expiresAtMs: nowMs + limits.hotStateReservationTtlMs,
      });
      leases.set(input.externalId, nowMs + limits.hotStateLeaseMs);
      return "ok";
    },

    async uncount(input) {
      if (input.remove !== null) {
        changeRings(input.remove, "remove");
      }
      if (ownerOf(input.externalId) === input.owner) {
        reservations.delete(input.externalId);
        leases.delete(input.externalId);
      }
      const version = cards.get(input.keys.card)?.version ?? 0;
      if (version !== input.expectedCardVersion) {
        return "card_moved";
      }
      cards.set(input.keys.card, { row: copy(input.cardRow), version: version + 1 });
      return "ok";
    },

    async putCardStates(changes) {
      for (const { cardId, state, atMs } of changes) {
        if ((cardStates.get(cardId)?.atMs ?? -1) <= atMs) {
          cardStates.set(cardId, { state, atMs });
        }
      }
    },

    async putAllowWindows(changes) {
      for (const { cardId, window } of changes) {
        if ((allowWindows.get(cardId)?.untilMs ?? -1) <= window.untilMs) {
          allowWindows.set(cardId, window);
        }
      }
    },

    async putCard(cardId, expectedCardVersion, cardRow) {
      const version = cards.get(cardId)?.version ?? 0;
      if (version !== expectedCardVersion) {
        return "card_moved";
      }
      cards.set(cardId, { row: copy(cardRow), version: version + 1 });
      return "ok";
    },

    isBuilt: async () => isBuilt,

    async markBuilt() {
      isBuilt = true;
      rebuildLockedUntilMs = 0;
    },

    async tryLockRebuild() {
      if (rebuildLockedUntilMs > clock.nowMs()) {
        return false;
      }
      rebuildLockedUntilMs = clock.nowMs() + limits.hotStateRebuildLockMs;
      return true;
    },

    async putRows(kind, rows) {
      for (const [key, row] of rows) {
        if (kind === "card") {
          cards.set(key, { row: copy(row), version: 1 });
        } else {
          rings[kind].set(key, {
            value: copy(row),
            expiresAtMs: clock.nowMs() + arithmetic[kind].windowMaxMs,
          });
        }
      }
    },

    async ping() {},

    async close() {},

    /** What FLUSHALL does to Redis: the rebuild test's fault. */
    flush() {
      cards.clear();
      for (const map of Object.values(rings)) {
        map.clear();
      }
      reservations.clear();
      leases.clear();
      codeFailures.flush();
      cardStates.clear();
      allowWindows.clear();
      isBuilt = false;
    },
  };
}
