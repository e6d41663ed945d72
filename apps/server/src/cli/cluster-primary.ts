/**
 * The cluster primary (`serve --processes N`). It forks N API processes, plus one worker process
 * for `--role all`, restarts one that dies unexpectedly after a back-off, and passes a stop on to
 * all of them. It opens no store and answers no request itself: node:cluster gives it the
 * listening socket, and it hands the connections out to the API processes in turn.
 */
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Config, ProcessRole } from "../config/config.ts";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";

/** What a child tells the primary once it serves (or, for a worker, once its workers run). */
export const startedMessage = { kind: "started" } as const;

/** What the primary tells a child when a stop begins. */
export type StopMessage = { readonly kind: "stop"; readonly signal: string };

export function isStopMessage(message: unknown): message is StopMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { kind?: unknown }).kind === "stop" &&
    typeof (message as { signal?: unknown }).signal === "string"
  );
}

/** A child that has already disconnected is on its way out; it needs no stop, and no error follows. */
function sendStop(child: Worker, signal: string): void {
  if (child.isConnected()) {
    child.send({ kind: "stop", signal } satisfies StopMessage, undefined, undefined, () => {});
  }
}

function isStartedMessage(message: unknown): boolean {
  return (
    typeof message === "object" && message !== null && (message as { kind?: unknown }).kind === "started"
  );
}

/** The wait before restarting a process that died this many times in a row, each soon after its start. */
export function restartDelayMs(consecutiveFailures: number): number {
  assert(consecutiveFailures >= 1, "a restart follows at least one failure");
  return Math.min(
    limits.processRestartDelayMsMax,
    limits.processRestartDelayMsMin * 2 ** (consecutiveFailures - 1),
  );
}

type Slot = {
  readonly role: Exclude<ProcessRole, "all">;
  child: Worker | null;
  forkedAtMs: number;
  failures: number;
  restartTimer: ReturnType<typeof setTimeout> | null;
};

export function runClusterPrimary(options: {
  config: Config;
  args: readonly string[];
  logger: Logger;
}): Promise<number> {
  const { config, args, logger } = options;
  // The dispatcher and the expiry scans run in one process, so no two of them race on a message or a hold.
  const roles: Slot["role"][] = [
    ...Array.from({ length: config.processes }, () => "api" as const),
    ...(config.role === "all" ? ["worker" as const] : []),
  ];
  const slots: Slot[] = roles.map((role) => ({
    role,
    child: null,
    forkedAtMs: 0,
    failures: 0,
    restartTimer: null,
  }));
  let hasStarted = false;
  let stopSignal: string | null = null;
  let exitCode = 0;
  logger.info({ processes: slots.length, role: config.role }, "starting the cluster");

  return new Promise<number>((resolve) => {
    const resolveWhenAllExited = () => {
      if (slots.every((slot) => slot.child === null)) {
        logger.info({ exitCode }, "every process has stopped");
        resolve(exitCode);
      }
    };

    const fork = (slot: Slot, seedsDemo: boolean) => {
      // A later flag wins over an earlier one, so these pin the child's role and keep it from
      // forking again; only the first child may seed the demo issuer.
      cluster.setupPrimary({
        args: [
          "serve",
          ...args,
          "--role",
          slot.role,
          "--processes",
          "1",
          ...(seedsDemo ? [] : ["--no-demo"]),
        ],
      });
      const child = cluster.fork();
      slot.child = child;
      slot.forkedAtMs = Date.now();
      child.on("message", (message: unknown) => {
        if (!isStartedMessage(message)) {
          return;
        }
        logger.info({ role: slot.role, pid: child.process.pid }, "process started");
        if (stopSignal !== null) {
          // A stop sent while the child was starting may have come before it listened for one.
          sendStop(child, stopSignal);
        } else if (!hasStarted) {
          hasStarted = true;
          for (const other of slots.filter((s) => s !== slot)) {
            fork(other, false);
          }
        }
      });
      child.once("exit", (code, signal) => onExit(slot, code, signal));
    };

    const onExit = (slot: Slot, code: number | null, signal: string | null) => {
      const pid = slot.child?.process.pid;
      slot.child = null;
      if (stopSignal !== null) {
        exitCode = code === 0 ? exitCode : 1;
        logger.info({ role: slot.role, pid, code, signal }, "process stopped");
        resolveWhenAllExited();
        return;
      }
      if (!hasStarted) {
        // The first start opens the store, migrates and seeds: a failure there repeats on a restart.
        logger.error({ role: slot.role, pid, code, signal }, "the first process failed to start; stopping");
        resolve(1);
        return;
      }
      // A process that ran a while crashed afresh; one that keeps dying soon after its start backs off.
      slot.failures = Date.now() - slot.forkedAtMs >= limits.processStableMs ? 1 : slot.failures + 1;
      const delayMs = restartDelayMs(slot.failures);
      logger.error({ role: slot.role, pid, code, signal, restartInMs: delayMs }, "process died; restarting");
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = null;
        fork(slot, false);
      }, delayMs);
    };

    // The stop goes to the children as a message rather than a signal: Ctrl-C already signals
    // the whole process group, and a second signal would tell each child to skip its drain.
    const stop = (signal: NodeJS.Signals) => {
      if (stopSignal !== null) {
        logger.warn({ signal }, "second signal: killing every process without draining");
        for (const slot of slots) {
          slot.child?.process.kill("SIGKILL");
        }
        process.exit(1);
      }
      stopSignal = signal;
      logger.info({ signal }, "stopping: every process drains its requests");
      for (const slot of slots) {
        if (slot.restartTimer !== null) {
          clearTimeout(slot.restartTimer);
          slot.restartTimer = null;
        }
        if (slot.child !== null) {
          sendStop(slot.child, signal);
        }
      }
      resolveWhenAllExited();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);

    const first = slots[0];
    assert(first !== undefined, "a cluster has at least one API process");
    // The others start after the first is up, so the store is migrated and seeded once.
    fork(first, true);
  });
}
