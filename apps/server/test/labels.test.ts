/**
 * POST /v1/labels: the issuer's chargebacks and imported labels over the API. A malformed page
 * records nothing; a well-formed one is answered label by label, and its retry records nothing twice.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { authorizationBody, enrollCard, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
  const cardId = await enrollCard(server, "4111111111111111");
  const paid = await server.post(
    "/v1/authorizations",
    authorizationBody({ id: "lab-1", cardId, occurredAt: "2026-11-19T12:00:00+09:00" }),
  );
  assert.equal(paid.status, 200, paid.text);
});
after(() => server.close());

const recordedLabels = async () =>
  (await server.platform.store.listDocumentsInState("payment_label", "recorded", null, 100)).rows;

const chargeback = {
  externalId: "lab-1",
  label: "fraud",
  source: "chargeback",
  knownAt: "2026-11-20T09:00:00+09:00",
};

test("a malformed page of labels is refused whole with invalid_request, and nothing is recorded", async () => {
  const pages = [
    { labels: [{ ...chargeback, authorizationId: "auth_x" }] },
    { labels: [{ source: "chargeback", label: "fraud" }] },
    { labels: [{ ...chargeback, label: "maybe" }] },
    { labels: [{ ...chargeback, knownAt: "2026-02-30T09:00:00+09:00" }] },
    { labels: [chargeback, { ...chargeback, colour: "red" }] },
    { labels: Array.from({ length: 501 }, () => chargeback) },
    { labels: [] },
  ];
  for (const page of pages) {
    const response = await server.post("/v1/labels", page);
    assert.equal(response.status, 400, response.text);
    assert.equal((response.json.error as { code: string }).code, "invalid_request");
  }
  assert.deepEqual(await recordedLabels(), []);
});

test("labels are answered one by one, and a retried page records nothing twice", async () => {
  const page = { labels: [chargeback, { ...chargeback, externalId: "lab-unknown" }] };
  const first = await server.post("/v1/labels", page);
  assert.equal(first.status, 200, first.text);
  const results = first.json.results as { status: string; error?: { code: string } }[];
  assert.deepEqual(
    results.map((result) => result.error?.code ?? result.status),
    ["recorded", "authorization_not_found"],
  );
  const again = await server.post("/v1/labels", page);
  assert.deepEqual(
    (again.json.results as { status: string }[]).map((result) => result.status),
    ["already_recorded", "rejected"],
  );
  const stored = await recordedLabels();
  assert.equal(stored.length, 1);
  assert.deepEqual(stored[0]?.body, {
    authorizationId: stored[0]?.body && (stored[0].body as { authorizationId: string }).authorizationId,
    isFraud: true,
    source: "chargeback",
    knownAtMs: Date.parse(chargeback.knownAt),
    reference: null,
  });
});

test("labels need the issuer's API key", async () => {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/labels",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ labels: [chargeback] }),
  });
  assert.equal(response.statusCode, 401);
});
