/**
 * Sends what the outbox holds. Each pass claims the due messages for a lease, sends each through
 * its channel's sender with the message id as the idempotency key, and records the result by
 * compare-and-set. The claim keeps another worker process from sending the same message while
 * this one does; a worker that dies leaves its claimed messages to come due again when the lease
 * ends. A crash between the send and the record sends again with the same key, which the provider
 * (or the mail client, by Message-ID) folds into one message; a message is never dropped.
 * Failures back off and end as `failed` after a bounded number of attempts.
 */
import { limits } from "../config/limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { GroupCommitter, Store } from "../storage/index.ts";
import type { BodySealer } from "./body-sealer.ts";
import {
  type OutboxChannel,
  type OutboxMessage,
  openedMessage,
  outboxFromDocument,
  outboxToDocument,
} from "./outbox-message.ts";

/** The longest a send may take before its sender gives up: main.ts gives each sender its limit. */
const sendTimeoutMaxMs = Math.max(
  limits.smsSendTimeoutMs,
  limits.emailSendTimeoutMs,
  limits.pushSendTimeoutMs,
);

export type SendOutcome =
  | { readonly ok: true; readonly providerMessageId: string }
  | { readonly ok: false; readonly code: string; readonly retryable: boolean; readonly message: string };

/** One channel's way out; the notifications module's senders fit this shape. */
export type OutboxSender = { send(message: OutboxMessage): Promise<SendOutcome> };

export type OutboxDispatcher = {
  /** One pass over the due messages; resolves with how many were settled (sent or failed). */
  drainOnce(): Promise<{ sent: number; failed: number; retried: number }>;
  /** Polls until stop(); wake() runs a pass at once (after a commit that queued messages). */
  start(): void;
  wake(): void;
  stop(): Promise<void>;
};

export function createOutboxDispatcher(deps: {
  store: Pick<Store, "claimDocumentsDue">;
  committer: Pick<GroupCommitter, "submit">;
  senders: Readonly<Record<OutboxChannel, OutboxSender>>;
  sealer: BodySealer;
  clock: Clock;
  onError: (error: unknown) => void;
}): OutboxDispatcher {
  const { store, committer, senders, clock } = deps;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> | null = null;
  let isStopped = true;
  let isWakeQueued = false;

  const settle = async (
    message: OutboxMessage,
    outcome: SendOutcome,
  ): Promise<"sent" | "failed" | "retried"> => {
    const nowMs = clock.nowMs();
    const attempts = message.attempts + 1;
    let next: OutboxMessage;
    let result: "sent" | "failed" | "retried";
    if (outcome.ok) {
      next = {
        ...message,
        state: "sent",
        sentAtMs: nowMs,
        providerMessageId: outcome.providerMessageId,
        lastError: null,
      };
      result = "sent";
    } else if (outcome.retryable && attempts < limits.outboxAttemptsMax) {
      // Exponential back-off from one second, capped, so a provider outage is not hammered.
      const delayMs = Math.min(limits.outboxRetryDelayMaxMs, 1_000 * 2 ** (attempts - 1));
      next = { ...message, dueAtMs: nowMs + delayMs, lastError: `${outcome.code}: ${outcome.message}` };
      result = "retried";
    } else {
      next = { ...message, state: "failed", lastError: `${outcome.code}: ${outcome.message}` };
      result = "failed";
    }
    next = { ...next, attempts, version: message.version + 1, updatedAtMs: nowMs };
    const committed = await committer.submit({
      ops: [{ kind: "updateDocument", document: outboxToDocument(next) }],
      audit: [
        {
          actor: "system",
          action: `outbox.${result}`,
          subjectId: message.id,
          payload: { channel: message.channel, purpose: message.purpose, attempts },
          atMs: nowMs,
        },
      ],
    });
    // Our lease ran out and another dispatcher claimed or settled the message: its record stands.
    return committed.ok ? result : "retried";
  };

  const drainOnce: OutboxDispatcher["drainOnce"] = async () => {
    const counts = { sent: 0, failed: 0, retried: 0 };
    const claimedAtMs = clock.nowMs();
    const leaseUntilMs = claimedAtMs + limits.outboxClaimLeaseMs;
    const claimed = await store.claimDocumentsDue(
      "outbox_message",
      "pending",
      claimedAtMs,
      leaseUntilMs,
      limits.outboxBatchMax,
    );
    for (const document of claimed) {
      // A send that could outlast the lease might overlap another worker's send of the same
      // message, so the pass ends here; the rest of the claim comes due when the lease ends.
      if (clock.nowMs() + sendTimeoutMaxMs >= leaseUntilMs) {
        break;
      }
      const message = outboxFromDocument(document);
      const outcome = await senders[message.channel].send(openedMessage(message, deps.sealer));
      counts[await settle(message, outcome)] += 1;
    }
    return counts;
  };

  const pass = (): void => {
    if (running !== null || isStopped) {
      isWakeQueued = running !== null;
      return;
    }
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    running = drainOnce()
      .catch(deps.onError)
      .finally(() => {
        running = null;
        if (isStopped) {
          return;
        }
        if (isWakeQueued) {
          isWakeQueued = false;
          setImmediate(pass);
          return;
        }
        timer = setTimeout(pass, limits.outboxPollIntervalMs);
      });
  };

  return {
    drainOnce,
    start() {
      isStopped = false;
      pass();
    },
    wake() {
      if (!isStopped) {
        setImmediate(pass);
      }
    },
    async stop() {
      isStopped = true;
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      await running;
    },
  };
}
