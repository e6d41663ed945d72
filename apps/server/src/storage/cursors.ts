import { assert } from "../platform/assert.ts";

/**
 * Page cursors. Tables ordered by id use the last id as the cursor; reads ordered by a time and
 * then an id (decisions by (occurredAtMs, authorizationId), changes by (updatedAtMs, id)) carry
 * both, as `<ms>:<id>`. Every adapter uses these same strings, so a cursor stays valid when the
 * backing store changes.
 */
export type TimeCursor = { readonly atMs: number; readonly id: string };

export function encodeTimeCursor(cursor: TimeCursor): string {
  return `${cursor.atMs}:${cursor.id}`;
}

export function decodeTimeCursor(text: string): TimeCursor {
  const separator = text.indexOf(":");
  assert(separator > 0, "a time cursor is <ms>:<id>");
  const atMs = Number(text.slice(0, separator));
  assert(Number.isSafeInteger(atMs), "a time cursor starts with an integer time");
  return { atMs, id: text.slice(separator + 1) };
}

/** The cursor after a row of a read ordered by (updatedAtMs, id): the reads that follow changes. */
export function changeCursorOf(record: { readonly updatedAtMs: number; readonly id: string }): string {
  return encodeTimeCursor({ atMs: record.updatedAtMs, id: record.id });
}

/** One read returns at most this many rows, whatever the caller asks for. */
export function assertPageLimit(limit: number, pageRowsMax: number): void {
  assert(Number.isSafeInteger(limit) && limit >= 1, "a page holds at least one row");
  assert(limit <= pageRowsMax, `a page holds at most ${pageRowsMax} rows`);
}
