/**
 * The portal's and the console's API: sign-in with password and authenticator code (hashed,
 * sealed, single-use, locked after repeated failures), every route refusing the wrong caller and
 * the wrong role, a case worked end to end (timeline, contact record, label), the rules editor's
 * live check and backtest, and activation that needs a second person.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { asCardholder, enrollWithHistory, pan, sessionFor, suspicious } from "./cardholder-support.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { createOperator, operatorPassword, operatorSession, totpCodeAt } from "./identity-support.ts";

type Json = Record<string, unknown>;

async function call(
  server: TestServer,
  method: string,
  url: string,
  authorization?: string,
  payload?: unknown,
  /** Sign-ins are also limited per client address; a test that spends many uses its own. */
  remoteAddress = "127.0.0.1",
) {
  const response = await server.app.inject({
    method: method as "GET",
    url,
    remoteAddress,
    headers: authorization === undefined ? {} : { authorization },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return {
    status: response.statusCode,
    json: JSON.parse(response.body || "{}") as Json,
    text: response.body,
  };
}

describe("console and portal API", () => {
  let server: TestServer;
  let analyst: { authorization: string };
  let supervisor: { authorization: string };
  let supervisor2: { authorization: string };
  let cardholder: { authorization: string };
  let cardholderId: string;
  let cardId: string;

  before(async () => {
    server = await startTestServer();
    analyst = await operatorSession(server, await createOperator(server, "ana@issuer.example", "analyst"));
    supervisor = await operatorSession(
      server,
      await createOperator(server, "sue@issuer.example", "supervisor"),
    );
    supervisor2 = await operatorSession(
      server,
      await createOperator(server, "sam@issuer.example", "supervisor"),
    );
    ({ cardholderId, cardId } = await enrollWithHistory(server, pan));
    cardholder = await sessionFor(server, cardholderId);
  });
  after(() => server.close());

  test("a password is kept as an Argon2id hash and the TOTP secret sealed; a code works once", async () => {
    const operator = await createOperator(server, "once@issuer.example", "analyst");
    const stored = await server.platform.store.findDocumentByLookupKey("operator", "once@issuer.example");
    const body = stored?.body as { passwordHash: string; totpSecretSealed: string };
    assert.match(body.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!JSON.stringify(stored).includes(operator.secret), "the TOTP secret is not stored in clear");
    assert.ok(!JSON.stringify(stored).includes(operatorPassword), "the password is not stored in clear");
    const code = totpCodeAt(operator.secret, server.clock.nowMs());
    const signIn = () =>
      call(server, "POST", "/v1/console/sign-in", undefined, {
        email: "ONCE@issuer.example ",
        password: operatorPassword,
        code,
      });
    assert.equal((await signIn()).status, 200);
    const replay = await signIn();
    assert.equal(replay.status, 401, "the same code is refused the second time");
    assert.equal((replay.json.error as Json).code, "sign_in_failed");
  });

  test("five failed sign-ins lock the account for a while, whatever the next attempt sends", async () => {
    const operator = await createOperator(server, "lock@issuer.example", "analyst");
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await call(
        server,
        "POST",
        "/v1/console/sign-in",
        undefined,
        {
          email: operator.email,
          password: "wrong password!",
          code: totpCodeAt(operator.secret, server.clock.nowMs()),
        },
        "192.0.2.1",
      );
      assert.equal(response.status, attempt < 5 ? 401 : 429, response.text);
    }
    const right = () =>
      call(
        server,
        "POST",
        "/v1/console/sign-in",
        undefined,
        {
          email: operator.email,
          password: operatorPassword,
          code: totpCodeAt(operator.secret, server.clock.nowMs()),
        },
        "192.0.2.2",
      );
    assert.equal((await right()).status, 429, "locked even with the right password and code");
    server.clock.advanceMs(15 * 60_000 + 1);
    const lifted = await right();
    assert.equal(lifted.status, 200, `the lock lifts after its time: ${lifted.text}`);
    const unknown = await call(server, "POST", "/v1/console/sign-in", undefined, {
      email: "nobody@issuer.example",
      password: operatorPassword,
      code: "123456",
    });
    assert.equal(
      (unknown.json.error as Json).code,
      "sign_in_failed",
      "an unknown address reads like a wrong password",
    );
  });

  test("a cardholder signs in to the portal and sees their cards, transactions and security phrase", async () => {
    const enrolled = await server.post(`/v1/cardholders/${cardholderId}/portal-credentials`, {
      email: "hanako@example.jp",
      password: "a long enough passphrase",
    });
    assert.equal(enrolled.status, 201, enrolled.text);
    const secret = (enrolled.json.totp as { secret: string; uri: string }).secret;
    const signedIn = await call(server, "POST", "/v1/portal/sign-in", undefined, {
      email: "hanako@example.jp",
      password: "a long enough passphrase",
      code: totpCodeAt(secret, server.clock.nowMs()),
    });
    assert.equal(signedIn.status, 200, signedIn.text);
    const own = `Bearer ${signedIn.json.token as string}`;
    const me = await call(server, "GET", "/v1/cardholder/me", own);
    assert.equal((me.json.cardholder as Json).securityPhrase, "さくら もみじ 42");
    assert.deepEqual(
      (me.json.cards as Json[]).map((card) => [card.id, card.last4, card.state]),
      [[cardId, "1111", "active"]],
    );
    assert.ok(!me.text.includes(pan), "the card number is never returned");
    const transactions = await call(server, "GET", "/v1/cardholder/transactions", own);
    const listed = transactions.json.transactions as Json[];
    assert.equal(listed.length, 5);
    const newest = listed[0] as Json;
    assert.deepEqual(newest.amount, { minor: 3_200, currency: "JPY" }, "newest first, with its amount");
    assert.equal((newest.merchant as Json).name, "スーパー青葉");
    assert.equal((await call(server, "POST", "/v1/cardholder/sign-out", own)).status, 204);
    assert.equal((await call(server, "GET", "/v1/cardholder/me", own)).status, 401, "signed out means out");
  });

  test("an analyst finds the case of a 'not mine', reads its timeline, records the call and labels it", async () => {
    const held = await server.post("/v1/authorizations", suspicious(cardId, "ext-console-1"));
    assert.equal(held.json.outcome, "hold", held.text);
    const holdId = held.json.holdId as string;
    const answered = await asCardholder(
      server,
      cardholder,
      "POST",
      `/v1/cardholder/confirmations/${holdId}/answer`,
      {
        answer: "not_mine",
      },
    );
    assert.equal(answered.status, 200);
    const caseId = (answered.json.hold as Json).caseId as string;

    const reissues = await asCardholder(server, cardholder, "GET", "/v1/cardholder/reissues");
    const reissue = (reissues.json.reissues as Json[])[0] as Json;
    assert.equal((reissue.oldCard as Json).state, "blocked");
    assert.equal((reissue.newCard as Json).state, "active");
    assert.ok((reissue.cardOnFile as Json[]).some((each) => each.merchantName === "音楽サブスク"));

    const queue = await call(server, "GET", "/v1/console/queue", analyst.authorization);
    assert.ok((queue.json.cases as Json[]).some((each) => each.id === caseId));
    const found = await call(server, "GET", "/v1/console/cases?query=1111", analyst.authorization);
    assert.ok(
      (found.json.cases as Json[]).some((each) => each.id === caseId),
      found.text,
    );

    const detail = await call(server, "GET", `/v1/console/cases/${caseId}`, analyst.authorization);
    assert.equal(detail.status, 200, detail.text);
    const timeline = detail.json.timeline as Json[];
    const kinds = new Set(timeline.map((entry) => entry.kind));
    for (const kind of [
      "authorization",
      "hold_opened",
      "hold_resolved",
      "notification",
      "case_opened",
      "card_event",
    ]) {
      assert.ok(kinds.has(kind), `the timeline shows ${kind}`);
    }
    const heldEntry = timeline.find(
      (entry) =>
        entry.kind === "authorization" &&
        (entry.detail as Json).authorizationId === held.json.authorizationId,
    );
    assert.ok(heldEntry !== undefined, "the held authorization is on the timeline");
    const explanation = (heldEntry.detail as Json).explanation as { rules: { condition: unknown }[] };
    assert.ok(
      explanation.rules.length > 0 && explanation.rules[0]?.condition !== undefined,
      "the explanation tree",
    );
    assert.ok(!detail.text.includes(pan), "the case page never shows the card number");
    assert.ok(!detail.text.includes("+819011112222"), "the phone number is masked");

    const record = await call(
      server,
      "POST",
      `/v1/console/cases/${caseId}/contact-records`,
      analyst.authorization,
      {
        occurredAt: new Date(server.clock.nowMs()).toISOString(),
        channel: "phone_inbound",
        counterpart: "+81 90-1111-2222",
        summary: "Cardholder called about the blocked card.",
        response: "Explained the reissue; new card arrives in a week.",
      },
    );
    assert.equal(record.status, 201, record.text);
    assert.match(record.json.receiptNumber as string, /^\d{8}-\d{6}$/);
    assert.equal((record.json.operator as Json).name, "ana");

    const labelled = await call(server, "POST", `/v1/console/cases/${caseId}/labels`, analyst.authorization, {
      label: "fraud",
      disputeReason: "Visa 10.4 Other Fraud – Card-Absent Environment",
    });
    assert.equal(labelled.status, 201, labelled.text);
    const after = await call(server, "GET", `/v1/console/cases/${caseId}`, analyst.authorization);
    assert.equal((after.json.case as Json).state, "closed");
    assert.equal((after.json.case as Json).label, "fraud");
    assert.equal((after.json.contactLog as Json[]).length, 1);
    assert.ok((after.json.timeline as Json[]).some((entry) => entry.kind === "contact_record"));
    const audit = await server.get("/v1/audit/verify");
    assert.equal(audit.json.ok, true, audit.text);
  });

  test("the rules editor's check points at the error; activation needs a second supervisor", async () => {
    const check = await call(server, "POST", "/v1/console/rulesets/check", supervisor.authorization, {
      text: 'rule broken "A broken rule"\n  when card.count1h > "three"\n  then score 10 reason broken\n',
    });
    assert.equal(check.json.ok, false, check.text);
    const diagnostic = (check.json.diagnostics as Json[])[0] as {
      span: { start: { line: number; column: number } };
    };
    assert.deepEqual(
      [diagnostic.span.start.line, diagnostic.span.start.column > 7],
      [2, true],
      `the error is on the condition's line: ${JSON.stringify(diagnostic)}`,
    );

    const active = (await call(server, "GET", "/v1/console/rulesets", analyst.authorization)).json
      .rulesets as Json[];
    const current = active.find((ruleset) => ruleset.status === "active") as Json;
    const draft = await call(server, "POST", "/v1/console/rulesets", supervisor.authorization, {
      name: "tighter",
      text: current.text as string,
    });
    assert.equal(draft.status, 201, draft.text);
    const id = draft.json.id as string;
    const backtest = await call(
      server,
      "POST",
      `/v1/console/rulesets/${id}/backtest`,
      supervisor.authorization,
      {
        from: "2026-11-01T00:00:00Z",
      },
    );
    assert.equal(backtest.status, 200, backtest.text);
    assert.ok((backtest.json.decisions as number) > 0);
    assert.equal(backtest.json.changed, 0, "the same rules change nothing");

    const requested = await call(
      server,
      "POST",
      `/v1/console/rulesets/${id}/activation-requests`,
      supervisor.authorization,
    );
    assert.equal(requested.status, 201, requested.text);
    const self = await call(
      server,
      "POST",
      `/v1/console/rulesets/${id}/activation-approvals`,
      supervisor.authorization,
    );
    assert.equal(self.status, 409);
    assert.equal((self.json.error as Json).code, "second_person_required");
    const approved = await call(
      server,
      "POST",
      `/v1/console/rulesets/${id}/activation-approvals`,
      supervisor2.authorization,
    );
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.status, "active");
  });
});
