import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { Dialect } from "kysely";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { limits } from "../config/limits.ts";
import { assert, assertNever } from "../platform/assert.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { createMemoryStore } from "./memory/memory-store.ts";
import { migrateToLatest } from "./migrations/migrate-to-latest.ts";
import type { Database } from "./sql/database.ts";
import { createPgliteDialect } from "./sql/pglite-dialect.ts";
import { createSqlStore } from "./sql/sql-store.ts";
import type { Store } from "./store.ts";
import { openWorkerStore } from "./worker/worker-store.ts";

/** Which store to open. Each SQL kind only builds a Kysely dialect; migrations and the adapter are shared. */
export type OpenStoreOptions =
  | { readonly kind: "memory" }
  /**
   * dataDir null keeps the whole database in memory, for tests. inWorker runs PGlite on its own
   * thread (the server does this, so SQL never stalls the event loop).
   */
  | { readonly kind: "pglite"; readonly dataDir: string | null; readonly inWorker?: boolean }
  /**
   * A PostgreSQL server, the system of record when several processes share one database. The
   * pool holds limits.postgresConnectionsMax connections unless poolSize says otherwise.
   */
  | { readonly kind: "postgres"; readonly url: string; readonly poolSize?: number };

/**
 * A database that could not be opened, with a stable code the CLI prints (`error <code>: …`)
 * instead of a stack trace. retryable tells a caller whether waiting can help: a server that is
 * down may come back, a malformed URL or a failing migration will not fix itself.
 */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
  readonly code: "invalid_database_url" | "database_unreachable" | "migration_failed" | "data_dir_in_use";
  readonly retryable: boolean;

  constructor(code: StoreOpenError["code"], message: string, options?: { cause: unknown }) {
    super(message, options);
    this.code = code;
    this.retryable = code === "database_unreachable";
  }
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  switch (options.kind) {
    case "memory":
      return createMemoryStore();
    case "pglite": {
      const { dataDir } = options;
      const open = () => (options.inWorker === true ? openWorkerStore(dataDir) : openPgliteStore(dataDir));
      return dataDir === null ? open() : openLocked(dataDir, open);
    }
    case "postgres": {
      const db = await connectPostgres(options.url, options.poolSize ?? limits.postgresConnectionsMax);
      await migrateOrClose(db);
      return createSqlStore(db, { isShared: true });
    }
    default:
      return assertNever(options);
  }
}

/**
 * Applies the pending migrations to a PostgreSQL database and returns their names (none when it
 * is up to date): `mimamori migrate`. Safe while servers start against the same database, since
 * Kysely's Migrator holds a PostgreSQL advisory lock while it reads and applies migrations.
 */
export async function migratePostgres(url: string): Promise<string[]> {
  const db = await connectPostgres(url, 1);
  try {
    return await migrateOrExplain(db);
  } finally {
    await db.destroy();
  }
}

/** The store on a data directory this process has locked, unlocked again when it closes. */
async function openLocked(dataDir: string, open: () => Promise<Store>): Promise<Store> {
  const locked = await lockDataDir(dataDir);
  if (!locked.ok) {
    throw new StoreOpenError(locked.code, locked.message);
  }
  let store: Store;
  try {
    store = await open();
  } catch (error) {
    await locked.lock.release();
    throw error;
  }
  return {
    ...store,
    async close() {
      try {
        await store.close();
      } finally {
        await locked.lock.release();
      }
    },
  };
}

/**
 * A PGlite store, without the data directory's lock: for the store's worker thread, whose
 * process took the lock when it started the thread.
 */
export async function openPgliteStore(dataDir: string | null): Promise<Store> {
  return openSqlStore(createPgliteDialect(await openPglite(dataDir)));
}

/**
 * PGlite writes its files through Emscripten's NODEFS, which has no fsync: a commit survives a
 * crash of this process but not the loss of the machine. Production durability is PostgreSQL's job.
 */
async function openPglite(dataDir: string | null): Promise<PGlite> {
  if (dataDir === null) {
    return PGlite.create();
  }
  await mkdir(dataDir, { recursive: true });
  return PGlite.create(dataDir);
}

/** Migrates before anything reads, so a store is never used against an older schema. */
async function openSqlStore(dialect: Dialect): Promise<Store> {
  const db = new Kysely<Database>({ dialect });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createSqlStore(db);
}

async function migrateOrClose(db: Kysely<Database>): Promise<void> {
  try {
    await migrateOrExplain(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function migrateOrExplain(db: Kysely<Database>): Promise<string[]> {
  try {
    return await migrateToLatest(db);
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? `: ${messageOf(error.cause)}` : "";
    throw new StoreOpenError("migration_failed", `${messageOf(error)}${cause}`, { cause: error });
  }
}

/**
 * A pool whose first connection has been made, so a wrong URL or a server that is down fails here,
 * at start-up, with a coded error, and not at the first authorization.
 */
async function connectPostgres(url: string, poolSize: number): Promise<Kysely<Database>> {
  assert(Number.isSafeInteger(poolSize) && poolSize >= 1, "a pool holds at least one connection");
  const where = serverOf(url);
  if (where === null) {
    throw new StoreOpenError(
      "invalid_database_url",
      "the database URL must look like postgres://user:password@host:5432/database",
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: limits.postgresConnectTimeoutMs,
  });
  // An idle connection that breaks (a server restart, a network cut) is dropped by the pool and
  // the next query opens a new one or fails as an outage there. Without a listener, the pool's
  // error event would end the process.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new StoreOpenError("database_unreachable", `PostgreSQL at ${where}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The host, port and database of a postgres URL, for an error message: the whole URL is never
 * shown, as it may carry a password (in its user part or its query). Null if it is no postgres URL.
 */
function serverOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return null;
  }
  return `${parsed.host}${parsed.pathname}`;
}

/**
 * Node 20 tries each address of a host name in turn (localhost: ::1, then 127.0.0.1) and reports
 * them all refused as an AggregateError with an empty message; its parts say why.
 */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") {
    return error.errors.map(messageOf).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}
