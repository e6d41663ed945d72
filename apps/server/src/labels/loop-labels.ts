/**
 * Where the served model's labels come from, each with the moment it became known: a hold's
 * answer ("not mine" and an analyst's block are fraud, "mine" is genuine, known at the answer),
 * an analyst's case label (known when recorded), and the issuer's chargebacks and imported labels
 * (known when the issuer says). They feed the label ledger that the model's
 * label features read, at start-up from the store and live as they happen.
 *
 * One payment counts once: the first label known for it wins. A later one on the same payment (an
 * analyst confirming the cardholder's "not mine") is no news, and counting it again would double
 * the merchant's fraud count.
 */
import { limits, time } from "../config/limits.ts";
import { type Hold, holdFromDocument } from "../holds/index.ts";
import type { Label, LabelLedger } from "../model/index.ts";
import { assert } from "../platform/assert.ts";
import type { Authorization } from "../scoring/index.ts";
import { type DocumentRecord, forEachDocumentInState, type Store } from "../storage/index.ts";
import { paymentLabelOf } from "./issuer-labels.ts";

const answerStates: ReadonlySet<string> = new Set(["denied", "blocked_by_analyst", "confirmed_mine"]);

export function createLoopLabels(deps: {
  /** The serving ledger, or any sink of labels (training collects them). */
  ledger: Pick<LabelLedger, "add">;
  store: Pick<Store, "getDocument" | "getDecision" | "listDocumentsInState">;
  /** A label the ledger could not keep (it is full): counted by the caller's log. */
  onRefused: (code: string) => void;
}) {
  const { ledger, store } = deps;
  /** Payments labelled already, by authorization id, with their time: pruned past the window. */
  const labelled = new Map<string, number>();
  let newestOccurredAtMs = Number.NEGATIVE_INFINITY;

  const add = (label: Label): void => {
    if (labelled.has(label.authorizationKey)) {
      return;
    }
    labelled.set(label.authorizationKey, label.occurredAtMs);
    newestOccurredAtMs = Math.max(newestOccurredAtMs, label.occurredAtMs);
    // Beyond the window a payment counts only towards its card's compromise, which a second
    // label cannot change; so only the window's payments need remembering.
    if (labelled.size > limits.loopLabelsRememberedMax) {
      const horizonMs = newestOccurredAtMs - limits.labelWindowDays * time.dayMs;
      for (const [key, occurredAtMs] of labelled) {
        if (occurredAtMs < horizonMs) {
          labelled.delete(key);
        }
      }
    }
    const added = ledger.add(label);
    if (!added.ok) {
      deps.onRefused(added.code);
    }
  };

  const fromHold = (hold: Hold): void => {
    const resolution = hold.resolution;
    if (resolution === null || !answerStates.has(resolution.state)) {
      return;
    }
    for (const held of hold.authorizations) {
      add({
        authorizationKey: held.authorizationId,
        cardId: hold.cardId,
        merchantId: held.merchantId,
        // A hold keeps no terminal; the merchant's counts carry the signal.
        terminalId: null,
        isFraud: resolution.state !== "confirmed_mine",
        occurredAtMs: held.occurredAtMs,
        // A payment stamped a little ahead of our clock may be answered "before" it happened.
        knownAtMs: Math.max(resolution.atMs, held.occurredAtMs),
      });
    }
  };

  /** An analyst's label on a case: every payment the case names, as its decision recorded it. */
  const fromCaseLabel = async (document: DocumentRecord): Promise<void> => {
    const body = document.body as { caseId: string; label: "fraud" | "genuine" };
    const opened = await store.getDocument("case", body.caseId);
    const authorizationIds =
      (opened?.body as { authorizationIds?: string[] } | undefined)?.authorizationIds ?? [];
    for (const authorizationId of authorizationIds) {
      const decision = await store.getDecision(authorizationId);
      if (decision === null) {
        continue;
      }
      const authorization = decision.authorization as Authorization;
      add({
        authorizationKey: authorizationId,
        cardId: decision.cardId,
        merchantId: authorization.merchant.id,
        terminalId: authorization.merchant.terminalId,
        isFraud: body.label === "fraud",
        occurredAtMs: decision.occurredAtMs,
        knownAtMs: Math.max(document.createdAtMs, decision.occurredAtMs),
      });
    }
  };

  /** A chargeback or imported label: the payment as its decision recorded it, known when the issuer says. */
  const fromPaymentLabel = async (document: DocumentRecord): Promise<void> => {
    const body = paymentLabelOf(document);
    const decision = await store.getDecision(body.authorizationId);
    assert(decision !== null, "a payment label is recorded only for a recorded decision");
    const authorization = decision.authorization as Authorization;
    add({
      authorizationKey: body.authorizationId,
      cardId: decision.cardId,
      merchantId: authorization.merchant.id,
      terminalId: authorization.merchant.terminalId,
      isFraud: body.isFraud,
      occurredAtMs: decision.occurredAtMs,
      knownAtMs: body.knownAtMs,
    });
  };

  return {
    fromHold,
    fromCaseLabel,
    fromPaymentLabel,
    /** Another process's change, from the change follower: answers and labels it recorded. */
    async fromDocument(document: DocumentRecord): Promise<void> {
      if (document.kind === "hold") {
        fromHold(holdFromDocument(document));
      } else if (document.kind === "case_label") {
        await fromCaseLabel(document);
      } else if (document.kind === "payment_label") {
        await fromPaymentLabel(document);
      }
    },
    /** Every answer and case label in the store: the ledger after a start is the ledger before it. */
    async load(): Promise<void> {
      for (const state of answerStates) {
        await forEachDocumentInState(store, "hold", state, limits.rebuildPageRows, (document) =>
          fromHold(holdFromDocument(document)),
        );
      }
      const caseLabels: DocumentRecord[] = [];
      await forEachDocumentInState(store, "case_label", "recorded", limits.rebuildPageRows, (document) => {
        caseLabels.push(document);
      });
      for (const document of caseLabels) {
        await fromCaseLabel(document);
      }
      const paymentLabels: DocumentRecord[] = [];
      await forEachDocumentInState(store, "payment_label", "recorded", limits.rebuildPageRows, (document) => {
        paymentLabels.push(document);
      });
      for (const document of paymentLabels) {
        await fromPaymentLabel(document);
      }
    },
  };
}

export type LoopLabels = ReturnType<typeof createLoopLabels>;
