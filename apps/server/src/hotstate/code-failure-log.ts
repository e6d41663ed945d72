/**
 * The code-failure throttle's log in this process's memory: what a single process uses, and the
 * memory hot state's part of the port (the Redis adapter keeps the same list per card).
 */
import { limits } from "../config/limits.ts";
import type { CodeFailureLog } from "../scoring/index.ts";

export function createMemoryCodeFailureLog(): CodeFailureLog & { flush(): void } {
  const failuresByCard = new Map<string, number[]>();
  return {
    async recentCodeFailures(cardId, nowMs) {
      const times = failuresByCard.get(cardId);
      if (times === undefined) {
        return 0;
      }
      const fresh = times.filter((atMs) => atMs > nowMs - limits.challengeFailuresWindowMs);
      if (fresh.length === 0) {
        failuresByCard.delete(cardId);
      } else if (fresh.length !== times.length) {
        failuresByCard.set(cardId, fresh);
      }
      return fresh.length;
    },
    async addCodeFailures(cardId, count, atMs) {
      const times = failuresByCard.get(cardId) ?? [];
      for (let i = 0; i < count; i++) {
        times.push(atMs);
      }
      // Only the count up to the throttle matters; older entries beyond it are dropped.
      failuresByCard.set(cardId, times.slice(-limits.challengeFailuresPerCardMax));
    },
    async clearCodeFailures(cardId) {
      failuresByCard.delete(cardId);
    },
    flush() {
      failuresByCard.clear();
    },
  };
}
