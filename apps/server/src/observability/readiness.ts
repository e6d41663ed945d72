/**
 * Readiness: whether this process should be sent traffic now. Liveness (/v1/health) says the
 * process runs; readiness says every dependency it needs answers, and that it is not stopping.
 * A load balancer takes a process out of rotation on the first answer that is not ready.
 */

/** A dependency this process needs before it takes traffic, checked by a cheap call to it. */
export type ReadinessCheck = { readonly name: string; readonly check: () => Promise<unknown> };

export type CheckState = "ok" | "failed" | "timed_out";

export type Readiness =
  | { readonly ready: true; readonly checks: Readonly<Record<string, "ok">> }
  | {
      readonly ready: false;
      /** `draining` once a stop has begun (no check is run then); `not_ready` when a check fails. */
      readonly code: "not_ready" | "draining";
      readonly failing: readonly string[];
      readonly checks: Readonly<Record<string, CheckState>>;
    };

export function createReadiness(deps: {
  checks: readonly ReadinessCheck[];
  timeoutMs: number;
  onCheckFailed: (name: string, error: unknown) => void;
}) {
  let isDraining = false;

  const run = async (check: ReadinessCheck): Promise<CheckState> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timed_out">((resolve) => {
      timer = setTimeout(() => resolve("timed_out"), deps.timeoutMs);
    });
    try {
      const state = await Promise.race([check.check().then(() => "ok" as const), timedOut]);
      if (state === "timed_out") {
        deps.onCheckFailed(check.name, new Error(`no answer within ${deps.timeoutMs} ms`));
      }
      return state;
    } catch (error) {
      deps.onCheckFailed(check.name, error);
      return "failed";
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async ready(): Promise<Readiness> {
      // A stopping process closes its store, so its checks would only report the stop itself.
      if (isDraining) {
        return { ready: false, code: "draining", failing: [], checks: {} };
      }
      const states = await Promise.all(
        deps.checks.map(async (check) => [check.name, await run(check)] as const),
      );
      const failing = states.filter(([, state]) => state !== "ok").map(([name]) => name);
      if (failing.length > 0) {
        return { ready: false, code: "not_ready", failing, checks: Object.fromEntries(states) };
      }
      return { ready: true, checks: Object.fromEntries(states.map(([name]) => [name, "ok" as const])) };
    },
    /** From now on the process answers not ready, so traffic moves elsewhere while it drains. */
    beginDrain(): void {
      isDraining = true;
    },
    isDraining: (): boolean => isDraining,
  };
}
