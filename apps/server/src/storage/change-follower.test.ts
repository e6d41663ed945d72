import assert from "node:assert/strict";
import { test } from "node:test";
import { createChangeFollower, createSeenVersions } from "./change-follower.ts";
import { baseMs, cardFixture, cardholderFixture, documentFixture } from "./contract/fixtures.ts";
import { openStore } from "./open-store.ts";
import type { CardRecord, DocumentRecord } from "./records.ts";

async function followed(overlapMs: number) {
  const store = await openStore({ kind: "memory" });
  const clock = { nowMs: baseMs + 100 };
  const cards: string[] = [];
  const documents: string[] = [];
  const follower = createChangeFollower({
    store,
    kinds: ["hold", "allow_window"],
    sinceMs: baseMs + 100,
    overlapMs,
    pageRows: 2,
    onCard: async (card: CardRecord) => {
      cards.push(`${card.id}@${card.updatedAtMs - baseMs}`);
    },
    onDocument: async (document: DocumentRecord) => {
      documents.push(`${document.id}@${document.updatedAtMs - baseMs}`);
    },
    nowMs: () => clock.nowMs,
  });
  return { store, follower, cards, documents, clock };
}

test("the follower hands over every card and document of its kinds changed since its start, across pages", async () => {
  const { store, follower, cards, documents, clock } = await followed(10);
  await store.commit([
    [1, 2, 3].flatMap((n) => [
      { kind: "insertCardholder", cardholder: cardholderFixture(n) } as const,
      // Card 1 changed before the follower's start (minus its overlap): already in memory.
      {
        kind: "insertCard",
        card: cardFixture(n, { updatedAtMs: baseMs + (n === 1 ? 50 : 100 + n) }),
      } as const,
    ]),
    [
      { kind: "insertDocument", document: documentFixture(1, { updatedAtMs: baseMs + 120 }) },
      { kind: "insertDocument", document: documentFixture(2, { kind: "case", updatedAtMs: baseMs + 121 }) },
      {
        kind: "insertDocument",
        document: documentFixture(3, { kind: "allow_window", updatedAtMs: baseMs + 122 }),
      },
    ],
  ]);
  clock.nowMs = baseMs + 125;
  await follower.poll();
  assert.deepEqual(cards, ["card_0002@102", "card_0003@103"]);
  assert.deepEqual(documents, ["hold_0001@120", "hold_0003@122"], "a case is not a kind it follows");

  // The next read starts the overlap before the last read began: what landed late is still seen.
  cards.length = 0;
  documents.length = 0;
  await store.commit([
    [{ kind: "updateCardState", cardId: "card_0001", state: "suspended", atMs: baseMs + 200 }],
  ]);
  clock.nowMs = baseMs + 205;
  await follower.poll();
  assert.deepEqual(cards, ["card_0001@200"], "from 125 − 10 on: cards 2 and 3 are behind it");
  assert.deepEqual(documents, ["hold_0001@120", "hold_0003@122"], "read again: appliers compare versions");
  cards.length = 0;
  documents.length = 0;
  clock.nowMs = baseMs + 300;
  await follower.poll();
  assert.deepEqual([...cards, ...documents], ["card_0001@200"], "from 205 − 10 on");
  cards.length = 0;
  await follower.poll();
  assert.deepEqual([...cards, ...documents], [], "a quiet store is read from 300 − 10 on: nothing");
});

test("catching up waits for a read that began after the call, so a row committed meanwhile is seen", async () => {
  const { store, follower, cards } = await followed(0);
  await store.commit([[{ kind: "insertCardholder", cardholder: cardholderFixture(7) }]]);
  const inFlight = follower.poll();
  // Committed after the read in flight began: only a read after it can be sure to see the card.
  await store.commit([[{ kind: "insertCard", card: cardFixture(7, { updatedAtMs: baseMs + 300 }) }]]);
  await follower.catchUp();
  await inFlight;
  assert.deepEqual(cards, ["card_0007@300"]);
});

test("a version noted is not newer, an older note replaces a newer one, and notes past their keep are pruned", () => {
  const seen = createSeenVersions(1_000);
  assert.equal(seen.isNewer("hold_1", 1), true, "unseen is newer");
  seen.note("hold_1", 3, 0);
  assert.equal(seen.isNewer("hold_1", 3), false);
  assert.equal(seen.isNewer("hold_1", 4), true);
  // Memory put back after a refused commit is at the older version again, and so is the store.
  seen.note("hold_1", 2, 10);
  assert.equal(seen.isNewer("hold_1", 3), true);
  seen.note("hold_2", 5, 500);
  seen.note("hold_3", 1, 1_200);
  assert.equal(seen.isNewer("hold_1", 1), true, "hold_1's note (at 10) was pruned at 1,200");
  assert.equal(seen.isNewer("hold_2", 5), false, "hold_2's note (at 500) is kept");
});
