/** Time comes from this port so the whole system can run under a simulator's fake clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
};

/** A clock that moves only when told to: for tests and the simulator. */
export function createManualClock(
  startMs: number,
): Clock & { advanceMs(ms: number): void; setMs(ms: number): void } {
  let currentMs = startMs;
  return {
    nowMs: () => currentMs,
    advanceMs(ms: number) {
      currentMs += ms;
    },
    setMs(ms: number) {
      currentMs = ms;
    },
  };
}
