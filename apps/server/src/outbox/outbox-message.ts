/**
 * The transactional outbox: a message to send is a document written in the same commit as the
 * state change that calls for it, so a hold never exists without its confirmation request and a
 * message never goes out for a change that did not commit. The dispatcher sends what is due.
 */
import type { IdGenerator } from "../platform/ids.ts";
import type { DocumentRecord, WriteOp } from "../storage/index.ts";
import type { BodySealer } from "./body-sealer.ts";

export const outboxChannels = ["sms", "email", "push", "card_host", "token_service"] as const;
export type OutboxChannel = (typeof outboxChannels)[number];

/** What a module asks to send; the outbox gives it an id, a send key and a place in the queue. */
export type MessageDraft = {
  readonly channel: OutboxChannel;
  readonly to: string;
  readonly language: "ja" | "en";
  readonly subject: string | null;
  readonly body: string;
  /** Why it is sent (`confirmation_request`, `card_host_order`…): for the record and the console. */
  readonly purpose: string;
  /** The body is sealed (it carries a one-time code); the dispatcher and the record open it. */
  readonly isBodySealed?: boolean;
};

export type OutboxState = "pending" | "sent" | "failed";

export type OutboxMessage = MessageDraft & {
  readonly id: string;
  readonly version: number;
  readonly cardholderId: string | null;
  readonly cardId: string | null;
  readonly state: OutboxState;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly dueAtMs: number | null;
  readonly attempts: number;
  readonly sentAtMs: number | null;
  readonly providerMessageId: string | null;
  readonly lastError: string | null;
};

export function newOutboxMessage(
  draft: MessageDraft,
  owner: { readonly cardholderId: string | null; readonly cardId: string | null },
  ids: IdGenerator,
  nowMs: number,
): OutboxMessage {
  return {
    ...draft,
    id: ids.next("msg"),
    version: 1,
    cardholderId: owner.cardholderId,
    cardId: owner.cardId,
    state: "pending",
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    dueAtMs: nowMs,
    attempts: 0,
    sentAtMs: null,
    providerMessageId: null,
    lastError: null,
  };
}

/** The write that queues a draft for a card's holder, in the same unit as the change that calls for it. */
export function outboxInsertOp(
  draft: MessageDraft,
  card: { readonly id: string; readonly cardholderId: string },
  ids: IdGenerator,
  nowMs: number,
): WriteOp {
  return {
    kind: "insertDocument",
    document: outboxToDocument(
      newOutboxMessage(draft, { cardholderId: card.cardholderId, cardId: card.id }, ids, nowMs),
    ),
  };
}

export function outboxToDocument(message: OutboxMessage): DocumentRecord {
  return {
    kind: "outbox_message",
    id: message.id,
    version: message.version,
    cardId: message.cardId,
    cardholderId: message.cardholderId,
    state: message.state,
    dueAtMs: message.state === "pending" ? message.dueAtMs : null,
    lookupKey: null,
    createdAtMs: message.createdAtMs,
    updatedAtMs: message.updatedAtMs,
    body: {
      channel: message.channel,
      to: message.to,
      language: message.language,
      subject: message.subject,
      body: message.body,
      purpose: message.purpose,
      ...(message.isBodySealed === true ? { isBodySealed: true } : {}),
      attempts: message.attempts,
      sentAtMs: message.sentAtMs,
      providerMessageId: message.providerMessageId,
      lastError: message.lastError,
    },
  };
}

export function outboxFromDocument(document: DocumentRecord): OutboxMessage {
  const body = document.body as Omit<
    OutboxMessage,
    "id" | "version" | "cardholderId" | "cardId" | "state" | "createdAtMs" | "updatedAtMs" | "dueAtMs"
  >;
  return {
    ...body,
    id: document.id,
    version: document.version,
    cardholderId: document.cardholderId,
    cardId: document.cardId,
    state: document.state as OutboxState,
    createdAtMs: document.createdAtMs,
    updatedAtMs: document.updatedAtMs,
    dueAtMs: document.dueAtMs,
  };
}

/** The message as its channel sends it: a sealed body opened. */
export function openedMessage(message: OutboxMessage, sealer: BodySealer): OutboxMessage {
  return message.isBodySealed === true ? { ...message, body: sealer.open(message.body) } : message;
}

/**
 * The record of a message as `GET /v1/outbox` shows it: opened for the issuer's own record, or,
 * with no sealer (the console's outbox), a sealed body stays out of sight, since an operator never
 * needs a cardholder's code or answer link.
 */
export function outboxView(stored: OutboxMessage, sealer: BodySealer | null) {
  const message =
    sealer !== null
      ? openedMessage(stored, sealer)
      : stored.isBodySealed === true
        ? { ...stored, body: "[sealed]" }
        : stored;
  return {
    id: message.id,
    channel: message.channel,
    to: message.to,
    language: message.language,
    subject: message.subject,
    body: message.body,
    purpose: message.purpose,
    state: message.state,
    attempts: message.attempts,
    createdAt: new Date(message.createdAtMs).toISOString(),
    sentAt: message.sentAtMs === null ? null : new Date(message.sentAtMs).toISOString(),
    cardId: message.cardId,
  };
}
