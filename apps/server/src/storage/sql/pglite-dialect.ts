/**
 * A Kysely dialect over one PGlite instance: Kysely's own Postgres compiler, adapter and
 * introspector, with a driver that hands out PGlite's single connection to one user at a time.
 * PGlite serializes single queries itself, but a transaction is several queries, and a query from
 * elsewhere slipping between BEGIN and COMMIT would join that transaction; the lock prevents it.
 */
import type { PGlite } from "@electric-sql/pglite";
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from "kysely";
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";

/** The dialect owns the instance: destroying the Kysely instance closes PGlite. */
export function createPgliteDialect(pglite: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => createPgliteDriver(pglite),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** Commands whose row count Kysely reports as numAffectedRows, as its own Postgres driver does. */
const rowCountCommands = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

function createPgliteDriver(pglite: PGlite): Driver {
  const executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    const result = await pglite.query<R>(query.sql, [...query.parameters]);
    if (result.command !== undefined && rowCountCommands.has(result.command)) {
      return { rows: result.rows, numAffectedRows: BigInt(result.rowCount ?? result.affectedRows ?? 0) };
    }
    return { rows: result.rows };
  };

  const connection: DatabaseConnection = {
    executeQuery,
    // PGlite has no server-side cursor; its result is in memory already, so it is handed out in chunks.
    async *streamQuery<R>(query: CompiledQuery, chunkSize = 1_000): AsyncIterableIterator<QueryResult<R>> {
      const result = await executeQuery<R>(query);
      for (let start = 0; start < result.rows.length; start += chunkSize) {
        yield { rows: result.rows.slice(start, start + chunkSize) };
      }
    },
  };

  let isHeld = false;
  const waiters: (() => void)[] = [];

  const run = async (sql: string): Promise<void> => {
    await pglite.query(sql);
  };

  return {
    async init() {
      await pglite.waitReady;
    },
    async acquireConnection() {
      if (isHeld) {
        // The releaser hands the connection straight to the first waiter, so it stays held.
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      isHeld = true;
      return connection;
    },
    async releaseConnection() {
      const next = waiters.shift();
      if (next === undefined) {
        isHeld = false;
      } else {
        next();
      }
    },
    async beginTransaction(_connection, settings: TransactionSettings) {
      const modes: string[] = [];
      if (settings.isolationLevel !== undefined) {
        modes.push(`isolation level ${settings.isolationLevel}`);
      }
      if (settings.accessMode !== undefined) {
        modes.push(settings.accessMode);
      }
      await run(modes.length === 0 ? "begin" : `start transaction ${modes.join(", ")}`);
    },
    async commitTransaction() {
      await run("commit");
    },
    async rollbackTransaction() {
      await run("rollback");
    },
    async destroy() {
      if (!pglite.closed) {
        await pglite.close();
      }
    },
  };
}
