import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { authorizationBody, enrollCard, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let cardId: string;

before(async () => {
  server = await startTestServer();
  cardId = await enrollCard(server, "4111111111111111");
});
after(async () => server.close());

const valid = () => authorizationBody({ id: "bad-0", cardId, occurredAt: "2026-11-20T12:00:00+09:00" });

// Bodies are built when each test runs, after the card exists.
const cases: { name: string; body: () => unknown; code: string }[] = [
  { name: "invalid JSON", body: () => '{"id": "x", ', code: "invalid_json" },
  {
    name: "a wrong type",
    body: () => ({ ...valid(), amount: { minor: "3000", currency: "JPY" } }),
    code: "invalid_request",
  },
  {
    name: "a missing field",
    body: () => (({ merchant: _merchant, ...rest }) => rest)(valid()),
    code: "invalid_request",
  },
  {
    name: "a negative amount",
    body: () => ({ ...valid(), amount: { minor: -1, currency: "JPY" } }),
    code: "invalid_request",
  },
  {
    name: "a non-integer amount",
    body: () => ({ ...valid(), amount: { minor: 10.5, currency: "JPY" } }),
    code: "invalid_request",
  },
  {
    name: "an unknown currency",
    body: () => ({ ...valid(), amount: { minor: 100, currency: "XYZ" } }),
    code: "unknown_currency",
  },
  {
    name: "an invalid PAN",
    body: () => ({ ...valid(), card: { pan: "4111111111111112" } }),
    code: "invalid_pan",
  },
  { name: "an unknown field", body: () => ({ ...valid(), surprise: true }), code: "invalid_request" },
  {
    name: "an unknown nested field",
    body: () => ({ ...valid(), card: { cardId, cvv: "123" } }),
    code: "invalid_request",
  },
  {
    name: "a 1 MB body",
    body: () => ({ ...valid(), padding: "x".repeat(1024 * 1024) }),
    code: "body_too_large",
  },
  { name: "an unknown channel", body: () => ({ ...valid(), channel: "telepathy" }), code: "invalid_request" },
  {
    name: "a time without offset",
    body: () => ({ ...valid(), occurredAt: "2026-11-20T12:00:00" }),
    code: "invalid_request",
  },
  {
    name: "a time far from now",
    body: () => ({ ...valid(), occurredAt: "1999-01-01T00:00:00+09:00" }),
    code: "invalid_occurred_at",
  },
  {
    name: "a day the calendar does not have",
    body: () => ({ ...valid(), occurredAt: "2026-02-30T12:00:00+09:00" }),
    code: "invalid_occurred_at",
  },
  {
    name: "an hour past the end of the day",
    body: () => ({ ...valid(), occurredAt: "2026-11-20T24:00:00+09:00" }),
    code: "invalid_occurred_at",
  },
  {
    name: "an unknown card",
    body: () => ({ ...valid(), card: { cardId: "card_missing" } }),
    code: "card_not_found",
  },
  {
    name: "a lone UTF-16 surrogate in a text field",
    body: () => ({
      ...valid(),
      merchant: { ...(valid().merchant as Record<string, unknown>), name: "Shop \ud800" },
    }),
    code: "invalid_request",
  },
  { name: "an array body", body: () => [valid()], code: "invalid_request" },
  { name: "a __proto__ key", body: () => '{"__proto__": {"x": 1}, "id": "p"}', code: "invalid_json" },
];

for (const { name, body, code } of cases) {
  test(`${name} gets a 4xx with error.code ${code} and writes nothing`, async () => {
    const decisionsBefore = await server.platform.store.countDecisions();
    const auditBefore = await server.platform.store.getAuditHead();
    const response = await server.post("/v1/authorizations", body());
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}: ${response.text}`);
    const error = response.json.error as { code: string; requestId: string; message: string };
    assert.equal(error.code, code, response.text);
    assert.ok(error.requestId.length > 0);
    assert.equal(await server.platform.store.countDecisions(), decisionsBefore);
    assert.deepEqual(await server.platform.store.getAuditHead(), auditBefore);
  });
}

test("a bad PAN never comes back in the error", async () => {
  const response = await server.post("/v1/authorizations", { ...valid(), card: { pan: "4111111111111112" } });
  assert.equal(response.text.includes("4111111111111112"), false);
});

test("issuer endpoints refuse a missing or wrong API key with 401 unauthorized", async () => {
  for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: server.platform.apiKey }]) {
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/authorizations",
      headers,
      payload: valid(),
    });
    assert.equal(response.statusCode, 401);
    assert.equal(JSON.parse(response.body).error.code, "unauthorized");
  }
  const health = await server.app.inject({ method: "GET", url: "/v1/health" });
  assert.equal(health.statusCode, 200);
});

test("bad cardholder and card input get coded 4xx errors", async () => {
  const badZone = await server.post("/v1/cardholders", {
    name: "A",
    phone: "+819012345678",
    email: "a@example.jp",
    language: "ja",
    timeZone: "Mars/Olympus",
    homeCountry: "JP",
  });
  assert.equal((badZone.json.error as { code: string }).code, "invalid_time_zone");
  const shortPan = await server.post("/v1/cards", { cardholderId: "ch_x", pan: "1234", expiry: "2030-01" });
  assert.equal((shortPan.json.error as { code: string }).code, "invalid_request");
  const badCheckDigit = await server.post("/v1/cards", {
    cardholderId: "ch_x",
    pan: "4111111111111112",
    expiry: "2030-01",
  });
  assert.equal((badCheckDigit.json.error as { code: string }).code, "invalid_pan");
  const expired = await server.post("/v1/cards", {
    cardholderId: (await server.get(`/v1/cards/${cardId}`)).json.cardholderId,
    pan: "5555555555554444",
    expiry: "2020-01",
  });
  assert.equal((expired.json.error as { code: string }).code, "card_expired");
  const duplicate = await server.post("/v1/cards", {
    cardholderId: (await server.get(`/v1/cards/${cardId}`)).json.cardholderId,
    pan: "4111 1111 1111 1111",
    expiry: "2030-01",
  });
  assert.equal(duplicate.status, 409);
  assert.equal((duplicate.json.error as { code: string }).code, "card_already_enrolled");
});

test("a name with a lone surrogate is refused with its path and nothing is saved; a name with an emoji is kept", async () => {
  const cardholder = {
    phone: "+819012345670",
    email: "sakura@example.jp",
    language: "ja",
    timeZone: "Asia/Tokyo",
    homeCountry: "JP",
  };
  const before = (await server.platform.store.listCardholders(null, 1_000)).rows.length;
  const refused = await server.post("/v1/cardholders", { ...cardholder, name: "\udc00 Tanaka" });
  assert.equal(refused.status, 400);
  assert.deepEqual((refused.json.error as { details: unknown }).details, [
    { path: "body/name", problem: "must be well-formed Unicode (no lone UTF-16 surrogate)" },
  ]);
  assert.equal((await server.platform.store.listCardholders(null, 1_000)).rows.length, before);
  const kept = await server.post("/v1/cardholders", { ...cardholder, name: "Sakura 🌸" });
  assert.equal(kept.status, 201, kept.text);
  const saved = await server.get(`/v1/cardholders/${kept.json.id}`);
  assert.equal(saved.json.name, "Sakura 🌸");
});

test("hostile bodies on every write endpoint get a coded 4xx, never a 5xx", async () => {
  const bodies = [
    `${"[".repeat(30_000)}${"]".repeat(30_000)}`,
    `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
    "\u0000",
    "null",
    "1e309",
    '{"id":"\\ud800"}',
    "",
    "{}".repeat(1_000),
  ];
  const urls = [
    "/v1/authorizations",
    "/v1/cardholders",
    "/v1/cards",
    "/v1/rulesets",
    "/v1/rulesets/rs_x/status",
    "/v1/step-up/authentications",
    "/v1/step-up/challenges/chal_x/verify",
    "/v1/messaging/sms/inbound",
  ];
  for (const body of bodies) {
    for (const url of urls) {
      const response = await server.app.inject({
        method: "POST",
        url,
        headers: { ...server.auth, "content-type": "application/json" },
        payload: body,
      });
      assert.ok(
        response.statusCode >= 400 && response.statusCode < 500,
        `${url} ${body.slice(0, 12)} → ${response.statusCode}`,
      );
      assert.equal(typeof JSON.parse(response.body).error.code, "string");
    }
  }
  const wrongType = await server.app.inject({
    method: "POST",
    url: "/v1/authorizations",
    headers: { ...server.auth, "content-type": "text/plain" },
    payload: "hello",
  });
  assert.equal(JSON.parse(wrongType.body).error.code, "unsupported_media_type");
});

test("a URL that is not valid percent-encoded UTF-8, or a path segment over the router's limit, gets a coded 400", async () => {
  for (const url of [`/v1/cards/%ED%A0%80`, `/v1/cards/%`, `/v1/cards/${"i".repeat(101)}`]) {
    const response = await server.app.inject({ method: "GET", url, headers: server.auth });
    assert.equal(response.statusCode, 400, url);
    assert.equal(JSON.parse(response.body).error.code, "invalid_request", url);
  }
});

test("an operator e-mail with a lone surrogate is refused with a coded 400 before anything is written", async () => {
  const auditBefore = await server.platform.store.getAuditHead();
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/operators",
    headers: { ...server.auth, "content-type": "application/json" },
    payload:
      '{"email":"a\\udbff@example.jp","name":"A","role":"admin","password":"correct horse battery staple"}',
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(JSON.parse(response.body).error.code, "invalid_request");
  assert.deepEqual(await server.platform.store.getAuditHead(), auditBefore);
  const emoji = await server.post("/v1/operators", {
    email: "😀@example.jp",
    name: "A",
    role: "admin",
    password: "correct horse battery staple",
  });
  assert.equal(emoji.status, 201, "a well-formed astral character is still accepted");
});
