/**
 * A case's story in time order, assembled from what the platform recorded: the card's
 * authorizations with their decisions and explanation trees, the holds and their answers, the
 * messages we sent, the cards blocked and issued, the merchants told, the charges flagged, and
 * the people who worked the case. Every entry is built from a record; nothing is inferred.
 */
import type { TimelineEntryView } from "@mimamori/contracts";
import { type Hold, holdFromDocument } from "../holds/index.ts";
import { outboxFromDocument } from "../outbox/index.ts";
import type { Authorization } from "../scoring/index.ts";
import type { CardRecord, DecisionRecord, DocumentRecord } from "../storage/index.ts";

type Entry = { atMs: number; order: number; view: Omit<TimelineEntryView, "at"> };

const iso = (ms: number) => new Date(ms).toISOString();

function decisionEntry(decision: DecisionRecord): Entry {
  const authorization = decision.authorization as Pick<
    Authorization,
    "amountMinor" | "currency" | "merchant" | "channel"
  >;
  const response = decision.response as { reasons?: unknown[]; explanation?: unknown };
  const merchant = authorization.merchant.name;
  return {
    atMs: decision.occurredAtMs,
    order: 0,
    view: {
      kind: "authorization",
      summary: `${merchant}: ${decision.outcome} (score ${decision.score})`,
      detail: {
        authorizationId: decision.authorizationId,
        cardId: decision.cardId,
        outcome: decision.outcome,
        score: decision.score,
        amount: { minor: authorization.amountMinor, currency: authorization.currency },
        merchant: authorization.merchant,
        channel: authorization.channel,
        reasons: response.reasons ?? [],
        explanation: response.explanation ?? null,
        rulesetVersion: decision.rulesetVersion,
      },
    },
  };
}

function holdEntries(hold: Hold): Entry[] {
  const opened: Entry = {
    atMs: hold.openedAtMs,
    order: 1,
    view: {
      kind: "hold_opened",
      summary: `Card on hold, ${hold.authorizations.length} payment(s) to confirm (ref ${hold.reference})`,
      detail: {
        holdId: hold.id,
        reference: hold.reference,
        expiresAt: iso(hold.expiresAtMs),
        authorizationIds: hold.authorizations.map((held) => held.authorizationId),
      },
    },
  };
  if (hold.resolution === null) {
    return [opened];
  }
  return [
    opened,
    {
      atMs: hold.resolution.atMs,
      order: 2,
      view: {
        kind: "hold_resolved",
        summary: `Hold ${hold.resolution.state} via ${hold.resolution.channel}`,
        detail: {
          holdId: hold.id,
          resolution: hold.resolution.state,
          channel: hold.resolution.channel,
          actor: hold.resolution.actor,
          reason: hold.resolution.reason,
          answerDelayMs: hold.resolution.atMs - hold.openedAtMs,
        },
      },
    },
  ];
}

function documentEntry(document: DocumentRecord): Entry | null {
  const body = document.body as Record<string, unknown>;
  switch (document.kind) {
    case "outbox_message": {
      // Bodies may carry a code or a link: the timeline names the message, it does not repeat it.
      const message = outboxFromDocument(document);
      return {
        atMs: message.createdAtMs,
        order: 3,
        view: {
          kind: "notification",
          summary: `${message.channel} ${message.purpose}: ${message.state}`,
          detail: {
            messageId: message.id,
            channel: message.channel,
            purpose: message.purpose,
            state: message.state,
            attempts: message.attempts,
            sentAt: message.sentAtMs === null ? null : iso(message.sentAtMs),
          },
        },
      };
    }
    case "case":
      return {
        atMs: document.createdAtMs,
        order: 4,
        view: {
          kind: "case_opened",
          summary: `Case opened: ${String(body.kind)}`,
          detail: { caseId: document.id, ...body },
        },
      };
    case "account_update":
      return {
        atMs: document.createdAtMs,
        order: 6,
        view: {
          kind: "account_update",
          summary: `${String(body.merchantName)} told the new card (card on file)`,
          detail: { state: document.state, ...body },
        },
      };
    case "dispute_flag":
      return {
        atMs: document.createdAtMs,
        order: 7,
        view: {
          kind: "dispute_flag",
          summary: `Charge flagged for dispute (${String(body.network)} ${String(body.reasonCode)})`,
          detail: { state: document.state, ...body },
        },
      };
    case "contact_record":
      return {
        atMs: Number(body.occurredAtMs),
        order: 8,
        view: {
          kind: "contact_record",
          summary: `${String(body.channel)} by ${String(body.operatorName)}: ${String(body.summary)}`,
          detail: { contactRecordId: document.id, receiptNumber: body.receiptNumber },
        },
      };
    case "case_label":
      return {
        atMs: document.createdAtMs,
        order: 9,
        view: {
          kind: "label",
          summary: `Labelled ${String(body.label)} by ${String(body.operatorName)}`,
          detail: { label: body.label, disputeReason: body.disputeReason ?? null },
        },
      };
    default:
      return null;
  }
}

function cardEntries(card: CardRecord): Entry[] {
  const issued: Entry = {
    atMs: card.createdAtMs,
    order: 5,
    view: {
      kind: "card_event",
      summary:
        card.replacesCardId === null
          ? `Card ••${card.panLast4} issued`
          : `Card ••${card.panLast4} issued in place of ${card.replacesCardId}`,
      detail: { cardId: card.id, event: "issued", replaces: card.replacesCardId },
    },
  };
  if (card.state === "active" || card.updatedAtMs === card.createdAtMs) {
    return [issued];
  }
  return [
    issued,
    {
      atMs: card.updatedAtMs,
      order: 5,
      view: {
        kind: "card_event",
        summary: `Card ••${card.panLast4} is now ${card.state}`,
        detail: { cardId: card.id, event: card.state },
      },
    },
  ];
}

export function buildTimeline(
  input: {
    cards: readonly CardRecord[];
    decisions: readonly DecisionRecord[];
    holds: readonly DocumentRecord[];
    documents: readonly DocumentRecord[];
  },
  entriesMax: number,
): TimelineEntryView[] {
  const entries: Entry[] = [
    ...input.decisions.map(decisionEntry),
    ...input.holds.flatMap((document) => holdEntries(holdFromDocument(document))),
    ...input.cards.flatMap(cardEntries),
    ...input.documents.flatMap((document) => documentEntry(document) ?? []),
  ];
  // Same instant: the payment, then the hold it caused, then what followed from it.
  entries.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  return entries.slice(-entriesMax).map((entry) => ({ at: iso(entry.atMs), ...entry.view }));
}
