/**
 * The fraud model's input: one fixed, named vector per authorization, from the engine's feature
 * snapshot and the label features. Evaluation and training build it with `writeModelFeatures`, and
 * serving will call the same function inside decide(), so a model never meets a feature computed
 * two ways. Numbers go in as they are, booleans as 0/1, and a few text features as one-hots.
 */
import { assert } from "../platform/assert.ts";
import {
  channels,
  type FeatureSnapshot,
  featureSchema,
  mccGroups,
  type ThreeDsStatus,
} from "../scoring/index.ts";
import { type LabelFeatures, labelFeatureNames } from "./label-ledger.ts";

type SnapshotFeatureName = keyof FeatureSnapshot;
type TextFeatureName = {
  [K in SnapshotFeatureName]: FeatureSnapshot[K] extends string ? K : never;
}[SnapshotFeatureName];
type NumericFeatureName = Exclude<SnapshotFeatureName, TextFeatureName>;

/** Every value of `threeDs.status`; the `satisfies` fails to compile when a status is added. */
const threeDsStatuses = Object.keys({
  none: true,
  authenticated: true,
  invalid: true,
} satisfies Record<ThreeDsStatus | "none", true>);

/**
 * What the vector does with each text feature: one-hot its values, or leave it out (null) for the
 * reason given. The record names every text feature of the schema, so a new one does not compile
 * until someone decides.
 */
const textFeatures: Readonly<Record<TextFeatureName, readonly string[] | null>> = {
  // The amount is already in base currency; where the money is spent is what isForeign says.
  currency: null,
  channel: channels,
  // An id says nothing about merchants the model has not seen; the label features carry its history.
  "merchant.id": null,
  // Hundreds of codes are too sparse for one-hots; the group that matters for fraud is one-hot.
  "merchant.mcc": null,
  "merchant.mccGroup": mccGroups,
  // Countries enter as isForeign and the profile's known countries: relative to this cardholder.
  "merchant.country": null,
  "cardholder.homeCountry": null,
  // The engine declines every card that is not active, whatever the score.
  "card.state": null,
  "threeDs.status": threeDsStatuses,
};

/** Numbers and booleans of the snapshot, in schema order (which only ever grows at the end). */
const numericFeatureNames = (Object.keys(featureSchema) as SnapshotFeatureName[]).filter(
  (name): name is NumericFeatureName =>
    // The model's own score is its output, set after this vector is read.
    featureSchema[name] !== "string" && name !== "model.score",
);

type OneHotGroup = { readonly name: TextFeatureName; readonly values: readonly string[] };
const oneHotGroups: readonly OneHotGroup[] = (Object.keys(textFeatures) as TextFeatureName[]).flatMap(
  (name) => {
    const values = textFeatures[name];
    return values === null ? [] : [{ name, values }];
  },
);

/**
 * The vector's column names, in order: snapshot numbers and booleans, then one-hots written
 * `name=value`, then the label features. A stored model keeps the names it was trained on, and
 * serving checks them against these.
 */
export const modelFeatureNames: readonly string[] = [
  ...numericFeatureNames,
  ...oneHotGroups.flatMap((group) => group.values.map((value) => `${group.name}=${value}`)),
  ...labelFeatureNames,
];

export const modelFeatureCount = modelFeatureNames.length;

/**
 * Writes the vector of one authorization into `out` from `offset` on: every one of the
 * `modelFeatureCount` slots, so a reused buffer keeps nothing from the last row. It allocates
 * nothing: serving calls it on every decision. A text value outside its list (a channel added
 * later) leaves its one-hots all 0.
 */
export function writeModelFeatures(
  snapshot: FeatureSnapshot,
  labels: LabelFeatures,
  out: Float64Array,
  offset = 0,
): void {
  assert(
    Number.isInteger(offset) && offset >= 0 && offset + modelFeatureCount <= out.length,
    "the vector fits in out",
  );
  let column = offset;
  for (let i = 0; i < numericFeatureNames.length; i++) {
    const value = snapshot[numericFeatureNames[i] as NumericFeatureName];
    out[column] = typeof value === "number" ? value : value ? 1 : 0;
    column += 1;
  }
  for (let g = 0; g < oneHotGroups.length; g++) {
    const group = oneHotGroups[g] as OneHotGroup;
    const value = snapshot[group.name];
    for (let i = 0; i < group.values.length; i++) {
      out[column] = group.values[i] === value ? 1 : 0;
      column += 1;
    }
  }
  for (let i = 0; i < labelFeatureNames.length; i++) {
    out[column] = labels[labelFeatureNames[i] as (typeof labelFeatureNames)[number]];
    column += 1;
  }
  assert(column === offset + modelFeatureCount, "every slot of the vector is written");
}
