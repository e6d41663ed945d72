import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { Dialect } from "kysely";
import { Kysely } from "kysely";
import { assertNever } from "../platform/assert.ts";
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
  | { readonly kind: "pglite"; readonly dataDir: string | null; readonly inWorker?: boolean };

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  switch (options.kind) {
    case "memory":
      return createMemoryStore();
    case "pglite":
      if (options.inWorker === true) {
        return openWorkerStore(options.dataDir);
      }
      return openSqlStore(createPgliteDialect(await openPglite(options.dataDir)));
    default:
      return assertNever(options);
  }
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
