/**
 * The optional one-time answer link end to end: off by default (no message carries a link); on,
 * the e-mail carries exactly one https link on the official domain; its page shows the payment
 * and asks for nothing but the answer; opening it spends nothing, answering spends it; spent,
 * expired and unknown links get neutral pages; a link base off the official domain stops the start.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseServeConfig } from "../src/config/config.ts";
import { findLinks } from "../src/contact-check/index.ts";
import { InvalidConfigError, startPlatform } from "../src/main.ts";
import {
  authorizationBody,
  buildOrdinaryHistory,
  enrollCard,
  startTestServer,
  type TestServer,
} from "./harness.ts";

type Listed = Record<string, unknown>;

const officialDomain = "card.example.co.jp";
const linksOn = (mode: string) => ({
  runWorkers: false,
  env: { MIMAMORI_CONFIRMATION_LINKS: mode, MIMAMORI_OFFICIAL_DOMAIN: officialDomain },
});

/** A card with an ordinary history, then ¥89,000 from a US shop at 03:00 Tokyo time: held. */
async function heldCard(server: TestServer, pan: string, id: string) {
  const cardId = await enrollCard(server, pan);
  await buildOrdinaryHistory(server, cardId, `${id}-history`);
  const held = await server.post(
    "/v1/authorizations",
    authorizationBody({
      id,
      cardId,
      amountMinor: 89_000,
      merchant: { id: "mer_us_gadgets", name: "US GADGET <STORE>", mcc: "5732", country: "US" },
      channel: "ecommerce",
      occurredAt: "2026-11-20T03:00:00+09:00",
    }),
  );
  assert.equal(held.json.outcome, "hold", held.text);
  const cardholderId = (await server.get(`/v1/cards/${cardId}`)).json.cardholderId as string;
  const messages = (await server.get(`/v1/outbox?cardholderId=${cardholderId}`)).json.messages as Listed[];
  const request = (channel: string) =>
    messages.find((message) => message.channel === channel && message.purpose === "confirmation_request");
  return { cardId, cardholderId, holdId: held.json.holdId as string, messages, request };
}

function tokenOf(link: string): string {
  return link.slice(`https://${officialDomain}/c/`.length);
}

async function page(
  server: TestServer,
  method: "GET" | "POST",
  token: string,
  answer?: string,
  accept?: string,
) {
  const response = await server.app.inject({
    method,
    url: `/c/${token}`,
    headers: {
      ...(answer === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
      ...(accept === undefined ? {} : { accept }),
    },
    ...(answer === undefined ? {} : { payload: `answer=${answer}` }),
  });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

test("with links on for e-mail, only the e-mail carries a link: one, https, on the official domain", async () => {
  const server = await startTestServer({ platform: linksOn("email") });
  try {
    const { request } = await heldCard(server, "4111111111111111", "links-email");
    const email = request("email");
    assert.ok(email !== undefined);
    const links = findLinks(email.body as string);
    assert.equal(links.length, 1, email.body as string);
    assert.match(
      links[0] ?? "",
      new RegExp(`^https://${officialDomain.replace(/\./g, "\\.")}/c/[A-Za-z0-9_-]{22}$`),
    );
    for (const channel of ["sms", "push"]) {
      assert.deepEqual(findLinks(request(channel)?.body as string), [], `no link by ${channel}`);
    }
  } finally {
    await server.close();
  }
});

test("the page shows the payment and asks for nothing but the answer; opening spends nothing; mine releases once", async () => {
  const server = await startTestServer({ platform: linksOn("email") });
  try {
    const { cardId, holdId, request } = await heldCard(server, "4111111111111111", "links-page");
    const token = tokenOf(findLinks(request("email")?.body as string)[0] ?? "");

    const shown = await page(server, "GET", token);
    assert.equal(shown.status, 200);
    assert.match(String(shown.headers["content-type"]), /^text\/html/);
    assert.match(
      String(shown.headers["content-security-policy"]),
      /default-src 'none'.*frame-ancestors 'none'/,
    );
    assert.equal(shown.headers["cache-control"], "no-store");
    assert.equal(shown.headers["referrer-policy"], "no-referrer");
    for (const value of ["mimamoriカード", "US GADGET &lt;STORE&gt;", "89,000", "1111", "11/20 03:00"]) {
      assert.ok(shown.body.includes(value), `the page shows ${value}`);
    }
    const phrase = (
      await server.get(`/v1/cardholders/${(await server.get(`/v1/cards/${cardId}`)).json.cardholderId}`)
    ).json.securityPhrase as string;
    assert.ok(shown.body.includes(phrase), "the page shows the security phrase");
    assert.doesNotMatch(shown.body, /<input|<textarea|<select|<script|password"|src=|href=/i);
    assert.equal(
      shown.body.match(/<button [^>]*name="answer"/g)?.length,
      2,
      "two answer buttons and nothing else",
    );
    assert.equal(
      (await page(server, "GET", token)).status,
      200,
      "a second look (a mail scanner's) spends nothing",
    );

    const answered = await page(server, "POST", token, "mine");
    assert.equal(answered.status, 200, answered.body);
    assert.match(answered.body, /保留を解除しました/);
    const hold = (await server.get(`/v1/holds/${holdId}`)).json.hold as Listed;
    assert.equal(hold.state, "confirmed_mine");
    assert.equal((hold.resolution as Listed).channel, "link");
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "active");

    const again = await page(server, "POST", token, "not_mine");
    assert.equal(again.status, 410);
    assert.match(again.body, /すでに使われています/);
    const asJson = await page(server, "GET", token, undefined, "application/json");
    assert.equal(asJson.status, 410);
    assert.equal((JSON.parse(asJson.body) as { error: Listed }).error.code, "confirmation_link_used");
    assert.equal(
      (await server.get(`/v1/cards/${cardId}`)).json.state,
      "active",
      "the second answer changed nothing",
    );
  } finally {
    await server.close();
  }
});

test("not mine through the link blocks and reissues the card like any other channel", async () => {
  const server = await startTestServer({ platform: linksOn("email") });
  try {
    const { cardId, cardholderId, request } = await heldCard(server, "4111111111111111", "links-not-mine");
    const answered = await page(
      server,
      "POST",
      tokenOf(findLinks(request("email")?.body as string)[0] ?? ""),
      "not_mine",
    );
    assert.equal(answered.status, 200, answered.body);
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "blocked");
    const cards = (await server.get(`/v1/cards?cardholderId=${cardholderId}`)).json.cards as Listed[];
    assert.equal(cards.filter((card) => card.replaces === cardId).length, 1);
  } finally {
    await server.close();
  }
});

test("expired, unknown and malformed links get neutral pages and codes that say nothing of a hold", async () => {
  const server = await startTestServer({ platform: { ...linksOn("email"), confirmationWindowMs: 60_000 } });
  try {
    const { request } = await heldCard(server, "4111111111111111", "links-expired");
    const token = tokenOf(findLinks(request("email")?.body as string)[0] ?? "");
    server.clock.advanceMs(60_000);
    // Past the hold's expiry the link is dead even before the expiry scan has run.
    const expired = await page(server, "POST", token, "mine", "application/json");
    assert.equal(expired.status, 410);
    assert.equal((JSON.parse(expired.body) as { error: Listed }).error.code, "confirmation_link_expired");
    assert.equal((await page(server, "GET", token)).status, 410);

    const unknown = await page(server, "GET", "AAAAAAAAAAAAAAAAAAAAAA");
    const malformed = await page(server, "GET", "not-a-token");
    for (const neutral of [unknown, malformed]) {
      assert.equal(neutral.status, 404);
      assert.match(neutral.body, /このリンクは無効です/);
      assert.doesNotMatch(neutral.body, /hold|保留|US GADGET/i);
    }
    const refused = await page(server, "POST", token, "maybe");
    assert.equal(refused.status, 400, "only mine or not_mine is an answer");
    const oversized = await server.app.inject({
      method: "POST",
      url: `/c/${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `answer=mine&pad=${"x".repeat(4_096)}`,
    });
    assert.equal(oversized.statusCode, 413);
  } finally {
    await server.close();
  }
});

test("the plain token is stored nowhere: the messages that carry it are sealed in the outbox", async () => {
  const server = await startTestServer({ platform: linksOn("email_and_sms") });
  try {
    const { cardId, cardholderId, request } = await heldCard(server, "4111111111111111", "links-stored");
    const link = findLinks(request("email")?.body as string)[0] ?? "";
    const token = tokenOf(link);
    assert.deepEqual(
      findLinks(request("sms")?.body as string),
      [link],
      "email_and_sms puts the same link in the SMS",
    );
    const { store } = server.platform;
    const withToken: string[] = [];
    for (const kind of ["hold", "case", "outbox_message", "confirmation_link", "allow_window"] as const) {
      for (const document of await store.listDocuments(kind, { cardId }, null, 100)) {
        if (JSON.stringify(document).includes(token)) {
          withToken.push(`${kind}:${(document.body as Listed).purpose ?? ""}`);
        }
      }
    }
    assert.deepEqual(withToken, []);
    const sealed = (await store.listDocuments("outbox_message", { cardId }, null, 100)).filter(
      (document) => (document.body as Listed).isBodySealed === true,
    );
    assert.equal(sealed.length, 3, "each request that carries the link (e-mail, SMS, push) is sealed");
    assert.ok(!JSON.stringify(await store.listAudit(0, 1_000)).includes(token), "not in the audit log");
    assert.ok(!server.logLines.join("").includes(token), "not in the logs");
    assert.equal(
      (await store.listDocuments("confirmation_link", { cardholderId }, null, 10)).length,
      1,
      "one link per request",
    );
  } finally {
    await server.close();
  }
});

test("with links off (the default), no message to the cardholder carries a link", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const { messages } = await heldCard(server, "4111111111111111", "links-off");
    assert.ok(messages.length >= 3);
    for (const message of messages) {
      assert.deepEqual(
        findLinks(`${message.subject ?? ""}\n${message.body as string}`),
        [],
        String(message.channel),
      );
    }
  } finally {
    await server.close();
  }
});

test("a link base off the official domain, or links without a domain, stop the start with their codes", async () => {
  const cases: [Record<string, string>, string][] = [
    [
      { MIMAMORI_CONFIRMATION_LINK_BASE_URL: "https://evil.example/c/" },
      "confirmation_link_outside_official_domain",
    ],
    [
      { MIMAMORI_CONFIRMATION_LINK_BASE_URL: "http://card.example.co.jp/c/" },
      "confirmation_link_outside_official_domain",
    ],
    [
      { MIMAMORI_CONFIRMATION_LINK_BASE_URL: "https://card.example.co.jp.evil.example/c/" },
      "confirmation_link_outside_official_domain",
    ],
    [
      { MIMAMORI_CONFIRMATION_LINK_BASE_URL: "https://card.example.co.jp/c/?x=" },
      "confirmation_link_outside_official_domain",
    ],
    [{ MIMAMORI_OFFICIAL_DOMAIN: "" }, "invalid_official_domain"],
    [{ MIMAMORI_CONFIRMATION_LINKS: "always" }, "invalid_confirmation_links"],
  ];
  for (const [overrides, code] of cases) {
    const env = { ...linksOn("email").env, ...overrides };
    await assert.rejects(
      startPlatform({ dataDir: null, env, runWorkers: false }),
      (error: unknown) => error instanceof InvalidConfigError && error.code === code,
      JSON.stringify(overrides),
    );
    const serve = parseServeConfig([], env);
    assert.ok(!serve.ok && serve.code === code, JSON.stringify(overrides));
  }
  await assert.rejects(
    startPlatform({ dataDir: null, env: { MIMAMORI_CONFIRMATION_LINKS: "email" }, runWorkers: false }),
    (error: unknown) => error instanceof InvalidConfigError && error.code === "official_domain_required",
  );
  const subdomain = parseServeConfig([], {
    ...linksOn("email").env,
    MIMAMORI_CONFIRMATION_LINK_BASE_URL: `https://answer.${officialDomain}/confirm/`,
  });
  assert.ok(
    subdomain.ok && subdomain.config.confirmationLinks.mode === "email",
    "a subdomain is the issuer's too",
  );
});
