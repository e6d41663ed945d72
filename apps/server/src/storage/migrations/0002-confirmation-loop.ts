/**
 * The confirmation loop: a security phrase per cardholder, the replaced card of a reissue, and the
 * documents table that holds holds, cases, outbox messages and the loop's other records
 * (docs/decisions/0002-loop-documents.md). Cardholders enrolled before this migration are given a
 * phrase drawn here by PostgreSQL, since every message must carry one.
 */
import type { Migration } from "kysely";
import { sql } from "kysely";

const statements = [
  sql`alter table cardholders add column security_phrase text not null default ''`,
  sql`update cardholders set security_phrase =
    (array['maple','harbor','lantern','meadow','comet','willow','pebble','orchid'])[1 + floor(random() * 8)::int]
    || ' ' ||
    (array['falcon','summit','juniper','canyon','thistle','otter','saffron','glacier'])[1 + floor(random() * 8)::int]
    || ' ' || lpad(floor(random() * 100)::int::text, 2, '0')`,
  sql`alter table cardholders alter column security_phrase drop default`,
  sql`alter table cards add column replaces_card_id text`,
  sql`create table documents (
    id text collate "C" not null constraint documents_pkey primary key,
    kind text not null,
    version integer not null,
    card_id text,
    cardholder_id text,
    state text not null,
    due_at_ms bigint,
    lookup_key text,
    created_at_ms bigint not null,
    updated_at_ms bigint not null,
    body_json text not null
  )`,
  // A second key only some kinds use, unique within its kind.
  sql`create unique index documents_lookup_key_idx on documents (kind, lookup_key) where lookup_key is not null`,
  sql`create index documents_card_idx on documents (kind, card_id, created_at_ms, id) where card_id is not null`,
  sql`create index documents_cardholder_idx on documents (kind, cardholder_id, created_at_ms, id) where cardholder_id is not null`,
  // The workers' queue: what is due, per kind and state.
  sql`create index documents_due_idx on documents (kind, state, due_at_ms, id) where due_at_ms is not null`,
  // A card's recent decisions: card-on-file merchants after a reissue, the cardholder's history.
  sql`create index decisions_card_idx on decisions (card_id, occurred_at_ms, authorization_id)`,
];

export const confirmationLoop: Migration = {
  async up(db) {
    for (const statement of statements) {
      await statement.execute(db);
    }
  },
};
