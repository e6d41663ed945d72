/**
 * Step-up: the channel each cardholder gets one-time codes on. Cardholders enrolled before it get
 * SMS, the channel Japanese issuers use for 3-D Secure codes; challenges and authentications are
 * documents and need no table of their own.
 */
import type { Migration } from "kysely";
import { sql } from "kysely";

export const stepUp: Migration = {
  async up(db) {
    await sql`alter table cardholders add column step_up_channel text not null default 'sms'`.execute(db);
  },
};
