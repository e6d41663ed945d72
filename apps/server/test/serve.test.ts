/**
 * `mimamori serve` as an operator runs it: process roles, cluster mode and its refusals,
 * readiness, and a graceful stop that answers every request in flight before the process exits.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseServeConfig } from "../src/config/config.ts";
import { startTestServer } from "./harness.ts";
import { mimamoriBin as bin, freePort, tokyoCardholder } from "./processes.ts";
import { freshPostgresDatabase, freshRedisPrefix } from "./services.ts";

const databaseUrl = "postgres://mimamori:secret@db.internal:5432/mimamori";

function refusal(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const parsed = parseServeConfig(args, env);
  assert.ok(!parsed.ok, `${args.join(" ")} is refused`);
  return parsed.code;
}

test("serve runs the API and the workers in one process unless --role or MIMAMORI_ROLE splits them", () => {
  const defaults = parseServeConfig([], {});
  assert.ok(defaults.ok);
  assert.equal(defaults.config.role, "all");
  assert.equal(defaults.config.processes, 1);
  assert.equal(defaults.config.databaseUrl, null);
  assert.equal(defaults.config.redisUrl, null);

  const api = parseServeConfig(["--role", "api", "--database-url", databaseUrl], {});
  assert.ok(api.ok && api.config.role === "api" && api.config.databaseUrl === databaseUrl);
  const fromEnv = parseServeConfig([], {
    MIMAMORI_ROLE: "worker",
    MIMAMORI_DATABASE_URL: databaseUrl,
    MIMAMORI_REDIS_URL: "redis://cache:6379",
  });
  assert.ok(
    fromEnv.ok && fromEnv.config.role === "worker" && fromEnv.config.redisUrl === "redis://cache:6379",
  );
  const flagWins = parseServeConfig(["--role", "all"], { MIMAMORI_ROLE: "worker" });
  assert.ok(flagWins.ok && flagWins.config.role === "all", "a flag overrides the environment");

  assert.equal(refusal(["--role", "both"]), "invalid_role");
  assert.equal(refusal([], { MIMAMORI_ROLE: "API" }), "invalid_role");
  assert.equal(refusal(["--role"]), "invalid_option");
  // Half the work in this process means the other half in another, which needs a shared store.
  assert.equal(refusal(["--role", "api"]), "role_needs_database_url");
  assert.equal(refusal(["--role", "worker"]), "role_needs_database_url");
});

test("cluster mode is refused with a code where its processes could not share the store or the workers", () => {
  assert.equal(refusal(["--processes", "2"]), "processes_need_database_url");
  assert.equal(refusal([], { MIMAMORI_PROCESSES: "2" }), "processes_need_database_url");
  assert.equal(
    refusal(["--processes", "2", "--role", "worker", "--database-url", databaseUrl]),
    "processes_need_api_role",
  );
  // Two scorers with a velocity window each would each see half of a card's authorizations.
  assert.equal(refusal(["--processes", "2", "--database-url", databaseUrl]), "processes_need_redis_url");
  for (const processes of ["0", "-1", "1.5", "many", "257"]) {
    assert.equal(refusal(["--processes", processes]), "invalid_processes", processes);
  }
  const auto = parseServeConfig(
    ["--processes", "auto", "--database-url", databaseUrl, "--redis-url", "redis://cache:6379"],
    {},
  );
  assert.ok(auto.ok && auto.config.processes === availableParallelism(), "auto is one per core");

  const badDatabase = parseServeConfig(["--database-url", "mysql://root:hunter2@db/x"], {});
  assert.ok(!badDatabase.ok && badDatabase.code === "invalid_database_url");
  assert.ok(!badDatabase.message.includes("hunter2"), "a refused URL is not echoed: it may hold a password");
  assert.equal(refusal(["--redis-url", "http://cache"]), "invalid_redis_url");
  const emptyIsUnset = parseServeConfig([], { MIMAMORI_DATABASE_URL: "", MIMAMORI_REDIS_URL: "" });
  assert.ok(emptyIsUnset.ok && emptyIsUnset.config.databaseUrl === null);
});

test("serve --processes 2 without a database URL exits 2 with processes_need_database_url", () => {
  const served = spawnSync(process.execPath, [bin, "serve", "--processes", "2", "--data", ":memory:"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, MIMAMORI_DATABASE_URL: "" },
  });
  assert.equal(served.status, 2, served.stderr);
  assert.match(served.stderr, /^error processes_need_database_url: /m);
});

test("readiness answers 200 while the store answers, then 503 draining once the stop begins", async () => {
  const server = await startTestServer();
  try {
    const ready = await server.app.inject({ method: "GET", url: "/v1/ready" });
    assert.equal(ready.statusCode, 200, "public: no API key needed");
    assert.deepEqual(ready.json(), { ready: true, checks: { store: "ok" } });
    assert.notEqual(ready.headers.connection, "close");

    server.platform.beginDrain();
    const draining = await server.app.inject({ method: "GET", url: "/v1/ready" });
    assert.equal(draining.statusCode, 503);
    const body = draining.json() as { ready: boolean; error: { code: string } };
    assert.equal(body.ready, false);
    assert.equal(body.error.code, "draining");
    assert.equal(draining.headers.connection, "close", "a draining process ends keep-alive connections");
    const health = await server.app.inject({ method: "GET", url: "/v1/health" });
    assert.equal(health.statusCode, 200, "liveness is unchanged while draining");
  } finally {
    await server.close();
  }
});

type Answer = { status: number; isConnectionClosed: boolean } | { error: string };

test("SIGTERM during a burst of authorizations answers every request sent before it, then exits 0", async (t) => {
  const port = await freePort();
  const apiKey = "mk_serve_test_key";
  // The memory store starts in a second where a fresh embedded store takes ten; the drain is the same.
  const child = spawn(
    process.execPath,
    [bin, "serve", "--port", String(port), "--host", "127.0.0.1", "--data", ":memory:", "--no-demo"],
    { env: { ...process.env, MIMAMORI_API_KEY: apiKey }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const burst = 150;
  // One connection per request, opened before the burst: every request is then on an
  // established connection, as an issuer's host keeps them.
  const agent = new Agent({ keepAlive: true, maxSockets: burst });
  const call = (method: string, path: string, body?: unknown): Promise<Answer> =>
    new Promise((done) => {
      const outgoing = request(
        {
          host: "127.0.0.1",
          port,
          path,
          method,
          agent,
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            done({
              status: response.statusCode ?? 0,
              isConnectionClosed: response.headers.connection === "close",
            }),
          );
        },
      );
      outgoing.on("error", (error) => done({ error: error.message }));
      outgoing.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const statusOf = (answer: Answer) => ("status" in answer ? answer.status : answer.error);
  try {
    let ready: Answer = { error: "not started" };
    for (let attempt = 0; attempt < 100 && statusOf(ready) !== 200; attempt++) {
      await new Promise((done) => setTimeout(done, 100));
      ready = await call("GET", "/v1/ready");
    }
    assert.equal(statusOf(ready), 200, output);
    const cardholder = await fetch(`http://127.0.0.1:${port}/v1/cardholders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(tokyoCardholder),
    }).then((response) => response.json() as Promise<{ id: string }>);
    const card = await fetch(`http://127.0.0.1:${port}/v1/cards`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ cardholderId: cardholder.id, pan: "4111111111111111", expiry: "2030-12" }),
    }).then((response) => response.json() as Promise<{ id: string }>);
    const warmUp = await Promise.all(Array.from({ length: burst }, () => call("GET", "/v1/health")));
    assert.ok(warmUp.every((answer) => statusOf(answer) === 200));

    const occurredAt = new Date().toISOString();
    const answers = Array.from({ length: burst }, (_, i) =>
      call("POST", "/v1/authorizations", {
        id: `burst-${i}`,
        card: { cardId: card.id },
        amount: { minor: 1_200 + i, currency: "JPY" },
        merchant: { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" },
        channel: "pos",
        occurredAt,
      }),
    );
    // The signal follows the burst at once: its requests are written (on the next turn of the
    // event loop) and reach the server before the signal, and are answered while it drains.
    await new Promise((done) => setImmediate(done));
    child.kill("SIGTERM");
    const settled = await Promise.all(answers);
    assert.deepEqual(
      settled.map(statusOf).filter((status) => status !== 200),
      [],
      "every request sent before the signal is answered",
    );
    // Usually most of the burst is answered during the drain; on a fast run all of it comes first.
    const drainAnswers = settled.filter((answer) => "status" in answer && answer.isConnectionClosed);
    t.diagnostic(`answered while draining: ${drainAnswers.length} of ${burst}`);
    assert.equal(await exited, 0, output);
    assert.match(output, /stopped: last commit written, store closed/);
  } finally {
    agent.destroy();
    child.kill("SIGKILL");
  }
});

const database = await freshPostgresDatabase("serve_cluster");
const redis = await freshRedisPrefix("serve-cluster");
const servicesSkip = !database.ok ? database.skip : !redis.ok ? redis.skip : undefined;

test("serve --processes 2 shares the port, restarts a process that dies, and stops every process on SIGTERM", {
  skip: servicesSkip,
}, async () => {
  assert.ok(database.ok && redis.ok);
  const work = mkdtempSync(join(tmpdir(), "mimamori-cluster-"));
  const port = await freePort();
  const primary = spawn(
    process.execPath,
    [bin, "serve", "--port", String(port), "--host", "127.0.0.1", "--processes", "2", "--role", "api"],
    {
      env: {
        ...process.env,
        MIMAMORI_DATABASE_URL: database.value.url,
        MIMAMORI_REDIS_URL: redis.value.url,
        MIMAMORI_REDIS_KEY_PREFIX: redis.value.keyPrefix,
        MIMAMORI_API_KEY: "mk_cluster_test_key",
        MIMAMORI_DATA_DIR: work,
        MIMAMORI_SEED_DEMO: "false",
        MIMAMORI_LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  primary.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  primary.stderr.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((done) => primary.once("exit", (code) => done(code)));
  const startedPids = () =>
    [...output.matchAll(/"pid":(\d+),"msg":"process started"/g)].map((match) => Number(match[1]));
  const waitFor = async (isDone: () => boolean, what: string) => {
    for (let attempt = 0; attempt < 300 && !isDone(); attempt++) {
      await new Promise((done) => setTimeout(done, 50));
    }
    assert.ok(isDone(), `${what}\n${output}`);
  };
  try {
    // The first process is killed once it serves, so its replacement starts beside the second.
    await waitFor(() => startedPids().length === 1, "the first API process starts");
    const [victim] = startedPids();
    assert.ok(victim !== undefined);
    process.kill(victim, "SIGKILL");
    await waitFor(() => startedPids().length === 3, "the second starts and the killed one is replaced");
    assert.match(output, /"signal":"SIGKILL","restartInMs":500,"msg":"process died; restarting"/);
    const ready = await fetch(`http://127.0.0.1:${port}/v1/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, checks: { store: "ok", redis: "ok" } });

    primary.kill("SIGTERM");
    assert.equal(await exited, 0, output);
    assert.equal(output.match(/stopped: last commit written, store closed/g)?.length, 2, output);
    assert.match(output, /"exitCode":0,"msg":"every process has stopped"/);
  } finally {
    primary.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
});
