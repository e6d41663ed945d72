/**
 * Step-up end to end through the HTTP API (issue #4's must-show list): a low-risk request passes
 * without friction; a risky one is challenged with a code in the outbox; the right code yields a
 * value that lets the payment's authorization approve, once; five wrong codes fail the challenge
 * for good; an expired code is refused; the tables hold no plain code; "I did not ask for this
 * code" locks the card and opens a case, from the console, the portal and an SMS reply.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { limits } from "../src/config/limits.ts";
import { authorizationBody, buildOrdinaryHistory, startTestServer, type TestServer } from "./harness.ts";

const pan = "4111111111111111";
const phone = "+819055556666";
const domain = "card.example.co.jp";
const usShop = { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US" };
const bookShop = { id: "mer_books_web", name: "本の通販", mcc: "5942", country: "JP" };

async function enroll(server: TestServer, stepUpChannel: "sms" | "email" = "sms") {
  const cardholder = await server.post("/v1/cardholders", {
    name: "山田 花子",
    phone,
    email: "hanako@example.jp",
    language: "ja",
    timeZone: "Asia/Tokyo",
    homeCountry: "JP",
    securityPhrase: "さくら もみじ 42",
    stepUpChannel,
  });
  assert.equal(cardholder.status, 201, cardholder.text);
  const cardholderId = cardholder.json.id as string;
  const card = await server.post("/v1/cards", { cardholderId, pan, expiry: "2030-12" });
  assert.equal(card.status, 201, card.text);
  const cardId = card.json.id as string;
  await buildOrdinaryHistory(server, cardId, "history");
  return { cardholderId, cardId };
}

function authenticationRequest(id: string, merchant = usShop, amountMinor = 89_000) {
  return {
    id,
    card: { pan },
    amount: { minor: amountMinor, currency: "JPY" },
    merchant,
    deviceChannel: "browser",
    device: { ip: "203.0.113.9", fingerprint: "fp-unknown-laptop", userAgent: "Mozilla/5.0" },
    challengePreference: "no_preference",
  };
}

/** The newest code in the cardholder's outbox, read from the origin-bound last line. */
async function latestCode(server: TestServer, cardholderId: string): Promise<{ code: string; body: string }> {
  const outbox = await server.get(`/v1/outbox?cardholderId=${cardholderId}`);
  const messages = (outbox.json.messages as { purpose: string; body: string }[]).filter(
    (message) => message.purpose === "step_up_code",
  );
  const body = messages.at(-1)?.body ?? "";
  const match = /\n@([^\s#]+) #([0-9]{6})$/.exec(body);
  assert.ok(match !== null, `the code message ends with "@domain #code": ${body}`);
  assert.equal(match[1], domain);
  return { code: match[2] as string, body };
}

/** The risky payment itself (¥89,000 at the US shop, online), presenting an authentication value. */
function steppedUpPayment(id: string, cardId: string, authenticationValue: string) {
  return {
    ...authorizationBody({
      id,
      cardId,
      amountMinor: 89_000,
      merchant: usShop,
      channel: "ecommerce",
      occurredAt: "2026-11-20T12:00:00+09:00",
      device: { ip: "203.0.113.9", fingerprint: "fp-unknown-laptop" },
    }),
    threeDs: { authenticationValue },
  };
}

function wrongCodeFor(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

async function challenged(server: TestServer, cardholderId: string, id: string) {
  const response = await server.post("/v1/step-up/authentications", authenticationRequest(id));
  assert.equal(response.status, 200, response.text);
  assert.equal(response.json.transStatus, "C", response.text);
  assert.equal(response.json.authenticationValue, undefined);
  const challengeId = response.json.challengeId as string;
  assert.match(challengeId, /^chal_/);
  return {
    challengeId,
    authenticationId: response.json.authenticationId as string,
    ...(await latestCode(server, cardholderId)),
  };
}

function startServer(dataDir: string | null = null) {
  return startTestServer({
    dataDir,
    platform: {
      runWorkers: false,
      env: { MIMAMORI_OFFICIAL_DOMAIN: domain },
      challengeCodeTtlMs: 5 * 60_000,
    },
  });
}

test("low risk passes without friction; the authorization with its value approves", async () => {
  const server = await startServer();
  try {
    const { cardId } = await enroll(server);
    const response = await server.post("/v1/step-up/authentications", {
      ...authenticationRequest("acs-low-1", bookShop, 2_800),
      device: { fingerprint: "fp-home-phone" },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json.transStatus, "Y", response.text);
    assert.equal(response.json.eci, "05", "Visa: authenticated");
    assert.equal(response.json.challengeId, undefined);
    const value = response.json.authenticationValue as string;
    assert.match(value, /^[A-Za-z0-9+/]{27}=$/, "20 bytes in base64, like a CAVV");

    // A retry of the same request gets the same answer; a different body under the id is refused.
    const retry = await server.post("/v1/step-up/authentications", {
      ...authenticationRequest("acs-low-1", bookShop, 2_800),
      device: { fingerprint: "fp-home-phone" },
    });
    assert.equal(retry.json.authenticationValue, value);
    const reuse = await server.post("/v1/step-up/authentications", authenticationRequest("acs-low-1"));
    assert.equal(reuse.status, 409);
    assert.equal((reuse.json.error as { code: string }).code, "idempotency_conflict");

    const authorization = await server.post("/v1/authorizations", {
      ...authorizationBody({
        id: "pay-low-1",
        cardId,
        amountMinor: 2_800,
        merchant: bookShop,
        channel: "ecommerce",
        occurredAt: "2026-11-20T12:00:00+09:00",
      }),
      threeDs: { authenticationValue: value },
    });
    assert.equal(authorization.json.outcome, "approve", authorization.text);
    const stored = await server.get(
      `/v1/step-up/authentications/${response.json.authenticationId as string}`,
    );
    assert.equal(stored.json.state, "used");
    assert.equal(stored.json.usedByAuthorizationId, authorization.json.authorizationId);
  } finally {
    await server.close();
  }
});

test("risky: challenge → code in the outbox → right code → Y → the stepped-up payment approves, once", async () => {
  const server = await startServer();
  try {
    const { cardholderId, cardId } = await enroll(server);
    // Without step-up, this payment would be held for the cardholder's answer.
    const { challengeId, code, body } = await challenged(server, cardholderId, "acs-risky-1");
    assert.match(body, /US GADGET STORE/);
    assert.match(body, /89,000円/);
    assert.match(body, /さくら もみじ 42/, "the security phrase shows the message is ours");

    const verified = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    assert.equal(verified.status, 200, verified.text);
    assert.equal(verified.json.transStatus, "Y", verified.text);
    assert.equal(verified.json.eci, "05");
    const value = verified.json.authenticationValue as string;
    assert.ok(value.length > 0);

    // Single use: the same code again is refused, and the answer still carries the final status.
    const again = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    assert.equal(again.status, 409);
    assert.equal((again.json.error as { code: string }).code, "challenge_closed");
    assert.equal(again.json.authenticationValue, undefined);

    const approved = await server.post("/v1/authorizations", steppedUpPayment("pay-risky-1", cardId, value));
    assert.equal(approved.json.outcome, "approve", approved.text);
    const reasons = (approved.json.reasons as { code: string }[]).map((reason) => reason.code);
    assert.ok(reasons.includes("authenticated_by_3ds"), reasons.join());

    // The value was spent: presented again, it proves nothing and counts against the payment.
    const replayed = await server.post("/v1/authorizations", steppedUpPayment("pay-risky-2", cardId, value));
    assert.notEqual(replayed.json.outcome, "approve", replayed.text);
    const replayedReasons = (replayed.json.reasons as { code: string }[]).map((reason) => reason.code);
    assert.ok(replayedReasons.includes("authentication_value_invalid"), replayedReasons.join());
  } finally {
    await server.close();
  }
});

test("five wrong codes → N, and the right code afterwards no longer works", async () => {
  const server = await startServer();
  try {
    const { cardholderId } = await enroll(server);
    const { challengeId, authenticationId, code } = await challenged(server, cardholderId, "acs-wrong-1");
    for (let attempt = 1; attempt < limits.challengeAttemptsMax; attempt++) {
      const wrong = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, {
        code: wrongCodeFor(code),
      });
      assert.equal(wrong.json.transStatus, "C", wrong.text);
      assert.equal(wrong.json.attemptsLeft, limits.challengeAttemptsMax - attempt);
    }
    const last = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, {
      code: wrongCodeFor(code),
    });
    assert.equal(last.json.transStatus, "N", last.text);
    assert.equal(last.json.transStatusReason, "01");
    assert.equal(last.json.attemptsLeft, 0);

    const right = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    assert.equal(right.status, 409, right.text);
    assert.equal(right.json.transStatus, "N");
    assert.equal(right.json.authenticationValue, undefined);
    const authentication = await server.get(`/v1/step-up/authentications/${authenticationId}`);
    assert.equal(authentication.json.state, "not_authenticated");
    assert.equal(authentication.json.transStatus, "N");
  } finally {
    await server.close();
  }
});

test("a card gets at most its hourly budget of code messages: then no new challenge (N, 19) and no resend", async () => {
  const server = await startServer();
  try {
    const { cardholderId } = await enroll(server);
    const codeMessages = async () => {
      const outbox = await server.get(`/v1/outbox?cardholderId=${cardholderId}`);
      return (outbox.json.messages as { purpose: string }[]).filter(
        (message) => message.purpose === "step_up_code",
      ).length;
    };
    // An attacker with the card number starts authentication after authentication.
    let lastChallengeId = "";
    for (let n = 1; n <= limits.codeMessagesPerCardPerHourMax; n++) {
      const response = await server.post(
        "/v1/step-up/authentications",
        authenticationRequest(`acs-pump-${n}`),
      );
      assert.equal(response.json.transStatus, "C", response.text);
      lastChallengeId = response.json.challengeId as string;
      server.clock.advanceMs(limits.challengeResendIntervalMsMin);
    }
    const over = await server.post("/v1/step-up/authentications", authenticationRequest("acs-pump-over"));
    assert.deepEqual([over.json.transStatus, over.json.transStatusReason], ["N", "19"], over.text);
    const resent = await server.post(`/v1/step-up/challenges/${lastChallengeId}/resend`, {});
    assert.equal(
      (resent.json.error as { code: string } | undefined)?.code,
      "resend_budget_spent",
      resent.text,
    );
    assert.equal(
      await codeMessages(),
      limits.codeMessagesPerCardPerHourMax,
      "no code message past the budget",
    );
    // An hour after the first code, the budget frees up again.
    server.clock.advanceMs(60 * 60_000);
    const later = await server.post("/v1/step-up/authentications", authenticationRequest("acs-pump-later"));
    assert.equal(later.json.transStatus, "C", later.text);
  } finally {
    await server.close();
  }
});

test("an expired code is refused with the 3DS time-out codes; a resend replaces the code", async () => {
  const server = await startServer();
  try {
    const { cardholderId } = await enroll(server);
    const first = await challenged(server, cardholderId, "acs-expiry-1");
    server.clock.advanceMs(limits.challengeResendIntervalMsMin);
    const resent = await server.post(`/v1/step-up/challenges/${first.challengeId}/resend`, {});
    assert.equal(resent.status, 200, resent.text);
    assert.equal(resent.json.resendsLeft, limits.challengeResendsMax - 1);
    const second = await latestCode(server, cardholderId);
    if (second.code !== first.code) {
      const old = await server.post(`/v1/step-up/challenges/${first.challengeId}/verify`, {
        code: first.code,
      });
      assert.equal(old.json.transStatus, "C", "the replaced code no longer works");
    }
    server.clock.advanceMs(5 * 60_000);
    const late = await server.post(`/v1/step-up/challenges/${first.challengeId}/verify`, {
      code: second.code,
    });
    assert.equal(late.json.transStatus, "N", late.text);
    assert.equal(late.json.transStatusReason, "14");
    assert.equal(late.json.challengeCancel, "04");
  } finally {
    await server.close();
  }
});

test("the tables hold no plain code: the outbox keeps it sealed, the challenge only its keyed hash", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-stepup-"));
  try {
    const server = await startServer(dataDir);
    let code: string;
    try {
      const { cardholderId } = await enroll(server);
      code = (await challenged(server, cardholderId, "acs-db-1")).code;
    } finally {
      await server.close();
    }
    const db = new PGlite(dataDir);
    try {
      const tables = await db.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public'",
      );
      assert.ok(tables.rows.some((row) => row.table_name === "documents"));
      const pattern = new RegExp(`(?<![0-9])${code}(?![0-9])`);
      for (const { table_name: table } of tables.rows) {
        const rows = await db.query<{ row: string }>(`select row_to_json(t)::text as row from "${table}" t`);
        for (const { row } of rows.rows) {
          assert.doesNotMatch(row, pattern, `table ${table} holds the code in clear`);
        }
      }
      const challenges = await db.query<{ n: number }>(
        "select count(*)::int as n from documents where kind = 'challenge'",
      );
      assert.equal(challenges.rows[0]?.n, 1, "the scan saw the challenge");
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function asCardholder(server: TestServer, cardholderId: string, method: "GET" | "POST", url: string) {
  const session = await server.post("/v1/cardholder-sessions", { cardholderId });
  const response = await server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${session.json.token as string}` },
  });
  return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, unknown> };
}

async function caseOf(server: TestServer, cardId: string, caseId: string) {
  const cases = await server.get(`/v1/cases?cardId=${cardId}`);
  return (cases.json.cases as Record<string, unknown>[]).find((listed) => listed.id === caseId);
}

test("I did not ask for this code (portal): challenge cancelled, card locked, case with the attempted payment, cardholder told", async () => {
  const server = await startServer();
  try {
    const { cardholderId, cardId } = await enroll(server);
    const { challengeId, authenticationId, code } = await challenged(server, cardholderId, "acs-fraud-1");
    const listed = await asCardholder(server, cardholderId, "GET", "/v1/cardholder/step-up/challenges");
    assert.equal((listed.json.challenges as { challengeId: string }[])[0]?.challengeId, challengeId);
    assert.doesNotMatch(JSON.stringify(listed.json), /codeHash|v1:[0-9a-f]{64}/, "no hash leaves the server");

    const reported = await asCardholder(
      server,
      cardholderId,
      "POST",
      `/v1/cardholder/step-up/challenges/${challengeId}/report-unrequested`,
    );
    assert.equal(reported.status, 200, JSON.stringify(reported.json));
    assert.equal(reported.json.cardState, "locked");
    assert.equal(reported.json.alreadyReported, false);
    assert.ok((reported.json.nextSteps as string[]).length > 0, "the cardholder is told what happens next");
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "locked");

    const caseId = reported.json.caseId as string;
    const opened = await caseOf(server, cardId, caseId);
    assert.equal(opened?.kind, "unrequested_code");
    const attempted = opened?.attemptedPayment as { merchant: { name: string }; amount: { minor: number } };
    assert.equal(attempted.merchant.name, "US GADGET STORE");
    assert.equal(attempted.amount.minor, 89_000);

    // The challenge is over: the fraudster's code entry fails, and the ACS learns why.
    const relayed = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    assert.equal(relayed.status, 409);
    assert.equal(relayed.json.transStatus, "N");
    assert.equal(relayed.json.transStatusReason, "11");
    assert.equal(
      (await server.get(`/v1/step-up/authentications/${authenticationId}`)).json.state,
      "not_authenticated",
    );

    const outbox = await server.get(`/v1/outbox?cardholderId=${cardholderId}`);
    const acks = (outbox.json.messages as { purpose: string; channel: string; body: string }[]).filter(
      (message) => message.purpose === "step_up_unrequested_ack",
    );
    assert.deepEqual(acks.map((message) => message.channel).sort(), ["email", "sms"]);

    // Reported twice (a double tap): the same case, nothing new.
    const twice = await asCardholder(
      server,
      cardholderId,
      "POST",
      `/v1/cardholder/step-up/challenges/${challengeId}/report-unrequested`,
    );
    assert.equal(twice.json.caseId, caseId);
    assert.equal(twice.json.alreadyReported, true);
  } finally {
    await server.close();
  }
});

test("another cardholder cannot see or report someone else's challenge", async () => {
  const server = await startServer();
  try {
    const { cardholderId } = await enroll(server);
    const { challengeId } = await challenged(server, cardholderId, "acs-other-1");
    const other = await server.post("/v1/cardholders", {
      name: "Other",
      phone: "+819000000001",
      email: "other@example.jp",
      language: "en",
      timeZone: "Asia/Tokyo",
      homeCountry: "JP",
    });
    const otherId = other.json.id as string;
    const reported = await asCardholder(
      server,
      otherId,
      "POST",
      `/v1/cardholder/step-up/challenges/${challengeId}/report-unrequested`,
    );
    assert.equal(reported.status, 404);
    const listed = await asCardholder(server, otherId, "GET", "/v1/cardholder/step-up/challenges");
    assert.deepEqual(listed.json.challenges, []);
  } finally {
    await server.close();
  }
});

test("a code entered and then disowned: the passed authentication is void, and so is its value", async () => {
  const server = await startServer();
  try {
    const { cardholderId, cardId } = await enroll(server);
    const { challengeId, code } = await challenged(server, cardholderId, "acs-phished-1");
    const verified = await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    const value = verified.json.authenticationValue as string;
    // The console records the cardholder's call.
    const reported = await server.post(`/v1/step-up/challenges/${challengeId}/report-unrequested`, {});
    assert.equal(reported.status, 200, reported.text);
    assert.equal(reported.json.cardState, "locked");
    const opened = await caseOf(server, cardId, reported.json.caseId as string);
    const attempted = opened?.attemptedPayment as { wasCodeEntered: boolean } | undefined;
    assert.equal(attempted?.wasCodeEntered, true);
    const payment = await server.post("/v1/authorizations", steppedUpPayment("pay-phished-1", cardId, value));
    assert.equal(payment.json.outcome, "decline", payment.text);
  } finally {
    await server.close();
  }
});

test("an SMS reply of 9 reports the latest code; other replies still answer holds", async () => {
  const server = await startServer();
  try {
    const { cardholderId, cardId } = await enroll(server);
    const { challengeId } = await challenged(server, cardholderId, "acs-sms-1");
    const reply = await server.post("/v1/messaging/sms/inbound", { from: phone, body: " ９ " });
    assert.equal(reply.json.result, "reported", reply.text);
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "locked");
    const challenge = await server.get(`/v1/step-up/challenges/${challengeId}`);
    assert.equal(challenge.json.state, "cancelled");
    assert.equal(challenge.json.reportCaseId, reply.json.caseId);
    const unknown = await server.post("/v1/messaging/sms/inbound", { from: "+819099999999", body: "9" });
    assert.equal(unknown.json.result, "unknown_sender");
    const holdReply = await server.post("/v1/messaging/sms/inbound", { from: phone, body: "1" });
    assert.equal(holdReply.json.result, "no_open_confirmation", holdReply.text);
  } finally {
    await server.close();
  }
});

test("metrics: frictionless, challenge and challenge-success rates by merchant and country", async () => {
  const server = await startServer();
  try {
    const { cardholderId } = await enroll(server);
    const low = await server.post("/v1/step-up/authentications", {
      ...authenticationRequest("acs-m-1", bookShop, 2_800),
      device: { fingerprint: "fp-home-phone" },
    });
    assert.equal(low.json.transStatus, "Y");
    const { challengeId, code } = await challenged(server, cardholderId, "acs-m-2");
    await server.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
    const metrics = await server.get("/v1/step-up/metrics");
    const total = metrics.json.total as Record<string, number>;
    assert.equal(total.authentications, 2);
    assert.equal(total.frictionlessRate, 0.5);
    assert.equal(total.challengeRate, 0.5);
    assert.equal(total.challengeSuccessRate, 1);
    const us = (metrics.json.byCountry as { key: string; challenged: number }[]).find(
      (row) => row.key === "US",
    );
    assert.equal(us?.challenged, 1);
    const books = (metrics.json.byMerchant as { key: string; frictionless: number }[]).find(
      (row) => row.key === bookShop.id,
    );
    assert.equal(books?.frictionless, 1);
  } finally {
    await server.close();
  }
});

test("challenges and passed authentications survive a restart", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-stepup-restart-"));
  try {
    let first = await startServer(dataDir);
    let challengeId: string;
    let code: string;
    let cardId: string;
    try {
      const enrolled = await enroll(first);
      cardId = enrolled.cardId;
      ({ challengeId, code } = await challenged(first, enrolled.cardholderId, "acs-restart-1"));
      const wrong = await first.post(`/v1/step-up/challenges/${challengeId}/verify`, {
        code: wrongCodeFor(code),
      });
      assert.equal(wrong.json.attemptsLeft, limits.challengeAttemptsMax - 1);
    } finally {
      await first.close();
    }
    first = await startServer(dataDir);
    let value: string;
    try {
      const verified = await first.post(`/v1/step-up/challenges/${challengeId}/verify`, { code });
      assert.equal(verified.json.transStatus, "Y", verified.text);
      value = verified.json.authenticationValue as string;
    } finally {
      await first.close();
    }
    const second = await startServer(dataDir);
    try {
      const payment = await second.post(
        "/v1/authorizations",
        steppedUpPayment("pay-restart-1", cardId, value),
      );
      assert.equal(payment.json.outcome, "approve", payment.text);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
