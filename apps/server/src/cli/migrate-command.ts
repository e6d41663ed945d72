/**
 * `mimamori migrate [--database-url URL]`: brings a PostgreSQL database to the current schema
 * before a rollout, so the new servers start against it instead of racing to migrate it (they
 * would be safe anyway: migrations take an advisory lock). The embedded store migrates itself on
 * open and needs no command.
 */
import { migratePostgres } from "../storage/index.ts";
import { parseArgs } from "./args.ts";

export async function runMigrate(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, { values: ["database-url"] });
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  // A compose file writes `MIMAMORI_DATABASE_URL=` for "not given", so empty is unset.
  const url = parsed.args.values.get("database-url") ?? process.env.MIMAMORI_DATABASE_URL ?? "";
  if (url === "") {
    process.stderr.write(
      "error database_url_missing: give --database-url postgres://… or set MIMAMORI_DATABASE_URL\n",
    );
    return 2;
  }
  // A database that cannot be reached or migrated throws StoreOpenError, which runCli prints.
  const applied = await migratePostgres(url);
  process.stdout.write(
    applied.length === 0 ? "up to date\n" : applied.map((name) => `applied ${name}\n`).join(""),
  );
  return 0;
}
