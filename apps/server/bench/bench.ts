/**
 * `npm run bench [-- --json] [-- --runs N]`: the speed figures the issue sets targets for.
 * - inProcess: the engine (features + decide + record) on the default ruleset, warm state over
 *   100,000 cards, one core; and the same with a 300-tree fraud model active (`withModel`), run
 *   alternately with the plain engine so the two share the machine's mood.
 * - http: POST /v1/authorizations on the embedded store (PGlite on disk, group commit) beside an
 *   empty route on the same server that parses the same body, under the same closed-loop load
 *   generator in a separate process. Medians over the runs.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createDataset, trainGbdt } from "@mimamori/ml";
import pg from "pg";
import { withLuhnCheckDigit } from "../src/cards/index.ts";
import { connectRedis } from "../src/hotstate/index.ts";
import { buildPlatformHttpApp, type Platform, startPlatform } from "../src/main.ts";
import {
  createLabelLedger,
  createServingModel,
  type ModelArtifact,
  modelFeatureCount,
  modelFeatureNames,
} from "../src/model/index.ts";
import { createLogger } from "../src/observability/index.ts";
import type { CardholderId, CardId } from "../src/platform/ids.ts";
import { createSeededRandom } from "../src/platform/random.ts";
import { compileRulesetText, defaultRulesetText } from "../src/rulesets/index.ts";
import {
  type Authorization,
  type CardContext,
  createFeatureState,
  createScoringEngine,
  type LoadedRuleset,
  type ServingModel,
} from "../src/scoring/index.ts";
import { startServeProcess } from "../test/processes.ts";
import { deleteKeysWithPrefix } from "../test/services.ts";

const argv = process.argv.slice(2);
const isJson = argv.includes("--json");
const runsIndex = argv.indexOf("--runs");
const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 3;
const onlyIndex = argv.indexOf("--only");
const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
const storeIndex = argv.indexOf("--store");
// "memory" shows the HTTP path without durable storage, to tell the store's share of the cost.
const storeKind = storeIndex >= 0 && argv[storeIndex + 1] === "memory" ? "memory" : "pglite";
const log = (line: string): void => {
  if (!isJson) {
    process.stderr.write(`${line}\n`);
  }
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const merchants = [
  { id: "mer_super", name: "Super", mcc: "5411", country: "JP" },
  { id: "mer_cafe", name: "Cafe", mcc: "5814", country: "JP" },
  { id: "mer_fuel", name: "Fuel", mcc: "5541", country: "JP" },
  { id: "mer_drug", name: "Drug", mcc: "5912", country: "JP" },
  { id: "mer_web", name: "Web shop", mcc: "5732", country: "US" },
  { id: "mer_gift", name: "Gift cards", mcc: "5999", country: "JP" },
];
const channels = ["pos", "contactless", "ecommerce", "pos"] as const;

/**
 * A model the size `mimamori train` makes (300 trees of depth 6, the defaults), trained on
 * synthetic vectors: the bench measures serving, not learning.
 */
function benchModel(): { model: ServingModel; trees: number } {
  const random = createSeededRandom(7);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const row = Array.from({ length: modelFeatureCount }, () => random.int(1_000) / 10);
    rows.push(row);
    // A noisy interaction of several columns, so the trees grow to their full depth.
    const signal = (row[0] ?? 0) + ((row[5] ?? 0) * (row[9] ?? 0)) / 50 - (row[12] ?? 0) + random.int(60);
    labels.push(signal > 120 ? 1 : 0);
  }
  const dataset = createDataset(modelFeatureNames, rows, labels);
  if (!dataset.ok) {
    throw new Error(dataset.message);
  }
  const trained = trainGbdt(dataset.dataset, { treesMax: 300, depthMax: 6, seed: 1 });
  if (!trained.ok) {
    throw new Error(trained.message);
  }
  const artifact: ModelArtifact = {
    format: "mimamori-model",
    formatVersion: 1,
    id: "model_00000000bench000",
    trainedAt: new Date(0).toISOString(),
    training: {
      from: "2026-01-01",
      to: "2026-02-01",
      labelDelayDays: 7,
      transactions: rows.length,
      frauds: 0,
    },
    validation: { auc: null, averagePrecision: null },
    gbdt: trained.model,
  };
  // The bench's payments are stamped in November 2026; a clock past them reads each at its time.
  const clock = { nowMs: () => Date.UTC(2027, 0, 1) };
  return {
    model: createServingModel(artifact, createLabelLedger(), clock),
    trees: trained.model.trees.length,
  };
}

function benchInProcess(
  cardCount: number,
  historyPerCard: number,
  decisions: number,
  model: ServingModel | null = null,
) {
  const random = createSeededRandom(42);
  const compiled = compileRulesetText(defaultRulesetText);
  if (!compiled.ok) {
    throw new Error("default ruleset does not compile");
  }
  const ruleset: LoadedRuleset = { id: "rs_bench", version: 1, compiled: compiled.value };
  const features = createFeatureState();
  const engine = createScoringEngine({
    features,
    rulesets: { active: () => ruleset, shadow: () => null },
    models: { active: () => model, shadow: () => null },
  });
  const startMs = Date.UTC(2026, 10, 1);
  const cards: CardContext[] = [];
  for (let i = 0; i < cardCount; i++) {
    cards.push({
      cardId: `card_${i}` as CardId,
      cardholderId: `ch_${i}` as CardholderId,
      state: "active",
      homeCountry: "JP",
      timeZone: "Asia/Tokyo",
      createdAtMs: startMs - 400 * 86_400_000,
      allowWindow: null,
    });
  }
  // Pre-built authorizations, so the measured loop is the engine and nothing else.
  const makeAuthorization = (n: number, atMs: number): [Authorization, CardContext] => {
    const card = cards[random.int(cardCount)] as CardContext;
    const merchant = merchants[n % merchants.length] as (typeof merchants)[number];
    const amount = 300 + random.int(30_000);
    return [
      {
        externalId: `b${n}`,
        cardId: card.cardId,
        amountMinor: amount,
        currency: "JPY",
        amountBaseMinor: amount,
        merchant: { ...merchant, terminalId: `${merchant.id}_t${n % 3}` },
        channel: channels[n % channels.length] as Authorization["channel"],
        occurredAtMs: atMs,
        occurredAtOffsetMinutes: 540,
        device: { ip: null, fingerprint: n % 4 === 2 ? `dev_${card.cardId}` : null },
      },
      card,
    ];
  };
  const warmCount = cardCount * historyPerCard;
  const warmSpanMs = 30 * 86_400_000;
  for (let n = 0; n < warmCount; n++) {
    const [authorization, card] = makeAuthorization(n, startMs + Math.floor((n / warmCount) * warmSpanMs));
    const { decision } = engine.score(authorization, card);
    if (decision.outcome === "approve") {
      features.learn(authorization, card);
    }
  }
  const batch = Array.from({ length: decisions }, (_, i) =>
    makeAuthorization(warmCount + i, startMs + warmSpanMs + i * 10),
  );
  const outcomes: Record<string, number> = {};
  const began = performance.now();
  for (const [authorization, card] of batch) {
    const { decision } = engine.score(authorization, card);
    outcomes[decision.outcome] = (outcomes[decision.outcome] ?? 0) + 1;
  }
  const seconds = (performance.now() - began) / 1000;
  return { decisionsPerSec: decisions / seconds, outcomes, stats: features.stats() };
}

type LoadResult = {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  errors: number;
  /** CPU time of the server process per completed request, warm-up included in the CPU. */
  serverCpuUsPerRequest?: number;
};

async function runLoad(job: Record<string, unknown>): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const result = await runLoadChild(job);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    serverCpuUsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(1, result.completed)),
  };
}

function runLoadChild(job: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, "load-generator.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (message) => resolve(message as LoadResult));
    child.once("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`load generator exited ${code}`));
      }
    });
    child.send(job);
  });
}

/** One cardholder with `cardCount` cards, issued 256 at a time through the card service. */
async function enrollBenchCards(platform: Platform, cardCount: number): Promise<string[]> {
  const random = createSeededRandom(7);
  const holder = await platform.cards.registerCardholder({
    name: "Bench",
    phone: "+819000000000",
    email: "bench@example.invalid",
    language: "ja",
    timeZone: "Asia/Tokyo",
    homeCountry: "JP",
  });
  if (!holder.ok) {
    throw new Error("bench cardholder");
  }
  const cardIds: string[] = [];
  for (let start = 0; start < cardCount; start += 256) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(256, cardCount - start) }, () => {
        let partial = "4";
        for (let i = 0; i < 14; i++) {
          partial += String(random.int(10));
        }
        return platform.cards.issueCard({
          cardholderId: holder.cardholder.id,
          pan: withLuhnCheckDigit(partial),
          expiry: "2099-12",
        });
      }),
    );
    for (const result of chunk) {
      if (result.ok) {
        cardIds.push(result.card.id);
      }
    }
  }
  return cardIds;
}

/**
 * N `mimamori serve --role api` processes on PostgreSQL and Redis, under the same closed-loop
 * load spread over them, for N = 1 and 2; and what a card costs in Redis (MEMORY USAGE of its key,
 * after the load, averaged over a sample). Needs the machine's PostgreSQL and Redis.
 */
async function benchScaleOut(cardCount: number, durationMs: number, connections: number, runCount: number) {
  const adminUrl = process.env.MIMAMORI_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.MIMAMORI_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const suffix = randomBytes(4).toString("hex");
  const databaseName = `mimamori_bench_${suffix}`;
  const keyPrefix = `mimamori-bench:${suffix}:`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${databaseName}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-bench-scale-"));
  const apiKey = `mk_bench_${suffix}`;
  const redis = await connectRedis(redisUrl);
  try {
    const platformEnv = { MIMAMORI_REDIS_KEY_PREFIX: keyPrefix, MIMAMORI_API_KEY: apiKey };
    log(`scale-out: enrolling ${cardCount} cards on PostgreSQL…`);
    const platform = await startPlatform({
      dataDir,
      databaseUrl: databaseUrl.toString(),
      redisUrl,
      seedDemo: false,
      env: platformEnv,
    });
    const cardIds = await enrollBenchCards(platform, cardCount);
    await platform.close();
    const env = {
      ...platformEnv,
      MIMAMORI_DATABASE_URL: databaseUrl.toString(),
      MIMAMORI_REDIS_URL: redisUrl,
      MIMAMORI_DATA_DIR: dataDir,
      MIMAMORI_SEED_DEMO: "false",
      MIMAMORI_LOG_LEVEL: "warn",
    };
    const byProcesses: Record<
      string,
      { decisionsPerSec: number; p50Ms: number; p99Ms: number; errors: number }
    > = {};
    for (const processCount of [1, 2]) {
      const servers = await Promise.all(
        Array.from({ length: processCount }, () => startServeProcess(env, ["--role", "api"])),
      );
      const ports = servers.map((server) => Number(new URL(server.url).port));
      const results: LoadResult[] = [];
      for (let run = 0; run < runCount; run++) {
        results.push(
          await runLoadChild({
            port: ports[0],
            ports,
            apiKey,
            connections,
            durationMs,
            warmupMs: 1_000,
            cardIds,
            path: "/v1/authorizations",
            runId: `s${processCount}-${run}`,
          }),
        );
        const last = results[results.length - 1] as LoadResult;
        log(
          `scale-out ${processCount} process(es) run ${run + 1}: ${Math.round(last.requestsPerSec)}/s p99 ${last.p99Ms.toFixed(2)} ms`,
        );
      }
      for (const server of servers) {
        server.child.kill("SIGTERM");
      }
      await Promise.all(servers.map((server) => server.exited));
      byProcesses[String(processCount)] = {
        decisionsPerSec: Math.round(median(results.map((r) => r.requestsPerSec))),
        p50Ms: Number(median(results.map((r) => r.p50Ms)).toFixed(3)),
        p99Ms: Number(median(results.map((r) => r.p99Ms)).toFixed(3)),
        errors: results.reduce((sum, r) => sum + r.errors, 0),
      };
    }
    const sample = cardIds.slice(0, 500);
    const usages = await Promise.all(
      sample.map((cardId) => redis.memory("USAGE", `${keyPrefix}c:${cardId}`)),
    );
    const measured = usages.filter((usage): usage is number => typeof usage === "number");
    return {
      processes: byProcesses,
      ratio2to1: Number(
        (
          (byProcesses["2"]?.decisionsPerSec ?? 0) / Math.max(1, byProcesses["1"]?.decisionsPerSec ?? 0)
        ).toFixed(3),
      ),
      redisBytesPerCard: Math.round(
        measured.reduce((sum, usage) => sum + usage, 0) / Math.max(1, measured.length),
      ),
      cards: cardIds.length,
      connections,
      durationSec: durationMs / 1000,
      runs: runCount,
      cores: availableParallelism(),
      store: "postgresql + redis",
    };
  } finally {
    await deleteKeysWithPrefix(redis, keyPrefix);
    redis.disconnect();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchHttp(cardCount: number, durationMs: number, connections: number, runCount: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-bench-"));
  try {
    const platform = await startPlatform({
      dataDir: storeKind === "memory" ? null : dataDir,
      seedDemo: false,
      env: {},
    });
    const cardIds = await enrollBenchCards(platform, cardCount);
    const app = await buildPlatformHttpApp(platform, {
      logger: createLogger({ level: "warn" }),
      withEmptyBenchRoute: true,
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const job = { port, apiKey: platform.apiKey, connections, durationMs, warmupMs: 1_000, cardIds };
    const decisions: LoadResult[] = [];
    const empties: LoadResult[] = [];
    for (let run = 0; run < runCount; run++) {
      // Alternate the order so neither route always runs on a warmer process.
      const emptyFirst = run % 2 === 1;
      if (emptyFirst) {
        empties.push(await runLoad({ ...job, path: "/v1/bench/empty", runId: `e${run}` }));
      }
      decisions.push(await runLoad({ ...job, path: "/v1/authorizations", runId: `d${run}` }));
      if (!emptyFirst) {
        empties.push(await runLoad({ ...job, path: "/v1/bench/empty", runId: `e${run}` }));
      }
      const last = decisions[decisions.length - 1] as LoadResult;
      log(
        `http run ${run + 1}: decisions ${Math.round(last.requestsPerSec)}/s p99 ${last.p99Ms.toFixed(2)} ms ${last.serverCpuUsPerRequest} µs CPU/request, empty ${Math.round((empties[empties.length - 1] as LoadResult).requestsPerSec)}/s ${(empties[empties.length - 1] as LoadResult).serverCpuUsPerRequest} µs CPU/request`,
      );
    }
    await app.close();
    await platform.close();
    const decisionsPerSec = median(decisions.map((r) => r.requestsPerSec));
    const emptyRoutePerSec = median(empties.map((r) => r.requestsPerSec));
    return {
      decisionsPerSec: Math.round(decisionsPerSec),
      p50Ms: Number(median(decisions.map((r) => r.p50Ms)).toFixed(3)),
      p99Ms: Number(median(decisions.map((r) => r.p99Ms)).toFixed(3)),
      emptyRoutePerSec: Math.round(emptyRoutePerSec),
      ratioToEmptyRoute: Number((decisionsPerSec / emptyRoutePerSec).toFixed(3)),
      errors: decisions.reduce((sum, r) => sum + r.errors, 0),
      cards: cardIds.length,
      connections,
      durationSec: durationMs / 1000,
      runs: runCount,
      store: storeKind === "memory" ? "memory (not durable)" : "pglite (on disk, group commit)",
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const inProcessRuns: ReturnType<typeof benchInProcess>[] = [];
const withModelRuns: ReturnType<typeof benchInProcess>[] = [];
const served = only === "http" ? null : benchModel();
log("in-process: warming 100,000 cards…");
for (let run = 0; run < (only === "http" ? 0 : runs); run++) {
  const result = benchInProcess(100_000, 10, 300_000);
  log(
    `in-process run ${run + 1}: ${Math.round(result.decisionsPerSec)} decisions/s ${JSON.stringify(result.outcomes)}`,
  );
  inProcessRuns.push(result);
  const withModel = benchInProcess(100_000, 10, 300_000, served?.model ?? null);
  log(`in-process with the model run ${run + 1}: ${Math.round(withModel.decisionsPerSec)} decisions/s`);
  withModelRuns.push(withModel);
}
const plainPerSec = median(inProcessRuns.map((r) => r.decisionsPerSec));
const modelPerSec = median(withModelRuns.map((r) => r.decisionsPerSec));
const last = inProcessRuns[inProcessRuns.length - 1];
const inProcess = {
  decisionsPerSec: Math.round(median(inProcessRuns.map((r) => r.decisionsPerSec))),
  cards: 100_000,
  warmAuthorizationsPerCard: 10,
  decisionsPerRun: 300_000,
  runs,
  bytesPerCardEstimate: last?.stats.bytesPerCardEstimate,
  outcomes: last?.outcomes,
  withModel: {
    decisionsPerSec: Math.round(modelPerSec),
    modelTrees: served?.trees ?? 0,
    // The model's cost per decision: the difference of the two medians' times per decision.
    microsecondsAddedPerDecision:
      plainPerSec > 0 && modelPerSec > 0 ? Number((1e6 / modelPerSec - 1e6 / plainPerSec).toFixed(2)) : null,
    outcomes: withModelRuns.at(-1)?.outcomes,
  },
};
log("http: enrolling cards on the embedded store…");
const http = only === "in-process" ? null : await benchHttp(10_000, 5_000, 32, runs);
const isScaleOut = argv.includes("--scale-out");
const scaleOut = isScaleOut ? await benchScaleOut(10_000, 5_000, 32, runs) : null;
const result = { inProcess, http, ...(isScaleOut ? { scaleOut } : {}), node: process.version };
process.stdout.write(`${JSON.stringify(isJson ? result : result, null, isJson ? 0 : 2)}\n`);
