/**
 * The machine's PostgreSQL and Redis for the tests that need a real server. With CI=true a
 * missing service fails the test file (CI must run them); elsewhere the file's tests are skipped
 * and the reason is printed, so `npm test` on a laptop says what it did not run.
 *
 * Each test file gets its own database (created here, dropped when the process exits) and its own
 * Redis key prefix, so files running in parallel never see each other's rows or keys.
 */
import { randomBytes } from "node:crypto";
import { after } from "node:test";
import { Redis } from "ioredis";
import pg from "pg";

export const postgresAdminUrl =
  process.env.MIMAMORI_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const redisUrl = process.env.MIMAMORI_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Either the service to use, or why the tests that need it are skipped. */
export type Service<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly skip: string };

/**
 * A server that is not running refuses at once; this long is for one that is busy, as the
 * machine's PostgreSQL is while the whole suite runs its files side by side on two cores.
 */
const serviceConnectTimeoutMs = 20_000;

function missing<T>(name: string, url: string, error: unknown): Service<T> {
  const reason = `${name} at ${url} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  if (process.env.CI === "true") {
    throw new Error(`CI runs the ${name} tests for real: ${reason}`);
  }
  process.stdout.write(`# SKIPPED: ${reason}; start ${name} or set the MIMAMORI_TEST_* URL to run them\n`);
  return { ok: false, skip: reason };
}

/** A fresh, empty database on the test server, dropped after the file's tests. */
export async function freshPostgresDatabase(label: string): Promise<Service<{ url: string }>> {
  const admin = new pg.Client({
    connectionString: postgresAdminUrl,
    connectionTimeoutMillis: serviceConnectTimeoutMs,
  });
  try {
    await admin.connect();
  } catch (error) {
    return missing("PostgreSQL", postgresAdminUrl, error);
  }
  const name = `mimamori_test_${label.replace(/[^a-z0-9]/g, "_")}_${randomBytes(4).toString("hex")}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  after(async () => {
    const dropper = new pg.Client({ connectionString: postgresAdminUrl });
    await dropper.connect();
    // Connections a failed test left open must not keep the database alive.
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { ok: true, value: { url: url.toString() } };
}

/** The test Redis and a key prefix no other file uses; the prefix's keys are deleted afterwards. */
export async function freshRedisPrefix(label: string): Promise<Service<{ url: string; keyPrefix: string }>> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: serviceConnectTimeoutMs,
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    probe.disconnect();
    return missing("Redis", redisUrl, error);
  }
  const keyPrefix = `mimamori-test:${label}:${randomBytes(4).toString("hex")}:`;
  after(async () => {
    await deleteKeysWithPrefix(probe, keyPrefix);
    probe.disconnect();
  });
  return { ok: true, value: { url: redisUrl, keyPrefix } };
}

export async function deleteKeysWithPrefix(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 1000);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    cursor = next;
  } while (cursor !== "0");
}
