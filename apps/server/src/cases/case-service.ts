/**
 * The console's view of the loop: the work queue with its SLA clocks, case search, a case's page
 * (timeline, contact log, labels), and the two records operators add: a contact record (seed
 * 002: who spoke with whom, how, about what, with what response, under which receipt number) and
 * a label (fraud or genuine, with the dispute reason). A label closes the case; later labels
 * stand beside it and the newest is the case's label.
 */
import type {
  CaseDetailView,
  CaseLabelBody,
  CaseSummaryView,
  ContactRecordBody,
  ContactRecordView,
  LabelView,
  QueueHoldView,
  QueueView,
} from "@mimamori/contracts";
import type { CardDirectory } from "../cards/index.ts";
import { maskPan } from "../cards/index.ts";
import { limits } from "../config/limits.ts";
import { holdFromDocument } from "../holds/index.ts";
import type { Operator } from "../identity/index.ts";
import type { Clock } from "../platform/clock.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import { type DocumentRecord, type GroupCommitter, newDocument, type Store } from "../storage/index.ts";
import { buildTimeline } from "./timeline.ts";

const iso = (ms: number) => new Date(ms).toISOString();

type ContactRecordBodyStored = {
  caseId: string;
  occurredAtMs: number;
  channel: ContactRecordView["channel"];
  counterpart: string;
  operatorId: string;
  operatorName: string;
  summary: string;
  response: string;
  receiptNumber: string;
};

type LabelBodyStored = {
  caseId: string;
  label: LabelView["label"];
  disputeReason: string | null;
  note: string | null;
  operatorId: string;
  operatorName: string;
};

export type CaseActionResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: "case_not_found" | "invalid_request"; message?: string };

/** Keeps the first and last characters a caller recognises; the rest is the cardholder's own. */
function maskPhone(phone: string): string {
  return phone.length <= 4 ? "••••" : `${"•".repeat(phone.length - 4)}${phone.slice(-4)}`;
}

function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

function contactRecordView(document: DocumentRecord): ContactRecordView {
  const body = document.body as ContactRecordBodyStored;
  return {
    id: document.id,
    caseId: body.caseId,
    occurredAt: iso(body.occurredAtMs),
    recordedAt: iso(document.createdAtMs),
    channel: body.channel,
    counterpart: body.counterpart,
    operator: { id: body.operatorId, name: body.operatorName },
    summary: body.summary,
    response: body.response,
    receiptNumber: body.receiptNumber,
  };
}

function labelView(document: DocumentRecord): LabelView {
  const body = document.body as LabelBodyStored;
  return {
    id: document.id,
    caseId: body.caseId,
    label: body.label,
    disputeReason: body.disputeReason,
    note: body.note,
    operator: { id: body.operatorId, name: body.operatorName },
    at: iso(document.createdAtMs),
  };
}

export function createCaseService(deps: {
  store: Store;
  committer: Pick<GroupCommitter, "submit">;
  directory: CardDirectory;
  ids: IdGenerator;
  random: Random;
  clock: Clock;
  /** Told of each case label once committed: the fraud model's labels come from here too. */
  onLabelled?: (label: DocumentRecord) => void;
}) {
  const { store, committer, directory, ids, random, clock } = deps;

  const holderOf = (cardId: string) => {
    const card = directory.getCard(cardId);
    const cardholder = card === undefined ? undefined : directory.getCardholder(card.cardholderId);
    return { last4: card?.panLast4 ?? "????", cardholderName: cardholder?.name ?? "?" };
  };

  const labelsOf = async (caseDocument: DocumentRecord) =>
    (
      await store.listDocuments(
        "case_label",
        { cardId: caseDocument.cardId ?? "" },
        null,
        limits.caseRecordsMax,
      )
    )
      .filter((label) => (label.body as LabelBodyStored).caseId === caseDocument.id)
      .map(labelView);

  const summaryOf = async (document: DocumentRecord): Promise<CaseSummaryView> => {
    const labels = await labelsOf(document);
    return {
      id: document.id,
      kind: String((document.body as { kind?: string }).kind ?? "case"),
      state: document.state,
      cardId: document.cardId ?? "",
      ...holderOf(document.cardId ?? ""),
      openedAt: iso(document.createdAtMs),
      slaDueAt: iso(document.createdAtMs + limits.caseSlaMs),
      label: labels.at(-1)?.label ?? null,
    };
  };

  const queueHoldOf = (document: DocumentRecord): QueueHoldView => {
    const hold = holdFromDocument(document);
    const first = hold.authorizations[0];
    return {
      holdId: hold.id,
      caseId: hold.caseId,
      cardId: hold.cardId,
      ...holderOf(hold.cardId),
      state: hold.state,
      openedAt: iso(hold.openedAtMs),
      expiresAt: iso(hold.expiresAtMs),
      slaDueAt: iso(hold.openedAtMs + limits.holdSlaMs),
      amount: { minor: first?.amountMinor ?? 0, currency: first?.currency ?? "JPY" },
      merchantName: first?.merchantName ?? "?",
    };
  };

  const inState = async (kind: "hold" | "case", state: string) =>
    (await store.listDocumentsInState(kind, state, null, limits.consoleQueueRowsMax)).rows;

  const openCase = async (caseId: string) => {
    const document = await store.getDocument("case", caseId);
    return document === null || document.cardId === null ? null : document;
  };

  return {
    async queue(): Promise<QueueView> {
      const openCaseDocuments = await inState("case", "open");
      const openCases = await Promise.all(openCaseDocuments.map(summaryOf));
      const stepUpReports = openCaseDocuments.filter(
        (document) => (document.body as { kind?: string }).kind === "unrequested_code",
      );
      return {
        pendingHolds: (await inState("hold", "pending")).map(queueHoldOf),
        expiredHolds: (await inState("hold", "expired")).map(queueHoldOf),
        stepUpReports: stepUpReports.map((document) => ({
          challengeId: String((document.body as { challengeId?: string }).challengeId ?? ""),
          cardId: document.cardId ?? "",
          ...holderOf(document.cardId ?? ""),
          reportedAt: iso(document.createdAtMs),
          slaDueAt: iso(document.createdAtMs + limits.holdSlaMs),
          caseId: document.id,
        })),
        cases: openCases.filter((summary) => summary.kind !== "unrequested_code"),
      };
    },

    /** Cases whose id, hold, hold reference, card, last 4 or holder's name match; newest first. */
    async search(query: string, state: "open" | "closed" | undefined): Promise<CaseSummaryView[]> {
      const needle = query.trim().toLowerCase();
      const states = state === undefined ? ["open", "closed"] : [state];
      const candidates = (
        await Promise.all(
          states.map(
            async (each) =>
              (
                await store.listDocumentsInState("case", each, null, limits.storePageRowsMax)
              ).rows,
          ),
        )
      ).flat();
      const matches = candidates.filter((document) => {
        if (needle === "") {
          return true;
        }
        const body = document.body as { holdId?: string | null };
        const { last4, cardholderName } = holderOf(document.cardId ?? "");
        return [document.id, body.holdId ?? "", document.cardId ?? "", last4, cardholderName].some((field) =>
          field.toLowerCase().includes(needle),
        );
      });
      matches.sort((a, b) => b.createdAtMs - a.createdAtMs);
      return Promise.all(matches.slice(0, limits.caseSearchResultsMax).map(summaryOf));
    },

    async detail(caseId: string): Promise<CaseDetailView | null> {
      const document = await openCase(caseId);
      if (document === null || document.cardId === null) {
        return null;
      }
      const card = directory.getCard(document.cardId);
      const cardholder = card === undefined ? undefined : directory.getCardholder(card.cardholderId);
      if (card === undefined || cardholder === undefined) {
        return null;
      }
      // The case's card and the card issued in its place tell the story together.
      const cards = directory
        .cardsOf(cardholder.id)
        .filter((each) => each.id === card.id || each.replacesCardId === card.id);
      const byCard = async (kind: Parameters<Store["listDocuments"]>[0]) =>
        (
          await Promise.all(
            cards.map((each) => store.listDocuments(kind, { cardId: each.id }, null, limits.caseRecordsMax)),
          )
        ).flat();
      const [decisions, holds, cases, accountUpdates, disputes, contactRecords, labels, messages] =
        await Promise.all([
          store.listDecisionsByCard(card.id, limits.caseTimelineDecisionsMax),
          byCard("hold"),
          byCard("case"),
          byCard("account_update"),
          byCard("dispute_flag"),
          byCard("contact_record"),
          byCard("case_label"),
          store.listDocuments("outbox_message", { cardholderId: cardholder.id }, null, limits.caseRecordsMax),
        ]);
      const ofThisCase = (each: DocumentRecord) => (each.body as { caseId?: string }).caseId === caseId;
      const body = document.body as { holdId?: string | null; authorizationIds?: string[] };
      return {
        case: {
          ...(await summaryOf(document)),
          holdId: body.holdId ?? null,
          authorizationIds: body.authorizationIds ?? [],
        },
        cardholder: {
          id: cardholder.id,
          name: cardholder.name,
          phoneMasked: maskPhone(cardholder.phone),
          emailMasked: maskEmail(cardholder.email),
          language: cardholder.language,
        },
        cards: cards.map((each) => ({
          id: each.id,
          panMasked: maskPan(each.panBin, each.panLast4),
          state: each.state,
          replaces: each.replacesCardId,
        })),
        holds: holds.map((each) => ({
          id: each.id,
          state: each.state,
          expiresAt: iso(holdFromDocument(each).expiresAtMs),
        })),
        timeline: buildTimeline(
          {
            cards,
            decisions,
            holds,
            documents: [
              ...cases,
              ...accountUpdates,
              ...disputes,
              ...contactRecords.filter(ofThisCase),
              ...labels.filter(ofThisCase),
              ...messages.filter(
                (message) => message.cardId === null || cards.some((c) => c.id === message.cardId),
              ),
            ],
          },
          limits.caseTimelineEntriesMax,
        ),
        contactLog: contactRecords.filter(ofThisCase).map(contactRecordView),
        labels: labels.filter(ofThisCase).map(labelView),
      };
    },

    async addContactRecord(
      caseId: string,
      input: ContactRecordBody,
      operator: Operator,
    ): Promise<CaseActionResult<ContactRecordView>> {
      const document = await openCase(caseId);
      if (document === null) {
        return { ok: false, code: "case_not_found" };
      }
      const occurredAtMs = Date.parse(input.occurredAt);
      const nowMs = clock.nowMs();
      if (!Number.isFinite(occurredAtMs) || occurredAtMs > nowMs + limits.contactRecordSkewMs) {
        return { ok: false, code: "invalid_request", message: "occurredAt must be a past ISO 8601 time." };
      }
      // The receipt number is read aloud to the cardholder: a date and six digits, no letters to mishear.
      const digits = Array.from(random.bytes(6), (byte) => String(byte % 10)).join("");
      const receiptNumber = `${iso(nowMs).slice(0, 10).replaceAll("-", "")}-${digits}`;
      const record = newDocument(
        {
          kind: "contact_record",
          id: ids.next("cr"),
          cardId: document.cardId,
          cardholderId: document.cardholderId,
          state: "recorded",
          body: {
            caseId,
            occurredAtMs,
            channel: input.channel,
            counterpart: input.counterpart,
            operatorId: operator.id,
            operatorName: operator.name,
            summary: input.summary,
            response: input.response,
            receiptNumber,
          } satisfies ContactRecordBodyStored,
        },
        nowMs,
      );
      const result = await committer.submit({
        ops: [{ kind: "insertDocument", document: record }],
        audit: [
          {
            actor: operator.id,
            action: "contact_record.added",
            subjectId: record.id,
            payload: { caseId, channel: input.channel, receiptNumber },
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        throw new Error(`contact record insert failed: ${result.code}`);
      }
      return { ok: true, value: contactRecordView(record) };
    },

    async label(
      caseId: string,
      input: CaseLabelBody,
      operator: Operator,
    ): Promise<CaseActionResult<LabelView>> {
      const document = await openCase(caseId);
      if (document === null) {
        return { ok: false, code: "case_not_found" };
      }
      const nowMs = clock.nowMs();
      const label = newDocument(
        {
          kind: "case_label",
          id: ids.next("lbl"),
          cardId: document.cardId,
          cardholderId: document.cardholderId,
          state: "recorded",
          body: {
            caseId,
            label: input.label,
            disputeReason: input.disputeReason ?? null,
            note: input.note ?? null,
            operatorId: operator.id,
            operatorName: operator.name,
          } satisfies LabelBodyStored,
        },
        nowMs,
      );
      const closes =
        document.state === "open"
          ? [
              {
                kind: "updateDocument" as const,
                document: { ...document, version: document.version + 1, state: "closed", updatedAtMs: nowMs },
              },
            ]
          : [];
      const result = await committer.submit({
        ops: [{ kind: "insertDocument", document: label }, ...closes],
        audit: [
          {
            actor: operator.id,
            action: "case.labelled",
            subjectId: caseId,
            payload: { label: input.label, disputeReason: input.disputeReason ?? null },
            atMs: nowMs,
          },
        ],
      });
      if (!result.ok) {
        // Someone else closed or changed the case in the same instant; the label is not lost on retry.
        return { ok: false, code: "invalid_request", message: "The case changed meanwhile; try again." };
      }
      deps.onLabelled?.(label);
      return { ok: true, value: labelView(label) };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
