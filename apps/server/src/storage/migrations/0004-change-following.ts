/**
 * Change following: a process on a shared store reads the cards and documents other processes
 * wrote since a time, in (updated_at_ms, id) order, and these indexes serve that read and its
 * row-comparison cursor directly.
 */
import type { Migration } from "kysely";
import { sql } from "kysely";

const statements = [
  sql`create index cards_updated_idx on cards (updated_at_ms, id)`,
  sql`create index documents_updated_idx on documents (updated_at_ms, id)`,
];

export const changeFollowing: Migration = {
  async up(db) {
    for (const statement of statements) {
      await statement.execute(db);
    }
  },
};
