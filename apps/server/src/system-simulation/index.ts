/**
 * The deterministic whole-system simulator (STYLE.md §6.8, issue #9): the real platform under a
 * manual clock, seeded randomness, a faulty store, fake messaging and fake cardholders, with the
 * named invariants checked after every step. `mimamori simulate-system` runs it.
 */
export { type InvariantName, invariantNames } from "./checkers.ts";
export type { FaultMix } from "./faults.ts";
export type { PlatformStarter, SimulatedPlatform, SimulatedPlatformOptions } from "./platform-port.ts";
export {
  type InjectedBug,
  type RunSummary,
  runSystemSimulation,
  type SystemSimulationOptions,
  type SystemSimulationResult,
} from "./simulator.ts";
