/**
 * Evaluates a compiled ruleset against one snapshot: the hot path of scoring. It allocates
 * nothing but the result and, only when a rule fires, the array of fired rules.
 */
import type { Evaluation, EvaluationLimits, FiredRule, Snapshot } from "./api.ts";
import { assert } from "./assert.ts";
import type { CompiledRuleset, FuelMeter } from "./compile.ts";

/** Shared by every evaluation in which no rule fires, so the common case allocates no array. */
const noneFired: readonly FiredRule[] = Object.freeze([]);

/**
 * One meter reused by every call. Evaluation is synchronous and the compiled predicates call
 * nothing outside the ruleset, so no second evaluation can start while one is running.
 */
const meter: FuelMeter = { fuelLeft: 0, isExhausted: false };

/**
 * Runs every rule in ruleset order and returns those whose condition held. When the fuel runs
 * out, it stops at the rule that needed more and returns what fired before it.
 */
export function evaluateRuleset(
  compiled: CompiledRuleset,
  snapshot: Snapshot,
  limits: EvaluationLimits,
): Evaluation {
  assert(Number.isSafeInteger(limits.fuelMax) && limits.fuelMax >= 0, "fuelMax is a non-negative integer");
  meter.fuelLeft = limits.fuelMax;
  meter.isExhausted = false;
  let fired: FiredRule[] | null = null;
  for (const rule of compiled.rules) {
    const isMatch = rule.isMatch(snapshot, meter);
    if (meter.isExhausted) {
      break;
    }
    if (isMatch) {
      if (fired === null) {
        fired = [rule.fired];
      } else {
        fired.push(rule.fired);
      }
    }
  }
  const fuelUsed = limits.fuelMax - meter.fuelLeft;
  assert(fuelUsed >= 0 && fuelUsed <= limits.fuelMax, "fuel used stays within the limit");
  return { fired: fired ?? noneFired, fuelUsed, isFuelExhausted: meter.isExhausted };
}
