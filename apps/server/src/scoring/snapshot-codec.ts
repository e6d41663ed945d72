/**
 * How a feature snapshot is stored: its values as an array in the schema's order, behind a
 * schema version. Keyed JSON was four times larger, which pushed a decision row past
 * PostgreSQL's 2 KB TOAST threshold and made every insert compress it; the array keeps rows
 * small, and the version lets a later schema still read old rows.
 */
import { AssertionError, assert } from "../platform/assert.ts";
import { type FeatureName, type FeatureSnapshot, featureSchema } from "./features/index.ts";

/** Bump when features are added, removed or reordered; keep a decoder for each stored version. */
export const featureSchemaVersion = 4;

/**
 * Each older version lacked the features added after it, at the end: version 1 had neither
 * card.isAllowedMerchant nor threeDs.status, version 2 had no threeDs.status, version 3 no
 * model.score. Their values then were false, "none" and 0 (no model).
 */
const missingSince: Readonly<Record<number, readonly (number | string | boolean)[]>> = {
  1: [false, "none", 0],
  2: ["none", 0],
  3: [0],
};

const featureNames = Object.keys(featureSchema) as FeatureName[];

export type StoredSnapshot = readonly [version: number, ...values: (number | string | boolean)[]];

export function encodeSnapshot(snapshot: FeatureSnapshot): StoredSnapshot {
  const stored: [number, ...(number | string | boolean)[]] = [featureSchemaVersion];
  for (const name of featureNames) {
    stored.push(snapshot[name]);
  }
  return stored;
}

export function decodeSnapshot(stored: unknown): FeatureSnapshot {
  assert(Array.isArray(stored), "a stored snapshot is an array");
  const missing = missingSince[stored[0] as number];
  assert(
    stored[0] === featureSchemaVersion || missing !== undefined,
    `snapshot schema version ${String(stored[0])} is known`,
  );
  if (missing !== undefined) {
    assert(
      stored.length + missing.length === featureNames.length + 1,
      `a version ${String(stored[0])} snapshot has every feature of its time`,
    );
    return decodeSnapshot([featureSchemaVersion, ...stored.slice(1), ...missing]);
  }
  assert(stored.length === featureNames.length + 1, "a stored snapshot has every feature");
  const snapshot: Record<string, unknown> = {};
  featureNames.forEach((name, index) => {
    const value: unknown = stored[index + 1];
    assert(
      typeof value === (featureSchema[name] === "bool" ? "boolean" : featureSchema[name]),
      `stored feature ${name} has its schema type`,
    );
    snapshot[name] = value;
  });
  return snapshot as FeatureSnapshot;
}

/**
 * The snapshot, or null when its schema version no longer decodes: over years of history an old
 * version may be dropped, and a backtest or a training run skips those rows rather than fail.
 * decodeSnapshot's assertions are the only definition of "decodable".
 */
export function decodeSnapshotOrNull(stored: unknown): FeatureSnapshot | null {
  try {
    return decodeSnapshot(stored);
  } catch (error) {
    if (error instanceof AssertionError) {
      return null;
    }
    throw error;
  }
}
