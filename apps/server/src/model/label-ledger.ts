/**
 * The labels the issuer has learned, each with the time it became known, and the features the
 * model reads from them. A label counts only from its `knownAtMs`: a chargeback filed a week after
 * a payment says nothing to the decisions taken in that week. The ledger keeps labels that are not
 * known yet in a queue ordered by that time; `reveal(nowMs)` moves every label known by `nowMs`
 * into the counts, and `featuresAt(nowMs, …)` reads the counts only, so a feature computed at t is
 * the same whatever labels become known after t.
 *
 * Windows are whole UTC days of occurrence: at t, the window holds labels whose payment happened on
 * t's day or on one of the `limits.labelWindowDays − 1` days before it. Each merchant and terminal
 * keeps one bucket per day of the window (480 bytes); a card keeps two times, and only once a
 * fraud label of it is known.
 */
import { limits, time } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";

/** One transaction's label, as the issuer learned it. */
export type Label = {
  readonly authorizationKey: string;
  readonly cardId: string;
  readonly merchantId: string;
  readonly terminalId: string | null;
  readonly isFraud: boolean;
  readonly occurredAtMs: number;
  /** When the label became known: a chargeback, a confirmed report, or the end of a dispute window. */
  readonly knownAtMs: number;
};

/**
 * The label features, in the order the model's vector takes them. Counts and rates are over the
 * window of `limits.labelWindowDays` (30) days of occurrence; a rate is NaN (missing) with no label
 * in the window. `card.isKnownCompromised` is 1 once a fraud label of the card is known, else 0;
 * `card.daysSinceKnownFraud` counts from the latest known fraud's payment, NaN without one.
 */
export const labelFeatureNames = [
  "merchant.knownFraudCount30d",
  "merchant.knownLabelCount30d",
  "merchant.knownFraudRate30d",
  "terminal.knownFraudCount30d",
  "terminal.knownLabelCount30d",
  "terminal.knownFraudRate30d",
  "card.isKnownCompromised",
  "card.daysSinceKnownFraud",
] as const;

export type LabelFeatureName = (typeof labelFeatureNames)[number];
export type LabelFeatures = Record<LabelFeatureName, number>;

// The names above say "30d"; a different window must rename them, or stored models would lie.
assert(limits.labelWindowDays === 30, "label feature names are for a 30-day window");

/** Label features of an entity nothing is known about: scratch for `featuresAt` to refill. */
export function createLabelFeatures(): LabelFeatures {
  return {
    "merchant.knownFraudCount30d": 0,
    "merchant.knownLabelCount30d": 0,
    "merchant.knownFraudRate30d": Number.NaN,
    "terminal.knownFraudCount30d": 0,
    "terminal.knownLabelCount30d": 0,
    "terminal.knownFraudRate30d": Number.NaN,
    "card.isKnownCompromised": 0,
    "card.daysSinceKnownFraud": Number.NaN,
  };
}

export type AddLabelResult = { ok: true } | { ok: false; code: "label_ledger_full"; message: string };

export type LabelLedger = {
  /** Queues a label until its `knownAtMs`; refused when `labelsPendingMax` labels already wait. */
  add(label: Label): AddLabelResult;
  /** Makes every label with `knownAtMs ≤ nowMs` count. Time only moves forward. */
  reveal(nowMs: number): void;
  /**
   * The label features at `nowMs`, from known labels only, written into `out` and returned. Call
   * `reveal(nowMs)` first: reading at a time whose labels are not all revealed, or at a time before
   * labels already revealed, is a bug, asserted.
   */
  featuresAt(
    nowMs: number,
    cardId: string,
    merchantId: string,
    terminalId: string | null,
    out?: LabelFeatures,
  ): LabelFeatures;
  /** When the card's first known fraud label became known, or null while none is known. */
  compromiseKnownAtMs(cardId: string): number | null;
  /** Labels waiting for their time. */
  readonly pendingCount: number;
};

/** The ledger's entity caps; tests lower them to see the forgetting. */
export type LabelLedgerBounds = {
  readonly labelsPendingMax: number;
  readonly merchantsMax: number;
  readonly terminalsMax: number;
  readonly cardsMax: number;
};

const defaultBounds: LabelLedgerBounds = {
  labelsPendingMax: limits.labelsPendingMax,
  merchantsMax: limits.labelMerchantsMax,
  terminalsMax: limits.labelTerminalsMax,
  cardsMax: limits.labelCardsMax,
};

const { dayMs } = time;
const windowDays = limits.labelWindowDays;

/** One bucket per day of the window, indexed by day modulo the window; `days` says which day it holds. */
type DayWindow = { readonly days: Float64Array; readonly frauds: Uint32Array; readonly labels: Uint32Array };

function createDayWindow(): DayWindow {
  return {
    days: new Float64Array(windowDays).fill(-1),
    frauds: new Uint32Array(windowDays),
    labels: new Uint32Array(windowDays),
  };
}

/**
 * Counts a label of day `day`. A bucket holding a later day means this label is at least a window
 * older than a label already known, and every read happens at or after that label's day, so this
 * one can never be in a window again: it is dropped.
 */
function countInWindow(window: DayWindow, day: number, isFraud: boolean): void {
  const slot = day % windowDays;
  const held = window.days[slot] ?? -1;
  if (held > day) {
    return;
  }
  if (held < day) {
    window.days[slot] = day;
    window.frauds[slot] = 0;
    window.labels[slot] = 0;
  }
  window.frauds[slot] = (window.frauds[slot] ?? 0) + (isFraud ? 1 : 0);
  window.labels[slot] = (window.labels[slot] ?? 0) + 1;
}

type WindowNames = readonly [LabelFeatureName, LabelFeatureName, LabelFeatureName];
const merchantWindowNames: WindowNames = [
  "merchant.knownFraudCount30d",
  "merchant.knownLabelCount30d",
  "merchant.knownFraudRate30d",
];
const terminalWindowNames: WindowNames = [
  "terminal.knownFraudCount30d",
  "terminal.knownLabelCount30d",
  "terminal.knownFraudRate30d",
];

/** Writes the window's counts and rate at day `today` into `out` under the entity's three names. */
function readWindow(
  window: DayWindow | undefined,
  today: number,
  out: LabelFeatures,
  names: WindowNames,
): void {
  let frauds = 0;
  let labels = 0;
  if (window !== undefined) {
    for (let slot = 0; slot < windowDays; slot++) {
      const day = window.days[slot] ?? -1;
      if (day > today - windowDays && day <= today) {
        frauds += window.frauds[slot] ?? 0;
        labels += window.labels[slot] ?? 0;
      }
    }
  }
  out[names[0]] = frauds;
  out[names[1]] = labels;
  out[names[2]] = labels === 0 ? Number.NaN : frauds / labels;
}

/** A map that forgets its least recently written entry beyond `entriesMax`. */
function createRecencyMap<V>(entriesMax: number, create: () => V) {
  const entries = new Map<string, V>();
  return {
    get: (key: string): V | undefined => entries.get(key),
    /** The entry for `key`, created if new, and made the most recent. */
    touch(key: string): V {
      let value = entries.get(key);
      if (value === undefined) {
        value = create();
        if (entries.size >= entriesMax) {
          const oldest = entries.keys().next();
          assert(oldest.done !== true, "a full map has an oldest entry");
          entries.delete(oldest.value);
        }
      } else {
        // Deleting and setting again moves the key to the end of the Map's insertion order.
        entries.delete(key);
      }
      entries.set(key, value);
      return value;
    },
  };
}

/** Terminal ids are unique within a merchant, so the key names both; the length keeps ("ab","c") from ("a","bc"). */
function terminalKeyOf(merchantId: string, terminalId: string): string {
  return `${merchantId.length}:${merchantId}${terminalId}`;
}

type CardFraud = { firstKnownAtMs: number; lastOccurredAtMs: number };

/** Pending labels by known time, then by arrival, so reveals are deterministic. */
type Pending = { readonly label: Label; readonly sequence: number };

function isEarlier(a: Pending, b: Pending): boolean {
  return (
    a.label.knownAtMs < b.label.knownAtMs ||
    (a.label.knownAtMs === b.label.knownAtMs && a.sequence < b.sequence)
  );
}

/** A binary min-heap of pending labels: labels may arrive in any order of known time. */
function createPendingQueue() {
  const heap: Pending[] = [];
  const swap = (i: number, j: number): void => {
    const a = heap[i];
    const b = heap[j];
    assert(a !== undefined && b !== undefined, "heap slots exist");
    heap[i] = b;
    heap[j] = a;
  };
  return {
    get size(): number {
      return heap.length;
    },
    peek: (): Pending | undefined => heap[0],
    push(item: Pending): void {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!isEarlier(item, heap[parent] ?? item)) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    },
    pop(): Pending | undefined {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length === 0 || last === undefined) {
        return top;
      }
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        const leftItem = heap[left];
        const rightItem = heap[right];
        if (leftItem !== undefined && isEarlier(leftItem, heap[smallest] ?? leftItem)) {
          smallest = left;
        }
        if (rightItem !== undefined && isEarlier(rightItem, heap[smallest] ?? rightItem)) {
          smallest = right;
        }
        if (smallest === i) {
          return top;
        }
        swap(i, smallest);
        i = smallest;
      }
    },
  };
}

export function createLabelLedger(bounds: Partial<LabelLedgerBounds> = {}): LabelLedger {
  const { labelsPendingMax, merchantsMax, terminalsMax, cardsMax } = { ...defaultBounds, ...bounds };
  const pending = createPendingQueue();
  const merchants = createRecencyMap(merchantsMax, createDayWindow);
  const terminals = createRecencyMap(terminalsMax, createDayWindow);
  const cards = createRecencyMap<CardFraud>(cardsMax, () => ({
    firstKnownAtMs: Number.POSITIVE_INFINITY,
    lastOccurredAtMs: Number.NEGATIVE_INFINITY,
  }));
  let revealedThroughMs = Number.NEGATIVE_INFINITY;
  let sequence = 0;

  const count = (label: Label): void => {
    const day = Math.floor(label.occurredAtMs / dayMs);
    countInWindow(merchants.touch(label.merchantId), day, label.isFraud);
    if (label.terminalId !== null) {
      countInWindow(terminals.touch(terminalKeyOf(label.merchantId, label.terminalId)), day, label.isFraud);
    }
    if (label.isFraud) {
      const card = cards.touch(label.cardId);
      card.firstKnownAtMs = Math.min(card.firstKnownAtMs, label.knownAtMs);
      card.lastOccurredAtMs = Math.max(card.lastOccurredAtMs, label.occurredAtMs);
    }
  };

  return {
    add(label) {
      assert(
        Number.isSafeInteger(label.occurredAtMs) && label.occurredAtMs >= 0,
        "labels are of payments after 1970",
      );
      assert(Number.isSafeInteger(label.knownAtMs), "a label's known time is whole milliseconds");
      assert(label.knownAtMs >= label.occurredAtMs, "a label becomes known after its payment");
      if (pending.size >= labelsPendingMax) {
        return {
          ok: false,
          code: "label_ledger_full",
          message: `${labelsPendingMax} labels are already waiting for the time they become known`,
        };
      }
      pending.push({ label, sequence });
      sequence += 1;
      return { ok: true };
    },

    reveal(nowMs) {
      assert(nowMs >= revealedThroughMs, "labels are revealed in time order");
      for (
        let next = pending.peek();
        next !== undefined && next.label.knownAtMs <= nowMs;
        next = pending.peek()
      ) {
        pending.pop();
        count(next.label);
      }
      revealedThroughMs = nowMs;
    },

    featuresAt(nowMs, cardId, merchantId, terminalId, out = createLabelFeatures()) {
      assert(nowMs >= revealedThroughMs, "a feature at t never reads a label revealed after t");
      const next = pending.peek();
      assert(
        next === undefined || next.label.knownAtMs > nowMs,
        "reveal(nowMs) comes before featuresAt(nowMs)",
      );
      const today = Math.floor(nowMs / dayMs);
      readWindow(merchants.get(merchantId), today, out, merchantWindowNames);
      const terminal = terminalId === null ? undefined : terminals.get(terminalKeyOf(merchantId, terminalId));
      readWindow(terminal, today, out, terminalWindowNames);
      const card = cards.get(cardId);
      out["card.isKnownCompromised"] = card === undefined ? 0 : 1;
      out["card.daysSinceKnownFraud"] =
        card === undefined ? Number.NaN : (nowMs - card.lastOccurredAtMs) / dayMs;
      return out;
    },

    compromiseKnownAtMs(cardId) {
      return cards.get(cardId)?.firstKnownAtMs ?? null;
    },

    get pendingCount() {
      return pending.size;
    },
  };
}
