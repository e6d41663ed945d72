import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { compileRulesetText } from "../src/rulesets/index.ts";
import { decide, decodeSnapshot } from "../src/scoring/index.ts";
import {
  authorizationBody,
  buildOrdinaryHistory,
  enrollCard,
  startTestServer,
  type TestServer,
} from "./harness.ts";

let server: TestServer;
let cardId: string;

before(async () => {
  server = await startTestServer();
  cardId = await enrollCard(server, "4111111111111111");
  await buildOrdinaryHistory(server, cardId, "hist");
});
after(async () => server.close());

describe("the seed scenarios", () => {
  test("an ordinary daytime purchase at a usual merchant is approved", async () => {
    const response = await server.post(
      "/v1/authorizations",
      authorizationBody({
        id: "ordinary-1",
        cardId,
        amountMinor: 3_100,
        occurredAt: "2026-11-20T12:05:00+09:00",
      }),
    );
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json.outcome, "approve");
    assert.deepEqual(response.json.reasons, []);
  });

  test("a domestic card used for e-commerce abroad at 03:00 local time is held or stepped up, with a reason code", async () => {
    const response = await server.post(
      "/v1/authorizations",
      authorizationBody({
        id: "night-abroad-1",
        cardId,
        amountMinor: 45_000,
        currency: "USD",
        merchant: { id: "mer_us_gadgets", name: "GADGET OUTLET", mcc: "5732", country: "US" },
        channel: "ecommerce",
        occurredAt: "2026-11-20T03:00:00+09:00",
        device: { ip: "203.0.113.9", fingerprint: "fp-unknown-laptop" },
      }),
    );
    assert.equal(response.status, 200, response.text);
    assert.ok(["hold", "step_up"].includes(response.json.outcome as string), response.text);
    const codes = (response.json.reasons as { code: string }[]).map((reason) => reason.code);
    assert.ok(codes.includes("overseas_ecommerce_night"), codes.join(","));
    const explanation = response.json.explanation as { rules: { ruleId: string; condition: unknown }[] };
    assert.ok(explanation.rules.some((rule) => rule.ruleId === "overseas_ecommerce_night"));
  });

  test("the later purchases of a burst of five gift-card purchases within ten minutes are not approved", async () => {
    const burstCard = await enrollCard(server, "5555555555554444");
    await buildOrdinaryHistory(server, burstCard, "burst-hist");
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await server.post(
        "/v1/authorizations",
        authorizationBody({
          id: `giftcard-${i}`,
          cardId: burstCard,
          amountMinor: 10_000,
          merchant: { id: `mer_gift_${i % 2}`, name: "GIFT CARD MALL", mcc: "6540", country: "JP" },
          channel: "ecommerce",
          occurredAt: `2026-11-20T12:${String(i * 2).padStart(2, "0")}:00+09:00`,
        }),
      );
      assert.equal(response.status, 200, response.text);
      outcomes.push(response.json.outcome as string);
    }
    assert.deepEqual(
      outcomes.slice(2).filter((outcome) => outcome === "approve"),
      [],
      `outcomes: ${outcomes.join(", ")}`,
    );
    assert.notEqual(outcomes[1], "approve", `outcomes: ${outcomes.join(", ")}`);
  });
});

describe("idempotency", () => {
  const body = () =>
    authorizationBody({ id: "idem-1", cardId, amountMinor: 2_800, occurredAt: "2026-11-20T12:30:00+09:00" });

  test("the same id with the same body returns the identical stored response", async () => {
    const first = await server.post("/v1/authorizations", body());
    const second = await server.post("/v1/authorizations", body());
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
  });

  test("the same id with a different body is a 409 idempotency_conflict", async () => {
    const changed = { ...body(), amount: { minor: 2_801, currency: "JPY" } };
    const response = await server.post("/v1/authorizations", changed);
    assert.equal(response.status, 409);
    assert.equal((response.json.error as { code: string }).code, "idempotency_conflict");
  });

  test("concurrent duplicates record one decision and all get the same response", async () => {
    const before = await server.platform.store.countDecisions();
    const concurrent = authorizationBody({
      id: "idem-concurrent",
      cardId,
      amountMinor: 1_900,
      occurredAt: "2026-11-20T12:31:00+09:00",
    });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => server.post("/v1/authorizations", concurrent)),
    );
    await server.platform.committer.flush();
    assert.equal(await server.platform.store.countDecisions(), before + 1);
    for (const response of responses) {
      assert.equal(response.status, 200);
      assert.equal(response.text, responses[0]?.text);
    }
    const stored = await server.platform.store.getDecisionByExternalId("idem-concurrent");
    assert.equal(JSON.stringify(stored?.response), responses[0]?.text);
  });
});

describe("replay", () => {
  test("every recorded decision replays identically from its stored snapshot and ruleset version", async () => {
    await server.platform.committer.flush();
    const page = await server.platform.store.listDecisions(0, null, 1_000);
    assert.ok(page.rows.length >= 25);
    for (const record of page.rows) {
      const ruleset = server.platform.rulesets.get(record.rulesetId);
      assert.ok(ruleset !== undefined);
      const compiled = compileRulesetText(ruleset.text);
      assert.ok(compiled.ok);
      const replayed = decide(decodeSnapshot(record.snapshot), {
        id: ruleset.id,
        version: ruleset.version,
        compiled: compiled.value,
      });
      const response = record.response as {
        outcome: string;
        score: number;
        reasons: unknown;
        explanation: unknown;
      };
      assert.deepEqual(
        {
          outcome: replayed.outcome,
          score: replayed.score,
          reasons: replayed.reasons,
          explanation: replayed.explanation,
        },
        {
          outcome: response.outcome,
          score: response.score,
          reasons: response.reasons,
          explanation: response.explanation,
        },
        record.externalId,
      );
    }
  });
});
