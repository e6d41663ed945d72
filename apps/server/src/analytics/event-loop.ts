/**
 * Analytics read and compute a page at a time on the same event loop that answers
 * authorizations. A store in memory resolves its reads at once, so without this a long backtest
 * would hold the loop for seconds; yielding between pages lets waiting requests in.
 */
import { setImmediate } from "node:timers/promises";

export async function yieldToEventLoop(): Promise<void> {
  await setImmediate();
}
