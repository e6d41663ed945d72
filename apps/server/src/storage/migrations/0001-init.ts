/**
 * The first schema. Plain SQL that PostgreSQL 15 runs as well as PGlite (PostgreSQL 18), so the
 * embedded store and production share one migration.
 *
 * - Constraint names are spelled out: the SQL adapter maps a unique violation to a CommitResult
 *   code by constraint name, and each table's primary key comes first, so a row that breaks two
 *   keys reports the primary key, as the memory adapter does.
 * - Text keys that pages are ordered by use the "C" collation: bytewise, the same order on every
 *   server whatever its locale, and the same as the memory adapter's for ASCII ids.
 * - No foreign keys: the port has no outcome for a missing parent (services resolve the card before
 *   they write a decision), and a key check per decision row would tax the hottest insert.
 * - JSON fields are text, which keeps a response's exact bytes and inserts faster than jsonb.
 */
import type { Migration } from "kysely";
import { sql } from "kysely";

const statements = [
  sql`create table cardholders (
    id text collate "C" not null constraint cardholders_pkey primary key,
    name text not null,
    phone text not null,
    email text not null,
    language text not null,
    time_zone text not null,
    home_country text not null,
    created_at_ms bigint not null
  )`,
  sql`create table cards (
    id text collate "C" not null constraint cards_pkey primary key,
    cardholder_id text not null,
    pan_hash text not null constraint cards_pan_hash_key unique,
    pan_ciphertext text not null,
    pan_bin text not null,
    pan_last4 text not null,
    expiry text not null,
    state text not null,
    created_at_ms bigint not null,
    updated_at_ms bigint not null
  )`,
  sql`create index cards_cardholder_id_idx on cards (cardholder_id)`,
  sql`create table merchants (
    id text collate "C" not null constraint merchants_pkey primary key,
    name text not null,
    mcc text not null,
    country text not null
  )`,
  sql`create table rulesets (
    id text collate "C" not null constraint rulesets_pkey primary key,
    version integer not null constraint rulesets_version_key unique,
    name text not null,
    text text not null,
    status text not null,
    created_at_ms bigint not null,
    updated_at_ms bigint not null
  )`,
  sql`create table decisions (
    authorization_id text collate "C" not null constraint decisions_pkey primary key,
    external_id text not null constraint decisions_external_id_key unique,
    request_hash text not null,
    card_id text not null,
    occurred_at_ms bigint not null,
    decided_at_ms bigint not null,
    outcome text not null,
    score double precision not null,
    ruleset_id text not null,
    ruleset_version integer not null,
    authorization_json text not null,
    snapshot_json text not null,
    response_json text not null,
    shadow_json text not null
  )`,
  sql`create index decisions_occurred_at_idx on decisions (occurred_at_ms, authorization_id)`,
  sql`create table audit_log (
    seq bigint not null constraint audit_log_pkey primary key,
    at_ms bigint not null,
    actor text not null,
    action text not null,
    subject_id text not null,
    payload_json text not null,
    prev_hash text not null,
    hash text not null
  )`,
  // The hash chain makes tampering evident; the trigger makes the ordinary path refuse it outright.
  sql`create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op;
    end;
  $$`,
  sql`create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_refuse_change()`,
  sql`create table settings (
    key text collate "C" not null constraint settings_pkey primary key,
    value text not null
  )`,
];

export const init: Migration = {
  async up(db) {
    for (const statement of statements) {
      await statement.execute(db);
    }
  },
};
