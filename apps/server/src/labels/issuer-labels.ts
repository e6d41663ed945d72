/**
 * Labels the issuer learns outside the loop: a chargeback filed on a payment, or a file of labels
 * from another system (a fraud team's spreadsheet, the network's fraud reports). Each is kept as a
 * `payment_label` document with the time it became known, so the served model's label features
 * and `mimamori train` see it exactly from then on, in every process.
 *
 * The id is derived from the source and the payment, so importing the same file twice records each
 * label once; the same payment labelled the other way by the same source is a conflict to resolve,
 * not a silent overwrite.
 */
import { createHash } from "node:crypto";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import type { DecisionRecord, DocumentRecord, GroupCommitter, Store } from "../storage/index.ts";
import { newDocument } from "../storage/index.ts";

export const issuerLabelSources = ["chargeback", "import"] as const;
export type IssuerLabelSource = (typeof issuerLabelSources)[number];

/** One label as the issuer sends it; the payment by mimamori's id or the issuer's own. */
export type IssuerLabelInput = {
  readonly payment: { readonly authorizationId: string } | { readonly externalId: string };
  readonly isFraud: boolean;
  readonly source: IssuerLabelSource;
  /** When the issuer learned it; null for now. */
  readonly knownAtMs: number | null;
  /** The issuer's own reference (a dispute number), for the analyst. */
  readonly reference: string | null;
};

/** What a `payment_label` document's body holds. */
export type PaymentLabelBody = {
  readonly authorizationId: string;
  readonly isFraud: boolean;
  readonly source: IssuerLabelSource;
  readonly knownAtMs: number;
  readonly reference: string | null;
};

export type IssuerLabelResult =
  | { ok: true; labelId: string; status: "recorded" | "already_recorded" }
  | {
      ok: false;
      code:
        | "authorization_not_found"
        | "label_conflict"
        | "label_known_before_payment"
        | "label_known_in_future";
      message: string;
    };

/** Hex digits of SHA-256 in a label id: 80 bits, no collision among an issuer's labels. */
const labelIdHexDigits = 20;

function labelIdOf(source: IssuerLabelSource, authorizationId: string): string {
  const digest = createHash("sha256").update(`${source}\n${authorizationId}`).digest("hex");
  return `lbl_${source}_${digest.slice(0, labelIdHexDigits)}`;
}

export function paymentLabelOf(document: DocumentRecord): PaymentLabelBody {
  assert(document.kind === "payment_label", "a payment label is read from its own kind");
  return document.body as PaymentLabelBody;
}

export function createIssuerLabels(deps: {
  store: Pick<Store, "getDecision" | "getDecisionByExternalId" | "getDocument">;
  committer: Pick<GroupCommitter, "submit">;
  clock: Clock;
  /** Called once a label is committed, for the served model's ledger. */
  onRecorded: (document: DocumentRecord) => void;
}) {
  const { store, committer, clock } = deps;

  const findDecision = (payment: IssuerLabelInput["payment"]): Promise<DecisionRecord | null> =>
    "authorizationId" in payment
      ? store.getDecision(payment.authorizationId)
      : store.getDecisionByExternalId(payment.externalId);

  const record = async (input: IssuerLabelInput, actor: string): Promise<IssuerLabelResult> => {
    const decision = await findDecision(input.payment);
    if (decision === null) {
      return {
        ok: false,
        code: "authorization_not_found",
        // The id is not echoed: a caller that put a card number in it must not get it back.
        message: "No decision was recorded for this payment.",
      };
    }
    const nowMs = clock.nowMs();
    const knownAtMs = input.knownAtMs ?? nowMs;
    if (knownAtMs > nowMs + limits.issuerLabelSkewMs) {
      return { ok: false, code: "label_known_in_future", message: "knownAt is later than now." };
    }
    if (knownAtMs < decision.occurredAtMs) {
      return {
        ok: false,
        code: "label_known_before_payment",
        message: "knownAt is earlier than the payment it labels.",
      };
    }
    const id = labelIdOf(input.source, decision.authorizationId);
    const body: PaymentLabelBody = {
      authorizationId: decision.authorizationId,
      isFraud: input.isFraud,
      source: input.source,
      knownAtMs,
      reference: input.reference,
    };
    const existing = await store.getDocument("payment_label", id);
    if (existing !== null) {
      return sameLabel(paymentLabelOf(existing), body, id);
    }
    const document = newDocument(
      { kind: "payment_label", id, cardId: decision.cardId, cardholderId: null, state: "recorded", body },
      nowMs,
    );
    const result = await committer.submit({
      ops: [{ kind: "insertDocument", document }],
      audit: [
        {
          actor,
          action: "label.recorded",
          subjectId: decision.authorizationId,
          payload: { labelId: id, isFraud: input.isFraud, source: input.source, knownAtMs },
          atMs: nowMs,
        },
      ],
    });
    if (!result.ok) {
      // Another request recorded this label in the same instant: it is now the existing one.
      assert(result.code === "duplicate_id", `a label insert fails only as a duplicate: ${result.code}`);
      const raced = await store.getDocument("payment_label", id);
      assert(raced !== null, "a duplicate label id names a stored label");
      return sameLabel(paymentLabelOf(raced), body, id);
    }
    deps.onRecorded(document);
    return { ok: true, labelId: id, status: "recorded" };
  };

  return {
    record,

    /**
     * Records a page of labels several at a time, so the group commit batches them, and answers
     * in the page's order. Labels of one payment still run in page order, each chained after the
     * one before: a page (or a file imported page by page) that labels a payment twice,
     * differently, keeps its first label, as recording one by one would.
     */
    async recordAll(inputs: readonly IssuerLabelInput[], actor: string): Promise<IssuerLabelResult[]> {
      const results: IssuerLabelResult[] = [];
      const lastForPayment = new Map<string, Promise<void>>();
      const running = new Set<Promise<void>>();
      const failures: unknown[] = [];
      for (const [index, input] of inputs.entries()) {
        if (failures.length > 0) {
          break;
        }
        const payment = JSON.stringify(input.payment);
        const recorded: Promise<void> = (lastForPayment.get(payment) ?? Promise.resolve())
          .then(() => record(input, actor))
          .then(
            (result) => {
              results[index] = result;
            },
            (reason: unknown) => {
              failures.push(reason);
            },
          )
          .finally(() => running.delete(recorded));
        running.add(recorded);
        lastForPayment.set(payment, recorded);
        if (running.size >= limits.labelsRecordedAtOnceMax) {
          await Promise.race(running);
        }
      }
      // After a failure (an outage), the labels already sent settle before it is reported.
      await Promise.all(running);
      if (failures.length > 0) {
        throw failures[0];
      }
      return results;
    },
  };
}

function sameLabel(existing: PaymentLabelBody, body: PaymentLabelBody, id: string): IssuerLabelResult {
  if (existing.isFraud !== body.isFraud) {
    return {
      ok: false,
      code: "label_conflict",
      message: `This source already labelled the payment ${existing.isFraud ? "fraud" : "genuine"} (${id}).`,
    };
  }
  return { ok: true, labelId: id, status: "already_recorded" };
}

export type IssuerLabels = ReturnType<typeof createIssuerLabels>;
