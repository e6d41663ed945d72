/**
 * The online feature state: the in-memory hot state that turns an authorization into the
 * snapshot `decide()` reads. This file is the module's only public surface.
 */

export { type FeatureName, type FeatureSnapshot, featureSchema } from "./feature-schema.ts";
export {
  createFeatureState,
  type EntityKeys,
  type EntityKind,
  type FeatureState,
} from "./feature-state.ts";
export { type MccGroup, mccGroupOf, mccGroups } from "./mcc-group.ts";
export {
  createRingArithmetic,
  type RingArithmetic,
  type SharedRingKind,
} from "./shared-rings.ts";
