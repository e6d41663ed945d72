import { assert } from "../platform/assert.ts";

/**
 * Page cursors. Tables ordered by id use the last id as the cursor; decisions are ordered by
 * (occurredAtMs, authorizationId), so their cursor carries both. Every adapter uses these same
 * strings, so a cursor stays valid when the backing store changes.
 */
export type DecisionCursor = { readonly occurredAtMs: number; readonly authorizationId: string };

export function encodeDecisionCursor(cursor: DecisionCursor): string {
  return `${cursor.occurredAtMs}:${cursor.authorizationId}`;
}

export function decodeDecisionCursor(text: string): DecisionCursor {
  const separator = text.indexOf(":");
  assert(separator > 0, "a decision cursor is <occurredAtMs>:<authorizationId>");
  const occurredAtMs = Number(text.slice(0, separator));
  assert(Number.isSafeInteger(occurredAtMs), "a decision cursor starts with an integer time");
  return { occurredAtMs, authorizationId: text.slice(separator + 1) };
}

/** One read returns at most this many rows, whatever the caller asks for. */
export function assertPageLimit(limit: number, pageRowsMax: number): void {
  assert(Number.isSafeInteger(limit) && limit >= 1, "a page holds at least one row");
  assert(limit <= pageRowsMax, `a page holds at most ${pageRowsMax} rows`);
}
