/**
 * Wallet tokens over HTTP: the issuer records what the token service provisioned, never a token
 * number; a reissue (here a reported theft, on the embedded PostgreSQL) moves every live token to
 * the replacement card in the reissue's own commit and tells the token service, naming cards by id.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createPanVault, findPanCandidates } from "../src/cards/index.ts";
import { loadSecrets } from "../src/config/config.ts";
import type { OutboxMessage } from "../src/outbox/index.ts";
import { systemRandom } from "../src/platform/random.ts";
import { enrollCard, startTestServer } from "./harness.ts";

type Listed = Record<string, unknown>;

const oldPan = "4111111111111111";

const applePay = {
  tokenReferenceId: "DNITHE3020412A7BC3D9E1F0",
  tokenRequestor: "apple_pay",
  deviceName: "iPhone",
};
const merchantToken = { tokenReferenceId: "DWSPMC000000000123abc", tokenRequestor: "merchant" };

test("wallet tokens are recorded per card by reference id: 201, a duplicate is 409, an unknown card 404, a token number 400", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const cardId = await enrollCard(server, "4111111111111111");
    const created = await server.post(`/v1/cards/${cardId}/wallet-tokens`, applePay);
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.id as string, /^wtk_/);
    assert.deepEqual(
      [created.json.cardId, created.json.state, created.json.tokenRequestor, created.json.deviceName],
      [cardId, "active", "apple_pay", "iPhone"],
    );

    const duplicate = await server.post(`/v1/cards/${cardId}/wallet-tokens`, applePay);
    assert.equal(duplicate.status, 409);
    assert.equal((duplicate.json.error as Listed).code, "wallet_token_already_registered");

    const unknown = await server.post("/v1/cards/card_missing/wallet-tokens", merchantToken);
    assert.equal((unknown.json.error as Listed).code, "card_not_found");
    assert.equal(
      ((await server.get("/v1/cards/card_missing/wallet-tokens")).json.error as Listed).code,
      "card_not_found",
    );

    for (const body of [
      { ...merchantToken, tokenReferenceId: "4895370012003478" },
      { ...merchantToken, tokenRequestor: "paypal" },
      { ...merchantToken, surprise: true },
    ]) {
      const refused = await server.post(`/v1/cards/${cardId}/wallet-tokens`, body);
      assert.equal((refused.json.error as Listed).code, "invalid_request", JSON.stringify(body));
    }

    assert.equal((await server.post(`/v1/cards/${cardId}/wallet-tokens`, merchantToken)).status, 201);
    const listed = (await server.get(`/v1/cards/${cardId}/wallet-tokens`)).json.walletTokens as Listed[];
    assert.deepEqual(
      listed.map((token) => token.tokenReferenceId),
      [applePay.tokenReferenceId, merchantToken.tokenReferenceId],
    );
  } finally {
    await server.close();
  }
});

test("a stolen card's wallet tokens move to the replacement, and the token service is told without a PAN", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-tokens-"));
  const toTokenService: OutboxMessage[] = [];
  const server = await startTestServer({
    dataDir,
    platform: {
      runWorkers: false,
      senders: {
        token_service: {
          send: async (message) => {
            toTokenService.push(message);
            return { ok: true, providerMessageId: `tsp_${message.id}` };
          },
        },
      },
    },
  });
  try {
    const cardId = await enrollCard(server, oldPan);
    const cardholderId = (await server.get(`/v1/cards/${cardId}`)).json.cardholderId as string;
    for (const token of [applePay, merchantToken]) {
      assert.equal((await server.post(`/v1/cards/${cardId}/wallet-tokens`, token)).status, 201);
    }
    const session = await server.post("/v1/cardholder-sessions", { cardholderId });
    const reported = await server.app.inject({
      method: "POST",
      url: `/v1/cardholder/cards/${cardId}/report-lost`,
      headers: {
        authorization: `Bearer ${session.json.token as string}`,
        "content-type": "application/json",
      },
      payload: JSON.stringify({ kind: "stolen" }),
    });
    assert.equal(reported.statusCode, 200, reported.body);
    const replacementId = (JSON.parse(reported.body) as { replacementCardId: string }).replacementCardId;

    // Listed by record creation; the two moved in one commit, so a fixed order is put on them here.
    const tokensOf = async (id: string) =>
      ((await server.get(`/v1/cards/${id}/wallet-tokens`)).json.walletTokens as Listed[]).sort((a, b) =>
        String(a.tokenReferenceId).localeCompare(String(b.tokenReferenceId)),
      );
    const moved = await tokensOf(replacementId);
    assert.deepEqual(
      moved.map((token) => [token.tokenReferenceId, token.tokenRequestor, token.state, token.cardId]),
      [
        [applePay.tokenReferenceId, "apple_pay", "active", replacementId],
        [merchantToken.tokenReferenceId, "merchant", "active", replacementId],
      ],
    );
    const old = await tokensOf(cardId);
    assert.deepEqual(
      old.map((token) => [token.state, token.movedToCardId]),
      [
        ["moved", replacementId],
        ["moved", replacementId],
      ],
    );
    assert.deepEqual(
      moved.map((token) => token.movedFromTokenId),
      old.map((token) => token.id),
    );
    // The reference id passed to the replacement: registering it again is still a duplicate.
    const again = await server.post(`/v1/cards/${replacementId}/wallet-tokens`, applePay);
    assert.equal((again.json.error as Listed).code, "wallet_token_already_registered");

    const cases = (await server.get(`/v1/cases?cardId=${cardId}`)).json.cases as Listed[];
    assert.deepEqual(
      ((cases[0]?.walletTokens ?? []) as Listed[]).map((token) => token.tokenReferenceId).sort(),
      [applePay.tokenReferenceId, merchantToken.tokenReferenceId],
    );

    const vault = createPanVault(loadSecrets(dataDir, {}, systemRandom).panKeys, systemRandom);
    const newPan = vault.decrypt((await server.platform.store.getCard(replacementId))?.panCiphertext ?? "");
    await server.platform.dispatcher.drainOnce();
    assert.equal(
      toTokenService.length,
      2,
      "one PAN update per token, delivered on the token_service channel",
    );
    for (const message of toTokenService) {
      assert.equal(message.purpose, "token_pan_update");
      const event = JSON.parse(message.body) as Listed;
      assert.deepEqual(
        [event.event, event.cardId, event.replacesCardId, event.reason],
        ["pan_update", replacementId, cardId, "stolen"],
      );
      for (const pan of [oldPan, newPan]) {
        assert.ok(!message.body.includes(pan), "no card number");
      }
      assert.deepEqual(findPanCandidates(message.body), [], "nothing that could be a card or token number");
    }
    const audit = await server.platform.store.listAudit(0, 1_000);
    assert.equal(audit.filter((entry) => entry.action === "wallet_token.moved").length, 2);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
