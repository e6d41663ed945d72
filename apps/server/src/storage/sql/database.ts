/**
 * The tables as Kysely sees them, written by migrations/0001-init.ts. Times are epoch milliseconds
 * in `bigint` columns; JSON fields are JSON text (see json-text.ts for why not jsonb).
 */
import type { ColumnType } from "kysely";

/**
 * An int8 column: written as a number, read back as whatever the driver makes of int8 (PGlite: a
 * number, or a bigint past 2^53; pg: a string). The adapter converts it, never a global parser.
 */
export type Int8 = ColumnType<number | bigint | string, number, number>;

export interface CardholdersTable {
  id: string;
  name: string;
  phone: string;
  email: string;
  language: string;
  time_zone: string;
  home_country: string;
  security_phrase: string;
  step_up_channel: string;
  created_at_ms: Int8;
}

export interface CardsTable {
  id: string;
  cardholder_id: string;
  pan_hash: string;
  pan_ciphertext: string;
  pan_bin: string;
  pan_last4: string;
  expiry: string;
  state: string;
  replaces_card_id: string | null;
  created_at_ms: Int8;
  updated_at_ms: Int8;
}

export interface MerchantsTable {
  id: string;
  name: string;
  mcc: string;
  country: string;
}

export interface RulesetsTable {
  id: string;
  version: number;
  name: string;
  text: string;
  status: string;
  created_at_ms: Int8;
  updated_at_ms: Int8;
}

export interface DecisionsTable {
  authorization_id: string;
  external_id: string;
  request_hash: string;
  card_id: string;
  occurred_at_ms: Int8;
  decided_at_ms: Int8;
  outcome: string;
  score: number;
  ruleset_id: string;
  ruleset_version: number;
  authorization_json: string;
  snapshot_json: string;
  response_json: string;
  shadow_json: string;
}

export interface AuditLogTable {
  seq: Int8;
  at_ms: Int8;
  actor: string;
  action: string;
  subject_id: string;
  payload_json: string;
  prev_hash: string;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DocumentsTable {
  id: string;
  kind: string;
  version: number;
  card_id: string | null;
  cardholder_id: string | null;
  state: string;
  due_at_ms: Int8 | null;
  lookup_key: string | null;
  created_at_ms: Int8;
  updated_at_ms: Int8;
  body_json: string;
}

export interface Database {
  cardholders: CardholdersTable;
  cards: CardsTable;
  merchants: MerchantsTable;
  rulesets: RulesetsTable;
  decisions: DecisionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  documents: DocumentsTable;
}
