/**
 * The dispatcher's claims: several worker processes share one outbox, and each message is sent by
 * one of them at a time, and still sent when the worker that claimed it dies.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { limits } from "../config/limits.ts";
import { createManualClock } from "../platform/clock.ts";
import { createIdGenerator } from "../platform/ids.ts";
import { createSeededRandom } from "../platform/random.ts";
import { createGroupCommitter, openStore, type Store } from "../storage/index.ts";
import { createBodySealer } from "./body-sealer.ts";
import { createOutboxDispatcher, type OutboxSender } from "./dispatcher.ts";
import {
  newOutboxMessage,
  type OutboxMessage,
  outboxFromDocument,
  outboxToDocument,
} from "./outbox-message.ts";

const startMs = 1_767_225_600_000;

async function createWorld(messageCount: number) {
  const clock = createManualClock(startMs);
  const random = createSeededRandom(7);
  const ids = createIdGenerator({ clock, random });
  const store = await openStore({ kind: "memory" });
  const messages = Array.from({ length: messageCount }, (_, index) =>
    newOutboxMessage(
      {
        channel: "sms",
        to: "+819000000000",
        language: "ja",
        subject: null,
        body: `message ${index}`,
        purpose: "confirmation_request",
      },
      { cardholderId: "ch_1", cardId: "card_1" },
      ids,
      clock.nowMs(),
    ),
  );
  assert.deepEqual(
    await store.commit([
      messages.map((message) => ({ kind: "insertDocument", document: outboxToDocument(message) })),
    ]),
    { ok: true },
  );
  const committer = createGroupCommitter({
    store,
    clock,
    batchMax: 64,
    batchDelayMs: 0,
    audit: { seq: 0, hash: "0".repeat(64) },
  });
  const sealer = createBodySealer(Buffer.alloc(32, 1), random);
  const dispatcherWith = (sender: OutboxSender) =>
    createOutboxDispatcher({
      store,
      committer,
      senders: { sms: sender, email: sender, push: sender, card_host: sender, token_service: sender },
      sealer,
      clock,
      // Only start() runs passes in the background; these tests await drainOnce themselves.
      onError: (error) => assert.fail(String(error)),
    });
  return { clock, store, messages, dispatcherWith };
}

async function stateOf(store: Store, message: OutboxMessage): Promise<string | undefined> {
  const document = await store.getDocument("outbox_message", message.id);
  return document === null ? undefined : outboxFromDocument(document).state;
}

describe("outbox dispatcher", () => {
  test("two dispatchers on one outbox send each message once and never the same one at once", async () => {
    const world = await createWorld(30);
    const inFlight = new Set<string>();
    const sendCounts = new Map<string, number>();
    const sender: OutboxSender = {
      async send(message) {
        assert.equal(inFlight.has(message.id), false, `${message.id} is sent by two dispatchers at once`);
        inFlight.add(message.id);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight.delete(message.id);
        sendCounts.set(message.id, (sendCounts.get(message.id) ?? 0) + 1);
        return { ok: true, providerMessageId: `p_${message.id}` };
      },
    };
    const passes = await Promise.all([
      world.dispatcherWith(sender).drainOnce(),
      world.dispatcherWith(sender).drainOnce(),
    ]);
    assert.equal(
      passes.reduce((sum, pass) => sum + pass.sent, 0),
      30,
    );
    assert.deepEqual([...new Set(sendCounts.values())], [1], "every message was sent exactly once");
    assert.equal(sendCounts.size, 30);
    for (const message of world.messages) {
      assert.equal(await stateOf(world.store, message), "sent");
    }
  });

  test("the messages a dead worker claimed are sent by another once the lease ends", async () => {
    const world = await createWorld(3);
    // A worker claims the due messages and dies before it sends any of them.
    const nowMs = world.clock.nowMs();
    const lost = await world.store.claimDocumentsDue(
      "outbox_message",
      "pending",
      nowMs,
      nowMs + limits.outboxClaimLeaseMs,
      limits.outboxBatchMax,
    );
    assert.equal(lost.length, 3);
    const sent: string[] = [];
    const dispatcher = world.dispatcherWith({
      async send(message) {
        sent.push(message.id);
        return { ok: true, providerMessageId: `p_${message.id}` };
      },
    });
    assert.deepEqual(await dispatcher.drainOnce(), { sent: 0, failed: 0, retried: 0 }, "still leased");
    world.clock.advanceMs(limits.outboxClaimLeaseMs);
    assert.deepEqual(await dispatcher.drainOnce(), { sent: 3, failed: 0, retried: 0 });
    assert.deepEqual(
      sent,
      world.messages.map((message) => message.id),
    );
  });

  test("a pass stops before a send could outlast its lease, and the rest go out after it", async () => {
    const world = await createWorld(3);
    // Each send takes a little over half the lease: after two, a third could end past the lease.
    const sendMs = Math.ceil(limits.outboxClaimLeaseMs * 0.55);
    const sent: string[] = [];
    const dispatcher = world.dispatcherWith({
      async send(message) {
        world.clock.advanceMs(sendMs);
        sent.push(message.id);
        return { ok: true, providerMessageId: `p_${message.id}` };
      },
    });
    assert.deepEqual(await dispatcher.drainOnce(), { sent: 2, failed: 0, retried: 0 });
    const [, , last] = world.messages;
    assert(last !== undefined, "three messages");
    assert.equal(await stateOf(world.store, last), "pending");
    assert.deepEqual(await dispatcher.drainOnce(), { sent: 1, failed: 0, retried: 0 });
    assert.deepEqual(
      sent,
      world.messages.map((message) => message.id),
    );
  });
});
