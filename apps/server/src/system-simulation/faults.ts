/**
 * Swarm testing: each seed draws its own mix of faults, so across seeds some runs have none of a
 * kind and others have a lot, and a bug that only one combination reaches is still found. Every
 * probability here is a share of calls or messages, drawn from the run's own seeded streams.
 */
import type { Random } from "../platform/random.ts";
import type { Store } from "../storage/index.ts";

export type FaultMix = {
  /** Share of store calls that fail before they reach the store (a dropped connection). */
  readonly storeErrorShare: number;
  /** Share of messages the gateway refuses with a retryable error (the outbox retries). */
  readonly gatewayErrorShare: number;
  /** Share of messages the gateway accepts and never delivers. */
  readonly dropShare: number;
  /** Share of messages delivered twice. */
  readonly duplicateShare: number;
  /** Longest delivery delay; messages with different delays arrive out of order. */
  readonly deliveryDelayMsMax: number;
  /** Share of steps that crash the platform (or stop it cleanly) and start it again on the same store. */
  readonly restartShare: number;
  /** Share of held payments or codes a cardholder never answers. */
  readonly silentShare: number;
  /** Share of answers given a second time later. */
  readonly answerTwiceShare: number;
  /** Share of answers that are wrong ("mine" for a fraud, "not mine" for their own). */
  readonly mistakenShare: number;
  /** Longest a cardholder waits before answering; past the window the answer is late. */
  readonly answerDelayMsMax: number;
  /** Share of code entries mistyped. */
  readonly typoShare: number;
};

/** Half the seeds leave a kind of fault out entirely: the swarm's point is runs without some faults. */
function maybe(random: Random, share: number): number {
  return random.int(2) === 0 ? 0 : share * random.float();
}

export function chooseFaultMix(random: Random): FaultMix {
  return {
    storeErrorShare: maybe(random, 0.02),
    gatewayErrorShare: maybe(random, 0.2),
    dropShare: maybe(random, 0.1),
    duplicateShare: maybe(random, 0.2),
    deliveryDelayMsMax: [0, 5_000, 60_000, 15 * 60_000][random.int(4)] ?? 0,
    restartShare: maybe(random, 0.01),
    silentShare: maybe(random, 0.3),
    answerTwiceShare: maybe(random, 0.3),
    mistakenShare: maybe(random, 0.1),
    answerDelayMsMax: [60_000, 30 * 60_000, 4 * 3_600_000][random.int(3)] ?? 60_000,
    typoShare: maybe(random, 0.4),
  };
}

/** A transient store failure the simulator injected: the operation must fail cleanly. */
export class SimulatedStoreError extends Error {
  override name = "SimulatedStoreError";
  readonly retryable = true;
}

/** The store behind a switch: while armed, a share of calls throw before they reach it. */
export type FaultyStore = {
  readonly store: Store;
  arm(isArmed: boolean): void;
  readonly failures: () => number;
};

export function createFaultyStore(inner: Store, random: Random, errorShare: number): FaultyStore {
  let isArmed = false;
  let failures = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "close") {
        return value;
      }
      return (...args: unknown[]) => {
        // Drawn on every call, armed or not, so arming does not shift the rest of the stream.
        const isFailing = random.float() < errorShare;
        if (isArmed && isFailing) {
          failures += 1;
          return Promise.reject(new SimulatedStoreError(`simulated store error in ${String(property)}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    arm(armed) {
      isArmed = armed;
    },
    failures: () => failures,
  };
}
