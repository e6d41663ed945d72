/**
 * The embedded store is the system of record: after a restart, hot state is rebuilt from it, so
 * retries, velocity and the audit chain carry on as if the process had never stopped.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { authorizationBody, enrollCard, startTestServer } from "./harness.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mimamori-restart-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test("after a restart, retries replay, velocity is rebuilt and the audit chain continues", async () => {
  const first = await startTestServer({ dataDir, seed: 1 });
  const cardId = await enrollCard(first, "4111111111111111");
  const gift = { id: "mer_gift", name: "GIFT CARD MALL", mcc: "6540", country: "JP" };
  const answers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await first.post(
      "/v1/authorizations",
      authorizationBody({
        id: `before-${i}`,
        cardId,
        amountMinor: 10_000,
        merchant: gift,
        channel: "ecommerce",
        occurredAt: `2026-11-20T12:0${i}:00+09:00`,
      }),
    );
    answers.push(response.text);
  }
  const apiKey = first.platform.apiKey;
  await first.close();

  const second = await startTestServer({ dataDir, seed: 2 });
  assert.equal(second.platform.apiKey, apiKey, "the API key survives a restart");
  assert.equal(second.platform.rebuiltDecisions, 2);
  const retry = await second.post(
    "/v1/authorizations",
    authorizationBody({
      id: "before-0",
      cardId,
      amountMinor: 10_000,
      merchant: gift,
      channel: "ecommerce",
      occurredAt: "2026-11-20T12:00:00+09:00",
    }),
  );
  assert.equal(retry.text, answers[0], "a retry after restart gets the identical stored response");
  const third = await second.post(
    "/v1/authorizations",
    authorizationBody({
      id: "after-0",
      cardId,
      amountMinor: 10_000,
      merchant: gift,
      channel: "ecommerce",
      occurredAt: "2026-11-20T12:04:00+09:00",
    }),
  );
  assert.notEqual(third.json.outcome, "approve", "the burst is remembered across the restart");
  await second.platform.committer.flush();
  const verify = await second.get("/v1/audit/verify");
  assert.equal(verify.json.ok, true, verify.text);
  await second.close();
});
