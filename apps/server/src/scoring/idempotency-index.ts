/**
 * Which external ids were already answered, and with what. A retry of the same request gets the
 * stored response byte for byte; the same id with another body is a conflict. Bounded: entries
 * older than the window are dropped, and beyond the count bound only the request digest is kept,
 * so an old retry is answered from the store instead of from memory.
 */
import { assert } from "../platform/assert.ts";

export type IdempotencyEntry = {
  readonly requestDigest: string;
  readonly atMs: number;
  /** Set while the first request for this id is being decided and made durable. */
  pending: Promise<unknown> | null;
  /** The response body as sent, while it is among the most recent entries. */
  body: string | null;
};

export function createIdempotencyIndex(options: { windowMs: number; entriesMax: number; bodiesMax: number }) {
  assert(options.bodiesMax <= options.entriesMax, "bodies are kept for a subset of the entries");
  const entries = new Map<string, IdempotencyEntry>();
  /** Ids whose body is still held, oldest first, so the oldest body is dropped first. */
  const bodies = new Map<string, true>();

  const evictOldest = (nowMs: number): void => {
    for (const [id, entry] of entries) {
      const isExpired = nowMs - entry.atMs > options.windowMs;
      if (!isExpired && entries.size <= options.entriesMax) {
        break;
      }
      if (entry.pending !== null) {
        break;
      }
      entries.delete(id);
      bodies.delete(id);
    }
  };

  return {
    get: (id: string): IdempotencyEntry | undefined => entries.get(id),

    begin(id: string, requestDigest: string, atMs: number, pending: Promise<unknown>): void {
      assert(!entries.has(id), "an id begins once");
      entries.set(id, { requestDigest, atMs, pending, body: null });
      evictOldest(atMs);
    },

    complete(id: string, body: string): void {
      const entry = entries.get(id);
      assert(entry !== undefined, "completing an id that began");
      entry.pending = null;
      entry.body = body;
      bodies.set(id, true);
      if (bodies.size > options.bodiesMax) {
        for (const oldId of bodies.keys()) {
          const old = entries.get(oldId);
          if (old !== undefined) {
            old.body = null;
          }
          bodies.delete(oldId);
          break;
        }
      }
    },

    /** Re-enters an answered id at start-up, from the store. */
    restore(id: string, requestDigest: string, atMs: number): void {
      entries.set(id, { requestDigest, atMs, pending: null, body: null });
      evictOldest(atMs);
    },

    /** The first request failed before it was durable: a retry must decide afresh. */
    abort(id: string): void {
      entries.delete(id);
      bodies.delete(id);
    },

    size: (): number => entries.size,
  };
}

export type IdempotencyIndex = ReturnType<typeof createIdempotencyIndex>;
