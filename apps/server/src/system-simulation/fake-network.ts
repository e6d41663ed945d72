/**
 * The SMS, e-mail and push gateways and the phones behind them, in memory: the outbox's senders
 * hand messages to this network, which may refuse, drop, duplicate or delay each one as the
 * seed's fault mix says, and delivers the rest to the cardholders' inboxes when the clock reaches
 * their time. Messages with different delays arrive in another order than they were sent.
 */
import type { OutboxChannel, OutboxMessage, OutboxSender } from "../outbox/index.ts";
import type { Clock } from "../platform/clock.ts";
import type { Random } from "../platform/random.ts";
import type { FaultMix } from "./faults.ts";

export type Delivered = {
  readonly messageId: string;
  readonly channel: OutboxChannel;
  readonly cardholderId: string | null;
  readonly cardId: string | null;
  readonly purpose: string;
  readonly body: string;
  readonly createdAtMs: number;
  readonly deliveredAtMs: number;
};

/** One message the gateway accepted for a cardholder, for the SMS budget's count. */
export type Accepted = { readonly cardholderId: string; readonly atMs: number };

export type FakeNetwork = {
  readonly senders: Record<OutboxChannel, OutboxSender>;
  /** Moves every message due by now into its cardholder's inbox, in delivery order. */
  deliverDue(): void;
  /** Whether a cardholder has delivered messages not read yet. */
  hasInbox(cardholderId: string): boolean;
  /** Takes a cardholder's delivered messages out of the inbox. */
  takeInbox(cardholderId: string): Delivered[];
  /** SMS the gateway accepted per cardholder, oldest first: what the budget counts. */
  smsAcceptedOf(cardholderId: string): readonly number[];
  readonly counts: { accepted: number; refused: number; dropped: number; duplicated: number };
};

export function createFakeNetwork(deps: { clock: Clock; random: Random; faults: FaultMix }): FakeNetwork {
  const { clock, random, faults } = deps;
  let inFlight: Delivered[] = [];
  const inboxes = new Map<string, Delivered[]>();
  const smsAccepted = new Map<string, number[]>();
  const counts = { accepted: 0, refused: 0, dropped: 0, duplicated: 0 };

  const send = async (message: OutboxMessage) => {
    if (random.float() < faults.gatewayErrorShare) {
      counts.refused += 1;
      return {
        ok: false as const,
        code: "simulated_gateway_error",
        retryable: true,
        message: "the simulated gateway refused the message",
      };
    }
    counts.accepted += 1;
    const nowMs = clock.nowMs();
    if (message.channel === "sms" && message.cardholderId !== null) {
      const times = smsAccepted.get(message.cardholderId) ?? [];
      times.push(nowMs);
      smsAccepted.set(message.cardholderId, times);
    }
    const isDropped = random.float() < faults.dropShare;
    const copies = isDropped ? 0 : random.float() < faults.duplicateShare ? 2 : 1;
    counts.dropped += isDropped ? 1 : 0;
    counts.duplicated += copies === 2 ? 1 : 0;
    for (let copy = 0; copy < copies; copy++) {
      const delayMs = faults.deliveryDelayMsMax === 0 ? 0 : random.int(faults.deliveryDelayMsMax);
      inFlight.push({
        messageId: message.id,
        channel: message.channel,
        cardholderId: message.cardholderId,
        cardId: message.cardId,
        purpose: message.purpose,
        body: message.body,
        createdAtMs: message.createdAtMs,
        deliveredAtMs: nowMs + delayMs,
      });
    }
    return { ok: true as const, providerMessageId: `sim_${message.id}` };
  };
  const sender: OutboxSender = { send };

  return {
    senders: { sms: sender, email: sender, push: sender, card_host: sender, token_service: sender },
    deliverDue() {
      const nowMs = clock.nowMs();
      const due = inFlight.filter((message) => message.deliveredAtMs <= nowMs);
      if (due.length === 0) {
        return;
      }
      inFlight = inFlight.filter((message) => message.deliveredAtMs > nowMs);
      // A stable sort: the same delivery time keeps the order of sending.
      due.sort((a, b) => a.deliveredAtMs - b.deliveredAtMs);
      for (const message of due) {
        if (message.cardholderId === null) {
          continue;
        }
        const inbox = inboxes.get(message.cardholderId) ?? [];
        inbox.push(message);
        inboxes.set(message.cardholderId, inbox);
      }
    },
    hasInbox: (cardholderId) => (inboxes.get(cardholderId)?.length ?? 0) > 0,
    takeInbox(cardholderId) {
      const inbox = inboxes.get(cardholderId) ?? [];
      inboxes.delete(cardholderId);
      return inbox;
    },
    smsAcceptedOf: (cardholderId) => smsAccepted.get(cardholderId) ?? [],
    counts,
  };
}
