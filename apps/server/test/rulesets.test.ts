import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { defaultRulesetText } from "../src/rulesets/index.ts";
import { authorizationBody, enrollCard, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let cardId: string;
before(async () => {
  server = await startTestServer();
  cardId = await enrollCard(server, "4111111111111111");
});
after(async () => server.close());

test("a fresh store starts with the default ruleset active as version 1", async () => {
  const list = await server.get("/v1/rulesets");
  const rulesets = list.json.rulesets as { version: number; status: string; name: string }[];
  assert.equal(rulesets.length, 1);
  assert.deepEqual([rulesets[0]?.version, rulesets[0]?.status, rulesets[0]?.name], [1, "active", "default"]);
});

test("a ruleset with a type error is refused with positions, and nothing is saved", async () => {
  const response = await server.post("/v1/rulesets", {
    name: "broken",
    text: 'rule r1 "x"\n  when amount > "big"\n  then score 10 reason r1\n',
  });
  assert.equal(response.status, 422);
  const error = response.json.error as {
    code: string;
    details: { code: string; span: { start: { line: number } } }[];
  };
  assert.equal(error.code, "ruleset_invalid");
  assert.equal(error.details[0]?.code, "type_mismatch");
  assert.equal(error.details[0]?.span.start.line, 2);
  assert.equal(((await server.get("/v1/rulesets")).json.rulesets as unknown[]).length, 1);
});

test("a shadow ruleset's decision is recorded but not enforced, and activation switches enforcement", async () => {
  const strict = `${defaultRulesetText}\nrule everything_declines "Test: decline everything"\n  when amount >= 0\n  then decline reason test_decline\n`;
  const created = await server.post("/v1/rulesets", { name: "strict", text: strict });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.version, 2);
  const shadow = await server.post(`/v1/rulesets/${created.json.id}/status`, { status: "shadow" });
  assert.equal(shadow.json.status, "shadow");

  const first = await server.post(
    "/v1/authorizations",
    authorizationBody({ id: "shadow-1", cardId, occurredAt: "2026-11-20T12:00:00+09:00" }),
  );
  assert.equal(first.json.outcome, "approve");
  await server.platform.committer.flush();
  const record = await server.platform.store.getDecisionByExternalId("shadow-1");
  assert.ok(record !== null);
  assert.equal((record.shadow as { outcome: string }).outcome, "decline");

  const activated = await server.post(`/v1/rulesets/${created.json.id}/status`, { status: "active" });
  assert.equal(activated.json.status, "active");
  const second = await server.post(
    "/v1/authorizations",
    authorizationBody({ id: "shadow-2", cardId, occurredAt: "2026-11-20T12:01:00+09:00" }),
  );
  assert.equal(second.json.outcome, "decline");
  assert.equal(second.json.rulesetVersion, 2);
  const versions = (await server.get("/v1/rulesets")).json.rulesets as { version: number; status: string }[];
  assert.deepEqual(
    versions.map((ruleset) => `${ruleset.version}:${ruleset.status}`),
    ["2:active", "1:retired"],
  );
  const again = await server.post(`/v1/rulesets/${created.json.id}/status`, { status: "shadow" });
  assert.equal((again.json.error as { code: string }).code, "ruleset_transition_invalid");
});

test("every state change is in the audit log and its hash chain verifies", async () => {
  await server.platform.committer.flush();
  const verify = await server.get("/v1/audit/verify");
  assert.equal(verify.json.ok, true, verify.text);
  assert.ok((verify.json.entries as number) >= 6);
});
