import { parseServeConfig } from "../config/config.ts";
import { buildPlatformHttpApp, startPlatform } from "../main.ts";
import { createLogger } from "../observability/index.ts";

export async function runServe(args: readonly string[]): Promise<number> {
  const parsed = parseServeConfig(args, process.env);
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  const { config } = parsed;
  const logger = createLogger({ level: config.logLevel });
  const startedAtMs = Date.now();
  const platform = await startPlatform({
    dataDir: config.dataDir,
    logger,
    seedDemo: config.seedDemo,
    confirmationWindowMs: config.confirmationWindowMs,
    confirmationLinks: config.confirmationLinks,
    onProgress: (stage, done) => {
      if (done > 0) {
        logger.info({ stage, done }, "rebuilding hot state");
      }
    },
  });
  const app = await buildPlatformHttpApp(platform, { logger });
  await app.listen({ port: config.port, host: config.host });
  const counts = platform.directory.counts();
  logger.info(
    {
      port: config.port,
      dataDir: config.dataDir,
      cards: counts.cards,
      rebuiltDecisions: platform.rebuiltDecisions,
      startMs: Date.now() - startedAtMs,
    },
    `mimamori listening on http://localhost:${config.port}`,
  );
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

  // Graceful stop: refuse new connections, finish in-flight requests, commit, close the store.
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "shutting down");
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await app.close();
  await platform.close();
  return 0;
}
