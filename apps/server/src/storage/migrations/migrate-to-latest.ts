import type { Kysely, Migration, MigrationProvider } from "kysely";
import { Migrator } from "kysely";
import type { Database } from "../sql/database.ts";
import { init } from "./0001-init.ts";
import { confirmationLoop } from "./0002-confirmation-loop.ts";
import { stepUp } from "./0003-step-up.ts";
import { changeFollowing } from "./0004-change-following.ts";

/**
 * Every migration, by name, in the order they apply. A static list instead of Kysely's
 * FileMigrationProvider: it works from any working directory and in a bundled build.
 */
const migrations: Readonly<Record<string, Migration>> = {
  "0001_init": init,
  "0002_confirmation_loop": confirmationLoop,
  "0003_step_up": stepUp,
  "0004_change_following": changeFollowing,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Applies the migrations not yet applied and returns their names; throws if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return migrateUpTo(db, null);
}

/** As migrateToLatest, stopping after `lastName`: how an upgrade from an older schema is tested. */
export async function migrateUpTo(db: Kysely<Database>, lastName: string | null): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } =
    lastName === null ? await migrator.migrateToLatest() : await migrator.migrateTo(lastName);
  const failed = results.find((result) => result.status === "Error");
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? "(before any migration ran)";
    throw new Error(`migration ${name} failed`, { cause: error });
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}
