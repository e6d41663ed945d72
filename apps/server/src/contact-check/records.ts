/**
 * Our own records, for a signed-in cardholder's "did you really contact me?": whether we are
 * waiting for an answer from them, which messages we sent them around a given time, and whether
 * someone is due to call them. Read straight from the store, so every API process answers alike.
 */
import { limits } from "../config/limits.ts";
import type { Store } from "../storage/index.ts";

export type ContactChannel = "phone" | "sms" | "email" | "push";

export type SentContact = {
  readonly channel: ContactChannel;
  readonly atMs: number;
  readonly purpose: string;
};

export type ContactFacts = {
  /** Holds waiting for this cardholder's "mine" / "not mine", oldest first. */
  readonly pendingConfirmationsAtMs: readonly number[];
  /** Messages we sent within the window around the asked time (all of them when no time is given). */
  readonly contactsNear: readonly SentContact[];
  /** Open outbound-call tasks: the only reason our staff call a cardholder. */
  readonly callTasksOpenSinceMs: readonly number[];
  /** The time the cardholder asks about, if any. */
  readonly askedAtMs: number | null;
};

export type ContactRecords = {
  factsFor(cardholderId: string, askedAtMs: number | null): Promise<ContactFacts>;
};

function isSentChannel(channel: unknown): channel is "sms" | "email" | "push" {
  return channel === "sms" || channel === "email" || channel === "push";
}

export function createContactRecords(store: Store): ContactRecords {
  return {
    async factsFor(cardholderId, askedAtMs) {
      const by = { cardholderId };
      const [holds, messages, cases] = await Promise.all([
        store.listDocuments("hold", by, "pending", limits.pageSizeMax),
        store.listDocuments("outbox_message", by, "sent", limits.contactRecordMessagesMax),
        store.listDocuments("case", by, "open", limits.pageSizeMax),
      ]);
      const contactsNear: SentContact[] = [];
      for (const message of messages) {
        const body = message.body as { channel?: unknown; sentAtMs?: unknown; purpose?: unknown };
        const atMs = typeof body.sentAtMs === "number" ? body.sentAtMs : message.updatedAtMs;
        const isNear = askedAtMs === null || Math.abs(atMs - askedAtMs) <= limits.contactRecordWindowMs;
        if (isSentChannel(body.channel) && isNear) {
          contactsNear.push({ channel: body.channel, atMs, purpose: String(body.purpose ?? "") });
        }
      }
      const callTasksOpenSinceMs: number[] = [];
      for (const opened of cases) {
        const tasks = (opened.body as { tasks?: unknown }).tasks;
        for (const task of Array.isArray(tasks) ? tasks : []) {
          const { kind, state, createdAtMs } = task as {
            kind?: unknown;
            state?: unknown;
            createdAtMs?: unknown;
          };
          if (kind === "outbound_call" && state === "open" && typeof createdAtMs === "number") {
            callTasksOpenSinceMs.push(createdAtMs);
          }
        }
      }
      return {
        pendingConfirmationsAtMs: holds.map((hold) => hold.createdAtMs),
        contactsNear,
        callTasksOpenSinceMs,
        askedAtMs,
      };
    },
  };
}
