/**
 * The confirmation loop end to end through the HTTP API (issue #3's must-show list): hold, ask,
 * "mine" releases and lets the retry through; "not mine" blocks, reissues, opens a case, flags
 * the dispute, lists card-on-file merchants and moves the wallet tokens; no answer expires into an outbound call, across a
 * restart; two answers race and exactly one wins; SMS replies and SMTP delivery; unsafe
 * templates stop the start.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { SMTPServer } from "smtp-server";
import { findLinks } from "../src/contact-check/index.ts";
import { startPlatform, UnsafeTemplatesError } from "../src/main.ts";
import { checkTemplate, defaultTemplatePolicy } from "../src/notifications/index.ts";
import { createSeededRandom } from "../src/platform/random.ts";
import { asCardholder, enrollWithHistory, pan, phone, sessionFor, suspicious } from "./cardholder-support.ts";
import { authorizationBody, startTestServer, testNowMs } from "./harness.ts";

type Listed = Record<string, unknown>;

test("mine: hold → Japanese SMS without link or request for secrets → mine → card active, retry approved", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const { cardholderId, cardId } = await enrollWithHistory(server, pan);
    const held = await server.post("/v1/authorizations", suspicious(cardId, "us-night-1"));
    assert.equal(held.json.outcome, "hold", held.text);
    const holdId = held.json.holdId as string;
    assert.match(holdId, /^hold_/);
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "suspended");

    // While on hold, the next attempt declines with card_on_hold and joins the hold.
    const retryWhileHeld = await server.post("/v1/authorizations", suspicious(cardId, "us-night-2"));
    assert.equal(retryWhileHeld.json.outcome, "decline");
    assert.ok((retryWhileHeld.json.reasons as Listed[]).some((reason) => reason.code === "card_on_hold"));
    const listedOnHold = ((await server.get(`/v1/holds/${holdId}`)).json.hold as Listed)
      .authorizations as Listed[];
    assert.equal(listedOnHold.length, 2, "the retry is listed on the hold");

    await server.platform.dispatcher.drainOnce();
    const outbox = (await server.get(`/v1/outbox?cardholderId=${cardholderId}`)).json.messages as Listed[];
    const sms = outbox.find(
      (message) => message.channel === "sms" && message.purpose === "confirmation_request",
    );
    assert.ok(sms !== undefined, JSON.stringify(outbox));
    assert.equal(sms.language, "ja");
    assert.equal(sms.to, phone);
    assert.equal(sms.state, "sent");
    const body = sms.body as string;
    for (const shown of ["US GADGET STORE", "1111", "さくら もみじ 42", "89,000"]) {
      assert.ok(body.includes(shown), `the SMS shows ${shown}: ${body}`);
    }
    assert.deepEqual(findLinks(body), [], "no link in the SMS");
    const requests = checkTemplate(body, defaultTemplatePolicy).filter(
      (violation) => violation.code.startsWith("asks_for_") || violation.code.includes("link"),
    );
    assert.deepEqual(requests, [], "the SMS asks for no secret and carries no link");
    assert.ok(!body.includes(pan), "never the card number");
    assert.ok(outbox.some((message) => message.channel === "email" && message.to === "hanako@example.jp"));

    const session = await sessionFor(server, cardholderId);
    const listed = await asCardholder(server, session, "GET", "/v1/cardholder/confirmations");
    assert.deepEqual(
      (listed.json.confirmations as Listed[]).map((hold) => hold.id),
      [holdId],
    );
    const answered = await asCardholder(
      server,
      session,
      "POST",
      `/v1/cardholder/confirmations/${holdId}/answer`,
      {
        answer: "mine",
      },
    );
    assert.equal(answered.status, 200, JSON.stringify(answered.json));
    assert.equal((answered.json.hold as Listed).state, "confirmed_mine");
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "active");

    const merchantRetry = await server.post("/v1/authorizations", suspicious(cardId, "us-night-3"));
    assert.equal(merchantRetry.json.outcome, "approve", merchantRetry.text);
    assert.ok(
      (merchantRetry.json.reasons as Listed[]).some((reason) => reason.code === "confirmed_by_cardholder"),
    );

    const again = await asCardholder(
      server,
      session,
      "POST",
      `/v1/cardholder/confirmations/${holdId}/answer`,
      {
        answer: "not_mine",
      },
    );
    assert.equal(again.status, 409);
    assert.equal((again.json.error as Listed).code, "hold_already_resolved");
  } finally {
    await server.close();
  }
});

test("not mine by SMS reply: old PAN blocked, replacement issued, case, dispute flag, account updates, wallet tokens moved", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const { cardholderId, cardId } = await enrollWithHistory(server, pan);
    const wallet = [
      { tokenReferenceId: "DNITHE3020412A7BC3D9E1F0", tokenRequestor: "apple_pay", deviceName: "iPhone" },
      { tokenReferenceId: "DWSPMC000000000123abc", tokenRequestor: "merchant" },
    ];
    for (const token of wallet) {
      assert.equal((await server.post(`/v1/cards/${cardId}/wallet-tokens`, token)).status, 201);
    }
    const held = await server.post("/v1/authorizations", suspicious(cardId, "fraud-1"));
    assert.equal(held.json.outcome, "hold");
    const authorizationId = held.json.authorizationId as string;

    const reply = await server.post("/v1/messaging/sms/inbound", { from: phone, body: "２" });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.result, "answered");
    assert.equal(reply.json.state, "denied");

    const byOldPan = await server.post("/v1/authorizations", {
      ...authorizationBody({ id: "after-block", cardId, occurredAt: "2026-11-20T11:00:00+09:00" }),
      card: { pan },
    });
    assert.equal(byOldPan.json.outcome, "decline");
    assert.ok(
      (byOldPan.json.reasons as Listed[]).some((reason) => reason.code === "card_blocked"),
      byOldPan.text,
    );

    const cards = (await server.get(`/v1/cards?cardholderId=${cardholderId}`)).json.cards as Listed[];
    const replacement = cards.find((card) => card.replaces === cardId);
    assert.ok(replacement !== undefined, JSON.stringify(cards));
    assert.equal(replacement.state, "active");
    const old = cards.find((card) => card.id === cardId);
    assert.equal(old?.state, "blocked");
    assert.notEqual(replacement.panMasked, old?.panMasked, "a different number");
    assert.equal((replacement.panMasked as string).slice(0, 6), "411111", "on the same BIN");

    const cases = (await server.get(`/v1/cases?cardId=${cardId}`)).json.cases as Listed[];
    assert.equal(cases.length, 1);
    assert.equal(cases[0]?.state, "open");
    assert.equal(cases[0]?.kind, "not_mine");

    const authorization = await server.get(`/v1/authorizations/${authorizationId}`);
    const dispute = authorization.json.dispute as Listed;
    assert.equal(dispute.reasonCode, "10.4", "Visa card-absent fraud");

    const updates = (await server.get(`/v1/account-updates?cardId=${cardId}`)).json
      .accountUpdates as Listed[];
    assert.deepEqual(updates.map((update) => update.merchantId).sort(), ["mer_books_web", "mer_music_sub"]);
    assert.ok(updates.every((update) => update.newCardId === replacement.id));

    // The wallet tokens follow the new card; the old card's records say where they went.
    const tokensOf = async (id: unknown) =>
      ((await server.get(`/v1/cards/${id as string}/wallet-tokens`)).json.walletTokens as Listed[])
        .map((token) => [token.tokenReferenceId, token.state, token.movedToCardId])
        .sort();
    assert.deepEqual(await tokensOf(replacement.id), [
      ["DNITHE3020412A7BC3D9E1F0", "active", null],
      ["DWSPMC000000000123abc", "active", null],
    ]);
    assert.deepEqual(await tokensOf(cardId), [
      ["DNITHE3020412A7BC3D9E1F0", "moved", replacement.id],
      ["DWSPMC000000000123abc", "moved", replacement.id],
    ]);

    await server.platform.dispatcher.drainOnce();
    const outbox = (await server.get(`/v1/outbox?cardholderId=${cardholderId}`)).json.messages as Listed[];
    assert.ok(
      outbox.some((message) => message.purpose === "answer_received_not_mine" && message.channel === "sms"),
    );
    // The card host's order carries the new number only sealed: nothing in clear anywhere here.
    const stored = JSON.stringify(
      await server.platform.store.listDocuments(
        "outbox_message",
        { cardId: replacement.id as string },
        null,
        10,
      ),
    );
    assert.ok(stored.includes("sealed"), "the card host order is queued");
    assert.equal(
      stored.match(/token_pan_update/g)?.length,
      2,
      "a PAN update per token for the token service",
    );
    assert.doesNotMatch(stored, /4111111[0-9]{9}/);
  } finally {
    await server.close();
  }
});

test("no answer within a 2-second window: the hold expires into an outbound call, also across a restart", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mimamori-expiry-"));
  try {
    const first = await startTestServer({
      dataDir,
      platform: { runWorkers: false, confirmationWindowMs: 2_000 },
    });
    let cardId: string;
    let holdId: string;
    try {
      ({ cardId } = await enrollWithHistory(first, pan));
      const held = await first.post("/v1/authorizations", suspicious(cardId, "expire-1"));
      holdId = held.json.holdId as string;
      first.clock.advanceMs(1_000);
      assert.equal(await first.platform.holds.expireDue(), 0, "not yet: one second of two");
    } finally {
      await first.close();
    }
    // Restarted three seconds later, with the workers running as in production.
    const second = await startTestServer({
      dataDir,
      nowMs: testNowMs + 3_000,
      platform: { confirmationWindowMs: 2_000 },
    });
    try {
      let hold: Listed = {};
      for (let waited = 0; waited < 5_000 && hold.state !== "expired"; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        hold = (await second.get(`/v1/holds/${holdId}`)).json.hold as Listed;
      }
      assert.equal(hold.state, "expired");
      assert.equal(
        (await second.get(`/v1/cards/${cardId}`)).json.state,
        "suspended",
        "the card stays suspended",
      );
      const cases = (await second.get(`/v1/cases?cardId=${cardId}`)).json.cases as Listed[];
      assert.equal(cases[0]?.kind, "hold_expired");
      assert.deepEqual(
        ((cases[0]?.tasks ?? []) as Listed[]).map((task) => [task.kind, task.state]),
        [["outbound_call", "open"]],
      );
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("concurrent mine and not-mine answers: exactly one wins, every time (seeded)", async () => {
  const seed = Number(process.env.MIMAMORI_TEST_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# race seed ${seed} (replay with MIMAMORI_TEST_SEED=${seed})\n`);
  const random = createSeededRandom(seed);
  const server = await startTestServer({ seed, platform: { runWorkers: false } });
  try {
    for (let round = 0; round < 12; round++) {
      const cardPan = `4111111111${String(100_000 + round * 7).slice(-5)}`;
      const luhn = (await import("../src/cards/index.ts")).withLuhnCheckDigit(cardPan.slice(0, 15));
      const { cardholderId, cardId } = await enrollWithHistory(
        server,
        luhn,
        `+81902222${String(1000 + round)}`,
      );
      const held = await server.post("/v1/authorizations", suspicious(cardId, `race-${round}`));
      const holdId = held.json.holdId as string;
      const session = await sessionFor(server, cardholderId);
      const answers = ["mine", "not_mine", random.int(2) === 0 ? "mine" : "not_mine"];
      // A seeded order, each answer by portal or by SMS.
      const order = answers.map((answer) => ({ answer, bySms: random.int(2) === 0, key: random.float() }));
      order.sort((a, b) => a.key - b.key);
      const results = await Promise.all(
        order.map(({ answer, bySms }) =>
          bySms
            ? server.post("/v1/messaging/sms/inbound", {
                from: `+81902222${String(1000 + round)}`,
                body: answer === "mine" ? "1" : "2",
              })
            : asCardholder(server, session, "POST", `/v1/cardholder/confirmations/${holdId}/answer`, {
                answer,
              }),
        ),
      );
      const wins = results.filter((result) =>
        "status" in result && result.status === 200
          ? (result.json.result ?? "answered") === "answered"
          : false,
      );
      assert.equal(wins.length, 1, `round ${round}: ${JSON.stringify(results.map((r) => r.json))}`);
      const hold = (await server.get(`/v1/holds/${holdId}`)).json.hold as Listed;
      const card = (await server.get(`/v1/cards/${cardId}`)).json;
      assert.ok(hold.state === "confirmed_mine" || hold.state === "denied");
      assert.equal(card.state, hold.state === "confirmed_mine" ? "active" : "blocked");
      const replacements = (
        (await server.get(`/v1/cards?cardholderId=${cardholderId}`)).json.cards as Listed[]
      ).filter((listed) => listed.replaces === cardId);
      assert.equal(replacements.length, hold.state === "denied" ? 1 : 0, "one reissue at most");
    }
  } finally {
    await server.close();
  }
});

test("SMS replies: several open holds need the reference; the reply with it settles the right one", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const { cardholderId, cardId } = await enrollWithHistory(server, pan);
    const second = await server.post("/v1/cards", {
      cardholderId,
      pan: "5555555555554444",
      expiry: "2031-01",
    });
    const secondCardId = second.json.id as string;
    const holdA = (await server.post("/v1/authorizations", suspicious(cardId, "two-a"))).json
      .holdId as string;
    const holdB = (await server.post("/v1/authorizations", suspicious(secondCardId, "two-b"))).json
      .holdId as string;
    assert.ok(holdA !== undefined && holdB !== undefined);

    assert.equal(
      (await server.post("/v1/messaging/sms/inbound", { from: phone, body: "1" })).json.result,
      "reference_needed",
    );
    assert.equal(
      (await server.post("/v1/messaging/sms/inbound", { from: phone, body: "what?" })).json.result,
      "reply_not_understood",
    );
    assert.equal(
      (await server.post("/v1/messaging/sms/inbound", { from: "+819099999999", body: "1" })).json.result,
      "unknown_sender",
    );
    const reference = ((await server.get(`/v1/holds/${holdB}`)).json.hold as Listed).reference as string;
    const settled = await server.post("/v1/messaging/sms/inbound", {
      from: phone,
      body: `1 ${reference.toLowerCase()}`,
    });
    assert.deepEqual([settled.json.result, settled.json.holdId], ["answered", holdB]);
    assert.equal(((await server.get(`/v1/holds/${holdA}`)).json.hold as Listed).state, "pending");

    await server.platform.dispatcher.drainOnce();
    const outbox = (await server.get(`/v1/outbox?cardholderId=${cardholderId}`)).json.messages as Listed[];
    const asked = outbox.find((message) => message.purpose === "reply_needs_reference");
    assert.ok(
      asked !== undefined && (asked.body as string).includes(reference),
      "the reply lists the references",
    );
  } finally {
    await server.close();
  }
});

test("e-mail goes out over SMTP to a real local server", async () => {
  const received: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => {
        raw += chunk.toString("utf8");
      });
      stream.on("end", () => {
        received.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as { port: number }).port;
  const server = await startTestServer({
    platform: {
      runWorkers: false,
      env: { MIMAMORI_SMTP_URL: `smtp://127.0.0.1:${port}`, MIMAMORI_SMTP_FROM: "security@card.example.jp" },
    },
  });
  try {
    const { cardholderId, cardId } = await enrollWithHistory(server, pan);
    await server.post("/v1/authorizations", suspicious(cardId, "mail-1"));
    const counts = await server.platform.dispatcher.drainOnce();
    assert.ok(counts.sent >= 3, JSON.stringify(counts));
    assert.equal(received.length, 1);
    assert.match(received[0] ?? "", /To: hanako@example\.jp/);
    const email = (
      (await server.get(`/v1/outbox?cardholderId=${cardholderId}`)).json.messages as Listed[]
    ).find((message) => message.channel === "email");
    assert.equal(email?.state, "sent");
    assert.match(received[0] ?? "", new RegExp(`Message-ID: <${email?.id as string}@`, "i"));
  } finally {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});

test("a template that asks for the card number stops the start", async () => {
  await assert.rejects(
    startPlatform({
      dataDir: null,
      env: {},
      runWorkers: false,
      templateOverrides: {
        confirmation_request: {
          sms: {
            ja: {
              body: "【{issuerName}】{merchant} {amount} {localTime} (末尾{last4}) {securityPhrase} ご本人確認のためカード番号を返信してください",
            },
          },
        },
      },
    }),
    (error: unknown) => error instanceof UnsafeTemplatesError && /asks_for_card_number/.test(error.message),
  );
});

test("an analyst releases one held card and blocks another, with a reason; a second action is refused", async () => {
  const server = await startTestServer({ platform: { runWorkers: false } });
  try {
    const { cardholderId, cardId } = await enrollWithHistory(server, pan);
    const second = await server.post("/v1/cards", {
      cardholderId,
      pan: "5555555555554444",
      expiry: "2031-01",
    });
    const secondCardId = second.json.id as string;
    const released = (await server.post("/v1/authorizations", suspicious(cardId, "analyst-a"))).json.holdId;
    const blocked = (await server.post("/v1/authorizations", suspicious(secondCardId, "analyst-b"))).json
      .holdId;

    const release = await server.post(`/v1/holds/${released as string}/release`, {
      reason: "called the cardholder",
    });
    assert.equal((release.json.hold as Listed).state, "released_by_analyst", release.text);
    assert.equal(((release.json.hold as Listed).resolution as Listed).reason, "called the cardholder");
    assert.equal((await server.get(`/v1/cards/${cardId}`)).json.state, "active");

    const block = await server.post(`/v1/holds/${blocked as string}/block`, { reason: "confirmed fraud" });
    assert.equal((block.json.hold as Listed).state, "blocked_by_analyst", block.text);
    assert.equal((await server.get(`/v1/cards/${secondCardId}`)).json.state, "blocked");
    const cards = (await server.get(`/v1/cards?cardholderId=${cardholderId}`)).json.cards as Listed[];
    assert.equal(cards.filter((card) => card.replaces === secondCardId).length, 1);

    const again = await server.post(`/v1/holds/${released as string}/block`, { reason: "late" });
    assert.equal(again.status, 409);
    assert.equal(
      (await server.post(`/v1/holds/${blocked as string}/release`, {})).status,
      400,
      "a reason is required",
    );
  } finally {
    await server.close();
  }
});
