/**
 * Rebuilding the shared state from the store, the system of record: after Redis lost its data
 * (a flush, a failover to an empty replica) and on the first start against an empty Redis. One
 * process rebuilds under a lock while the others wait for it; the stored decisions are replayed
 * through a scratch FeatureState exactly as the embedded engine replays them at start-up, and
 * every entity's row is written to the shared state before it is marked built.
 */
import { limits } from "../config/limits.ts";
import type { CardContext, SharedHotState } from "../scoring/index.ts";
import { createFeatureState, type EntityKind, rebuildHotState } from "../scoring/index.ts";
import type { Store } from "../storage/index.ts";

const kinds: readonly EntityKind[] = ["card", "merchant", "terminal", "device"];

export async function rebuildSharedHotState(deps: {
  shared: SharedHotState;
  store: Pick<Store, "listDecisions">;
  context: (cardId: string) => CardContext | undefined;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (stage: string, done: number) => void;
}): Promise<"rebuilt" | "waited"> {
  const { shared } = deps;
  if (!(await shared.tryLockRebuild())) {
    // Another process is rebuilding: wait until it marks the state built (or its lock lapses).
    const untilMs = deps.nowMs() + limits.hotStateRebuildLockMs;
    while (!(await shared.isBuilt()) && deps.nowMs() < untilMs) {
      await deps.sleep(limits.hotStateRebuildPollMs);
    }
    return "waited";
  }
  const features = createFeatureState();
  await rebuildHotState({
    store: deps.store,
    features,
    // Each process keeps its own idempotency index; the rebuild only needs the windows.
    idempotency: { restore: () => {} },
    context: deps.context,
    nowMs: deps.nowMs(),
    onProgress: (done) => deps.onProgress?.("rebuild-shared", done),
  });
  for (const kind of kinds) {
    let batch: [string, Uint8Array][] = [];
    let written = 0;
    for (const key of features.keysOf(kind)) {
      const row = features.exportEntity(kind, key);
      if (row !== null) {
        batch.push([key, row]);
      }
      if (batch.length === limits.hotStateRebuildBatchRows) {
        await shared.putRows(kind, batch);
        written += batch.length;
        deps.onProgress?.(`rebuild-shared ${kind}`, written);
        batch = [];
      }
    }
    await shared.putRows(kind, batch);
  }
  await shared.markBuilt();
  return "rebuilt";
}
