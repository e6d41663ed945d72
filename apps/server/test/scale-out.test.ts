/**
 * Several API processes on one PostgreSQL and one Redis, as real `mimamori serve` processes:
 * a burst for one card sent alternately to two processes is scored exactly as one embedded
 * process scores it; concurrent authorizations of one card each see all the others before them
 * in some order; and after `kill -9` of a process under load, every authorization that got an
 * answer is in PostgreSQL with that answer, and retries of the rest are decided once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { limits } from "../src/config/limits.ts";
import { decodeSnapshot } from "../src/scoring/index.ts";
import { openStore, type Store } from "../src/storage/index.ts";
import { authorizationBody, enrollCard, startTestServer } from "./harness.ts";
import { type ServeProcess, startServeProcess, tokyoCardholder } from "./processes.ts";
import { freshPostgresDatabase, freshRedisPrefix } from "./services.ts";

const database = await freshPostgresDatabase("scale_out");
const redis = await freshRedisPrefix("scale-out");
const skip = !database.ok ? database.skip : !redis.ok ? redis.skip : undefined;

const apiKey = "mk_scale_out_test_key";

/** Tokyo local time for an instant, as the issuer's host writes `occurredAt`. */
function tokyo(ms: number): string {
  return new Date(ms + 9 * 3_600_000).toISOString().replace("Z", "+09:00");
}

/** A burst mixing gift cards, electronics abroad at night and small probes: every rule family moves. */
function burstBodies(cardId: string, prefix: string, startMs: number) {
  const merchants = [
    { id: "mer_gift_1", name: "GIFT CARD MALL", mcc: "6540", country: "JP" },
    { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US", terminalId: "T1" },
    { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" },
  ];
  return Array.from({ length: 12 }, (_, i) =>
    authorizationBody({
      id: `${prefix}-${i}`,
      cardId,
      amountMinor: i % 4 === 3 ? 100 : 5_000 + i * 1_000,
      merchant: merchants[i % merchants.length] as (typeof merchants)[number],
      channel: i % 3 === 2 ? "pos" : "ecommerce",
      occurredAt: tokyo(startMs + i * 45_000),
      device: { fingerprint: `fp-${i % 2}` },
    }),
  );
}

type Answer = { status: number; json: Record<string, unknown> };

async function post(base: string, path: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("two API processes on one PostgreSQL and one Redis", { skip }, () => {
  let work = "";
  let env: NodeJS.ProcessEnv = {};
  let first: ServeProcess;
  let second: ServeProcess;
  let store: Store;

  before(async () => {
    assert.ok(database.ok && redis.ok);
    work = mkdtempSync(join(tmpdir(), "mimamori-scale-out-"));
    env = {
      MIMAMORI_DATABASE_URL: database.value.url,
      MIMAMORI_REDIS_URL: redis.value.url,
      MIMAMORI_REDIS_KEY_PREFIX: redis.value.keyPrefix,
      MIMAMORI_API_KEY: apiKey,
      // The processes share the secrets file, as processes on one machine share a data directory.
      MIMAMORI_DATA_DIR: work,
      MIMAMORI_SEED_DEMO: "false",
      MIMAMORI_LOG_LEVEL: "warn",
    };
    first = await startServeProcess(env, ["--role", "api"]);
    second = await startServeProcess(env, ["--role", "api"]);
    store = await openStore({ kind: "postgres", url: database.value.url });
  });

  after(async () => {
    for (const server of [first, second]) {
      server?.child.kill("SIGKILL");
    }
    await store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function enrollOn(base: string, pan: string): Promise<string> {
    const cardholder = await post(base, "/v1/cardholders", tokyoCardholder);
    assert.equal(cardholder.status, 201);
    const card = await post(base, "/v1/cards", { cardholderId: cardholder.json.id, pan, expiry: "2030-12" });
    assert.equal(card.status, 201);
    return card.json.id as string;
  }

  test("a burst sent alternately to both processes is scored as one embedded process scores it", async () => {
    const startMs = Date.now() - 20 * 60_000;
    // Enrolled on the first process: the second reads the card from PostgreSQL when it meets it.
    const cardId = await enrollOn(first.url, "4111111111111111");
    const shared: Answer[] = [];
    for (const [i, body] of burstBodies(cardId, "alt", startMs).entries()) {
      shared.push(await post(i % 2 === 0 ? first.url : second.url, "/v1/authorizations", body));
    }

    const single = await startTestServer({ nowMs: Date.now() });
    try {
      const singleCardId = await enrollCard(single, "4111111111111111");
      const alone: Answer[] = [];
      for (const body of burstBodies(singleCardId, "alt", startMs)) {
        const answer = await single.post("/v1/authorizations", body);
        alone.push({ status: answer.status, json: answer.json });
      }
      const summary = (answers: Answer[]) =>
        answers.map((answer) => ({
          status: answer.status,
          outcome: answer.json.outcome,
          score: answer.json.score,
          reasons: (answer.json.reasons as { code: string }[] | undefined)?.map((reason) => reason.code),
        }));
      assert.deepEqual(summary(shared), summary(alone));
      const snapshotsOf = async (source: Pick<Store, "listDecisionsByCard">, id: string) =>
        (await source.listDecisionsByCard(id, 100))
          .map((record) => ({ id: record.externalId, snapshot: decodeSnapshot(record.snapshot) }))
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map(({ snapshot }) => ({ ...snapshot, "card.ageDays": 0 }));
      assert.deepEqual(
        await snapshotsOf(store, cardId),
        await snapshotsOf(single.platform.store, singleCardId),
        "every counter each decision read is the same",
      );
      assert.ok(
        alone.some((answer) => answer.json.outcome !== "approve"),
        "the burst is suspicious enough to move the rules",
      );
    } finally {
      await single.close();
    }
  });

  test("concurrent authorizations of one card on both processes each see all those counted before it", async () => {
    const cardId = await enrollOn(second.url, "5555555555554444");
    const startMs = Date.now() - 60_000;
    const bodies = Array.from({ length: 16 }, (_, i) =>
      // One instant for all: whichever order they are counted in, each sees every one before it.
      authorizationBody({ id: `conc-${i}`, cardId, amountMinor: 1_000, occurredAt: tokyo(startMs) }),
    );
    const answers = await Promise.all(
      bodies.map((body, i) => post(i % 2 === 0 ? first.url : second.url, "/v1/authorizations", body)),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      bodies.map(() => 200),
    );
    const seen = (await store.listDecisionsByCard(cardId, 100))
      .map((record) => decodeSnapshot(record.snapshot)["card.count10m"])
      .sort((a, b) => Number(a) - Number(b));
    assert.deepEqual(
      seen,
      bodies.map((_, i) => i),
      "each authorization was counted once, and none missed another",
    );
  });

  /** Sends the burst to the processes in turn until one decision opens a hold. */
  async function holdOpened(bases: readonly string[], cardId: string, prefix: string) {
    for (const [i, body] of burstBodies(cardId, prefix, Date.now() - 20 * 60_000).entries()) {
      const base = bases[i % bases.length] as string;
      const answer = await post(base, "/v1/authorizations", body);
      assert.equal(answer.status, 200, JSON.stringify(answer.json));
      if (typeof answer.json.holdId === "string") {
        return { holdId: answer.json.holdId, opener: base, body };
      }
    }
    throw new Error("the burst opened no hold");
  }

  async function eventually<T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean) {
    const deadlineMs = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (isDone(value)) {
        return value;
      }
      assert.ok(Date.now() < deadlineMs, `${what}: still ${JSON.stringify(value)} after 10 s`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  async function get(base: string, path: string, authorization = `Bearer ${apiKey}`): Promise<Answer> {
    const response = await fetch(`${base}${path}`, { headers: { authorization } });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  test("a hold opened on one process is listed and answered on the other, and the first then honours the answer", async () => {
    const cardId = await enrollOn(first.url, "6011111111111117");
    const cardholderId = (await store.getCard(cardId))?.cardholderId as string;
    const { holdId, opener, body } = await holdOpened([first.url, second.url], cardId, "loop");
    const other = opener === first.url ? second.url : first.url;

    const session = await post(other, "/v1/cardholder-sessions", { cardholderId });
    const bearer = `Bearer ${session.json.token as string}`;
    const listed = await get(other, "/v1/cardholder/confirmations", bearer);
    assert.deepEqual(
      (listed.json.confirmations as { id: string }[]).map((hold) => hold.id),
      [holdId],
      "the other process lists the hold it did not open",
    );
    const answered = await fetch(`${other}/v1/cardholder/confirmations/${holdId}/answer`, {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: JSON.stringify({ answer: "mine" }),
    });
    assert.equal(answered.status, 200, await answered.clone().text());

    // No wait: the release and the allow window are read in the opener's next prefetch.
    const retry = await post(opener, "/v1/authorizations", { ...body, id: "loop-merchant-retry" });
    assert.ok(
      (retry.json.reasons as { code: string }[]).some((reason) => reason.code === "confirmed_by_cardholder"),
      `the allow window opened on the other process counts here: ${JSON.stringify(retry.json)}`,
    );
    const hold = await get(opener, `/v1/holds/${holdId}`);
    assert.equal((hold.json.hold as { state: string }).state, "confirmed_mine", "read from the store");
    await eventually(
      "the card on the opener's card API",
      async () => ((await get(opener, `/v1/cards/${cardId}`)).json as { state: string }).state,
      (state) => state === "active",
    );
    const again = await fetch(`${opener}/v1/cardholder/confirmations/${holdId}/answer`, {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: JSON.stringify({ answer: "not_mine" }),
    });
    assert.equal(again.status, 409, "a hold resolves once, whichever process is asked");
  });

  test("a card locked through one process is declined by the other at once, and unlocked the same way", async () => {
    const cardId = await enrollOn(first.url, "5105105105105100");
    const cardholderId = (await store.getCard(cardId))?.cardholderId as string;
    const purchase = (id: string) =>
      authorizationBody({ id, cardId, amountMinor: 1_200, occurredAt: tokyo(Date.now() - 60_000) });
    assert.equal((await post(second.url, "/v1/authorizations", purchase("lock-0"))).json.outcome, "approve");
    const session = await post(first.url, "/v1/cardholder-sessions", { cardholderId });
    const asHolder = (base: string, action: string) =>
      fetch(`${base}/v1/cardholder/cards/${cardId}/${action}`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.json.token as string}` },
      });
    assert.equal((await asHolder(first.url, "lock")).status, 200);
    // No wait: the second process reads the lock in the prefetch of its very next authorization.
    const whileLocked = await post(second.url, "/v1/authorizations", purchase("lock-1"));
    assert.equal(whileLocked.json.outcome, "decline", JSON.stringify(whileLocked.json));
    assert.equal((await asHolder(second.url, "unlock")).status, 200, "the other process unlocks it");
    assert.equal((await post(first.url, "/v1/authorizations", purchase("lock-2"))).json.outcome, "approve");
  });

  test("a worker started first expires a hold an API process opened later", async () => {
    const worker = await startServeProcess(env, ["--role", "worker"]);
    const shortWindow = await startServeProcess({ ...env, MIMAMORI_CONFIRMATION_WINDOW_MS: "1500" }, [
      "--role",
      "api",
    ]);
    try {
      const cardId = await enrollOn(shortWindow.url, "3566002020360505");
      const { holdId } = await holdOpened([shortWindow.url], cardId, "expiry");
      await eventually(
        "the hold",
        async () => ((await get(first.url, `/v1/holds/${holdId}`)).json.hold as { state: string }).state,
        (state) => state === "expired",
      );
      const cases = (await get(first.url, `/v1/cases?cardId=${cardId}`)).json.cases as { kind: string }[];
      assert.deepEqual(
        cases.map((opened) => opened.kind),
        ["hold_expired"],
        "the expiry opened the call-back case",
      );
    } finally {
      worker.child.kill("SIGKILL");
      shortWindow.child.kill("SIGKILL");
    }
  });

  test("a public route's rate limit is one limit across the processes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= limits.contactChecksPerMinuteMax; i++) {
      const response = await fetch(`${i % 2 === 0 ? first.url : second.url}/v1/contact-checks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "0120-000-000" }),
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [...Array.from({ length: limits.contactChecksPerMinuteMax }, () => 200), 429]);
  });

  test("kill -9 under load: every answered authorization is stored as answered, and retries are decided once", async () => {
    const cardIds = [
      await enrollOn(first.url, "4012888888881881"),
      await enrollOn(first.url, "378282246310005"),
    ];
    const victim = await startServeProcess(env, ["--role", "api"]);
    const answered = new Map<string, Answer>();
    const unanswered: Record<string, unknown>[] = [];
    const startMs = Date.now() - 5 * 60_000;
    const bodies = Array.from({ length: 400 }, (_, i) =>
      authorizationBody({
        id: `kill-${i}`,
        cardId: cardIds[i % 2] as string,
        amountMinor: 500 + i,
        occurredAt: tokyo(startMs + i * 100),
      }),
    );
    let sent = 0;
    const worker = async () => {
      while (sent < bodies.length) {
        const body = bodies[sent++] as Record<string, unknown>;
        try {
          const answer = await post(victim.url, "/v1/authorizations", body);
          if (answer.status === 200) {
            answered.set(body.id as string, answer);
          } else {
            unanswered.push(body);
          }
        } catch {
          unanswered.push(body);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    while (answered.size < 100) {
      await new Promise((done) => setTimeout(done, 5));
    }
    victim.child.kill("SIGKILL");
    await load;
    await victim.exited;
    assert.ok(unanswered.length > 0, "the kill cut some authorizations off");

    for (const [id, answer] of answered) {
      const stored = await store.getDecisionByExternalId(id);
      assert.ok(stored !== null, `answered ${id} is in PostgreSQL`);
      assert.deepEqual(stored.response, answer.json, `${id} is stored as it was answered`);
    }
    // Retried on the surviving processes, twice each: every id is decided exactly once.
    for (const body of unanswered) {
      const retried = await post(second.url, "/v1/authorizations", body);
      assert.equal(retried.status, 200, JSON.stringify(retried.json));
      const again = await post(first.url, "/v1/authorizations", body);
      assert.deepEqual(again.json, retried.json, "a second retry gets the same decision");
    }
    for (const cardId of cardIds) {
      const decisions = await store.listDecisionsByCard(cardId, 1_000);
      const ids = decisions.map((record) => record.externalId);
      assert.equal(new Set(ids).size, ids.length, "no id is decided twice");
    }
    assert.equal((await store.countDecisions()) >= bodies.length, true);
  });
});
