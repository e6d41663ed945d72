import cluster from "node:cluster";
import type { Logger } from "pino";
import { type Config, parseServeConfig } from "../config/config.ts";
import { limits } from "../config/limits.ts";
import type { HttpApp } from "../http/index.ts";
import { buildPlatformHttpApp, type Platform, startPlatform } from "../main.ts";
import { createLogger } from "../observability/index.ts";
import { isStopMessage, runClusterPrimary, startedMessage } from "./cluster-primary.ts";

export async function runServe(args: readonly string[]): Promise<number> {
  const parsed = parseServeConfig(args, process.env);
  if (!parsed.ok) {
    process.stderr.write(`error ${parsed.code}: ${parsed.message}\n`);
    return 2;
  }
  const { config } = parsed;
  const logger = createLogger({ level: config.logLevel });
  if (config.processes > 1) {
    return runClusterPrimary({ config, args, logger });
  }
  // Watched from the start, so a stop that comes while the store opens is not lost.
  const stopRequested = watchForStop(logger);
  const startedAtMs = Date.now();
  const platform = await startPlatform({
    dataDir: config.dataDir,
    logger,
    seedDemo: config.seedDemo,
    confirmationWindowMs: config.confirmationWindowMs,
    confirmationLinks: config.confirmationLinks,
    runWorkers: config.role !== "api",
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    onProgress: (stage, done) => {
      if (done > 0) {
        logger.info({ stage, done }, "rebuilding hot state");
      }
    },
  });
  // A worker listens on no port. It takes no traffic, so there is nothing for a readiness probe
  // to gate; its liveness is the process itself, which the cluster primary or the orchestrator
  // restarts when it exits. Without a port, worker processes on one machine never contend for one.
  const app = config.role === "worker" ? null : await buildPlatformHttpApp(platform, { logger });
  await app?.listen({ port: config.port, host: config.host });
  logStarted(config, platform, logger, startedAtMs);
  printFirstStart(config, platform);
  if (cluster.isWorker) {
    process.send?.(startedMessage);
  }
  const reason = await stopRequested;
  const code = await drain(reason, app, platform, logger);
  // A cluster process stays alive while it is connected to its primary; leaving lets it exit.
  cluster.worker?.disconnect();
  return code;
}

/**
 * Resolves with the reason at the first SIGTERM or SIGINT, or, in a cluster process, at the
 * primary's stop message. A second signal exits at once, without draining. (A cluster process
 * whose primary is killed outright is ended by node:cluster itself: signal the primary instead.)
 */
function watchForStop(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let reason: string | null = null;
    let signalCount = 0;
    const stop = (why: string) => {
      if (reason === null) {
        reason = why;
        process.off("message", onMessage);
        resolve(why);
      }
    };
    // Ctrl-C reaches a cluster process both from the terminal and as the primary's message, in
    // either order: only signals are counted, so the pair is one stop and not a second signal.
    const onSignal = (signal: NodeJS.Signals) => {
      signalCount++;
      if (signalCount > 1) {
        logger.warn({ signal }, "second signal: exiting without draining");
        process.exit(1);
      }
      stop(signal);
    };
    const onMessage = (message: unknown) => {
      if (isStopMessage(message)) {
        stop(message.signal);
      }
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    if (cluster.isWorker) {
      process.on("message", onMessage);
    }
  });
}

/**
 * A graceful stop: readiness answers `draining`, the server accepts no new connection and lets
 * the requests in flight finish (closing each keep-alive connection after its answer), then the
 * platform commits what is queued and closes the store. The drain timeout ends a stop that hangs.
 */
async function drain(reason: string, app: HttpApp | null, platform: Platform, logger: Logger) {
  logger.info({ reason, drainTimeoutMs: limits.shutdownDrainTimeoutMs }, "stopping: draining");
  platform.beginDrain();
  const timer = setTimeout(() => {
    logger.error({ drainTimeoutMs: limits.shutdownDrainTimeoutMs }, "drain timed out; exiting");
    process.exit(1);
  }, limits.shutdownDrainTimeoutMs);
  // The timer only bounds the drain; it must not keep a finished process alive.
  timer.unref();
  const startedAtMs = Date.now();
  if (app !== null) {
    // One turn of the event loop first: a request that reached its socket with the signal is read
    // and under way before the close takes its connection for an idle one and ends it.
    await new Promise((done) => setImmediate(done));
    await app.close();
    logger.info({ drainMs: Date.now() - startedAtMs }, "stopping: every request answered");
  }
  await platform.close();
  clearTimeout(timer);
  logger.info({ drainMs: Date.now() - startedAtMs }, "stopped: last commit written, store closed");
  return 0;
}

function logStarted(config: Config, platform: Platform, logger: Logger, startedAtMs: number): void {
  const counts = platform.directory.counts();
  logger.info(
    {
      role: config.role,
      port: config.role === "worker" ? null : config.port,
      dataDir: config.dataDir,
      cards: counts.cards,
      rebuiltDecisions: platform.rebuiltDecisions,
      startMs: Date.now() - startedAtMs,
    },
    config.role === "worker"
      ? "mimamori worker running"
      : `mimamori listening on http://localhost:${config.port}`,
  );
}

/** The demo cards, the demo sign-ins and a new API key: shown once, at the start that made them. */
function printFirstStart(config: Config, platform: Platform): void {
  if (platform.seededDemoCards.length > 0) {
    process.stdout.write(
      `\nDemo issuer seeded. Cards to try (POST /v1/authorizations with "card": {"cardId": …}):\n${platform.seededDemoCards
        .slice(0, 3)
        .map((card) => `  ${card.id}  ${card.panMasked}`)
        .join("\n")}\n`,
    );
  }
  if (platform.seededDemoSignIns.length > 0) {
    process.stdout.write(
      `\nDemo sign-ins (shown once; add the secret to an authenticator app, or run \`npx mimamori totp <secret>\`):\n${platform.seededDemoSignIns
        .map(
          (signIn) =>
            `  http://localhost:${config.port}/${signIn.app}/  ${signIn.role.padEnd(10)} ${signIn.email}  password ${signIn.password}  TOTP secret ${signIn.totpSecret}`,
        )
        .join("\n")}\n`,
    );
  }
  if (platform.isApiKeyNew) {
    process.stdout.write(
      `\nA new API key was generated (shown once; kept in ${config.dataDir ?? "memory"}/secrets.json):\n  ${platform.apiKey}\nUse it as: Authorization: Bearer <key>\n\n`,
    );
  }
}
