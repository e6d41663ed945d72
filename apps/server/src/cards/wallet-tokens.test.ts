import assert from "node:assert/strict";
import { test } from "node:test";
import { createManualClock } from "../platform/clock.ts";
import { createIdGenerator } from "../platform/ids.ts";
import { createSeededRandom } from "../platform/random.ts";
import { type CardRecord, openStore } from "../storage/index.ts";
import {
  moveWalletTokens,
  type WalletToken,
  walletTokenFromDocument,
  walletTokenToDocument,
} from "./wallet-tokens.ts";

const nowMs = Date.parse("2026-11-20T03:00:00Z");
const ids = createIdGenerator({ clock: createManualClock(nowMs), random: createSeededRandom(3) });

const replacement = { id: "card_new", cardholderId: "ch_1" } as CardRecord;

function token(n: number, state: WalletToken["state"]): WalletToken {
  return {
    id: `wtk_${n}`,
    version: 1,
    cardId: "card_old",
    cardholderId: "ch_1",
    state,
    tokenReferenceId: `DNITHE00${n}`,
    tokenRequestor: n === 1 ? "apple_pay" : "merchant",
    deviceName: n === 1 ? "iPhone" : null,
    provisionedAtMs: nowMs - 86_400_000,
    createdAtMs: nowMs - 86_400_000,
    updatedAtMs: nowMs - 86_400_000,
    movedToCardId: null,
    movedFromTokenId: null,
  };
}

test("a reissue moves the live tokens only, keeps each one's state, and hands its reference id on", async () => {
  const tokens = [token(1, "active"), token(2, "suspended"), token(3, "deleted")];
  const move = moveWalletTokens(tokens, { replacement, reason: "fraud_reissue", ids, nowMs });

  assert.deepEqual(
    move.ops.map((op) => [
      op.kind,
      op.kind === "insertDocument" || op.kind === "updateDocument" ? op.document.state : "",
    ]),
    [
      ["updateDocument", "moved"],
      ["insertDocument", "active"],
      ["updateDocument", "moved"],
      ["insertDocument", "suspended"],
    ],
    "each retirement comes before its successor, so the unique reference id is free when taken",
  );
  assert.deepEqual(
    move.moved.map((moved) => [moved.tokenReferenceId, moved.fromTokenId]),
    [
      ["DNITHE001", "wtk_1"],
      ["DNITHE002", "wtk_2"],
    ],
  );
  assert.deepEqual(
    move.notices.map((notice) => [
      notice.event,
      notice.tokenReferenceId,
      notice.cardId,
      notice.replacesCardId,
    ]),
    [
      ["pan_update", "DNITHE001", "card_new", "card_old"],
      ["pan_update", "DNITHE002", "card_new", "card_old"],
    ],
  );
  assert.equal(move.audit.length, 2);

  // Committed on a store, the reference id now finds the successor on the new card.
  const store = await openStore({ kind: "memory" });
  const provisioned = await store.commit([
    tokens.map(
      (original) => ({ kind: "insertDocument", document: walletTokenToDocument(original) }) as const,
    ),
  ]);
  assert.deepEqual(provisioned, { ok: true });
  assert.deepEqual(await store.commit([move.ops]), { ok: true });
  const found = await store.findDocumentByLookupKey("wallet_token", "DNITHE001");
  assert.ok(found !== null);
  const successor = walletTokenFromDocument(found);
  assert.deepEqual(
    [
      successor.cardId,
      successor.state,
      successor.tokenRequestor,
      successor.deviceName,
      successor.movedFromTokenId,
    ],
    ["card_new", "active", "apple_pay", "iPhone", "wtk_1"],
  );
  assert.equal(successor.provisionedAtMs, tokens[0]?.provisionedAtMs, "the first provisioning time stays");
  const retired = walletTokenFromDocument((await store.getDocument("wallet_token", "wtk_1")) ?? found);
  assert.deepEqual([retired.state, retired.movedToCardId], ["moved", "card_new"]);
  await store.close();
});

test("a card without live tokens moves nothing and tells the token service nothing", () => {
  const move = moveWalletTokens([token(1, "moved"), token(2, "deleted")], {
    replacement,
    reason: "lost",
    ids,
    nowMs,
  });
  assert.deepEqual([move.ops, move.notices, move.moved, move.audit], [[], [], [], []]);
});
