/**
 * Crash safety of the embedded store (issue #9): a real `mimamori serve` on one PGlite data
 * directory is killed with SIGKILL while authorizations are in flight, again and again, and
 * restarted each time. An answer is a promise to the card network: every authorization that got
 * one is in the store with exactly that answer, every hold such an answer named is still pending
 * with the expiry it was opened with, and the audit chain verifies after every restart.
 *
 * The seed is printed; MIMAMORI_CRASH_SEED=<n> replays the same plan of requests and kill points
 * (the kill's exact instant still depends on the machine's timing). MIMAMORI_CRASH_CYCLES runs
 * more or fewer cycles than the default twenty.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { withLuhnCheckDigit } from "../src/cards/index.ts";
import { limits } from "../src/config/limits.ts";
import { createSeededRandom, type Random } from "../src/platform/random.ts";
import { authorizationBody } from "./harness.ts";
import { type ServeProcess, startServeProcess, tokyoCardholder } from "./processes.ts";

const apiKey = "mk_crash_test_key";
const seed = Number(process.env.MIMAMORI_CRASH_SEED ?? randomInt(2 ** 31));
const cycles = Number(process.env.MIMAMORI_CRASH_CYCLES ?? 20);
/** Requests planned per cycle; the kill comes long before the last of them is sent. */
const requestsPerCycle = 36;
const concurrency = 6;
/** Every this many restarts, every answer given so far is checked, not only the last cycle's. */
const fullCheckEvery = 5;
/** The server runs with the default answer window, so no hold expires during the run. */
const confirmationWindowMs = limits.confirmationWindowMsDefault;

const dataDir = mkdtempSync(join(tmpdir(), "mimamori-crash-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

type Planned = { readonly id: string; readonly body: Record<string, unknown> };
type Answer = { readonly status: number; readonly text: string; readonly isReplay: boolean };
/** An authorization that got a complete 200 answer, and that answer's bytes. */
type Acknowledged = {
  readonly planned: Planned;
  readonly text: string;
  readonly cycle: number;
  readonly authorizationId: string;
  readonly holdId: string | null;
};
/** What a hold looked like the first time it was read after a restart. */
type SeenHold = { readonly cardId: string; readonly openedAt: string; readonly expiresAt: string };

async function call(server: ServeProcess, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // Only a body read to its end counts as an answer: a response cut off by the kill is none.
  const text = await response.text();
  return { status: response.status, text, isReplay: response.headers.get("idempotent-replayed") === "true" };
}

async function enroll(server: ServeProcess, pan: string): Promise<string> {
  const holder = await call(server, "POST", "/v1/cardholders", tokyoCardholder);
  assert.equal(holder.status, 201, holder.text);
  const cardholderId = (JSON.parse(holder.text) as { id: string }).id;
  const card = await call(server, "POST", "/v1/cards", { cardholderId, pan, expiry: "2030-12" });
  assert.equal(card.status, 201, card.text);
  return (JSON.parse(card.text) as { id: string }).id;
}

/** Runs `work` over `items` with at most `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) {
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Yesterday in Tokyo at the given local time: inside the server's occurredAt skew, in any season. */
const tokyoDay = new Date(Date.now() - 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
function tokyoAt(hour: number, second: number): string {
  const minutes = String(Math.floor(second / 60)).padStart(2, "0");
  const seconds = String(second % 60).padStart(2, "0");
  return `${tokyoDay}T${String(hour).padStart(2, "0")}:${minutes}:${seconds}+09:00`;
}

const giftShop = { id: "mer_gift_1", name: "GIFT CARD MALL", mcc: "6540", country: "JP" };
const usShop = { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US" };
const grocer = { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" };

/**
 * One cycle's load: gift-card bursts at the counter on the cycle's fresh cards (the second within
 * ten minutes holds the card, later ones extend the hold), online purchases abroad at 03:00 on the
 * standing cards (a step-up) and groceries (approvals), in a seeded order.
 */
function planCycle(
  cycle: number,
  freshCardIds: readonly string[],
  standingCardIds: readonly string[],
  random: Random,
) {
  const plan: Planned[] = [];
  const add = (body: Record<string, unknown>) => plan.push({ id: body.id as string, body });
  for (let i = 0; plan.length < requestsPerCycle; i++) {
    const id = `crash-${cycle}-${i}`;
    const kind = i % 3;
    if (kind === 0) {
      add(
        authorizationBody({
          id,
          cardId: freshCardIds[i % freshCardIds.length] as string,
          amountMinor: 5_000 + random.int(20) * 500,
          merchant: giftShop,
          channel: "pos",
          occurredAt: tokyoAt(12, i * 5),
        }),
      );
    } else {
      const cardId = standingCardIds[random.int(standingCardIds.length)] as string;
      const isNightAbroad = kind === 1 && random.int(2) === 0;
      add(
        authorizationBody({
          id,
          cardId,
          amountMinor: isNightAbroad ? 30_000 + random.int(50) * 100 : 1_500 + random.int(30) * 100,
          merchant: isNightAbroad ? usShop : grocer,
          channel: isNightAbroad ? "ecommerce" : "pos",
          occurredAt: tokyoAt(isNightAbroad ? 3 : 12, cycle * 100 + i),
          ...(isNightAbroad ? { device: { fingerprint: `fp-${cycle}` } } : {}),
        }),
      );
    }
  }
  return shuffled(plan, random);
}

type CycleLoad = {
  readonly acknowledged: Acknowledged[];
  readonly unanswered: Planned[];
  readonly refused: string[];
  readonly inFlightAtKill: number;
};

/**
 * Sends the plan `concurrency` at a time and SIGKILLs the server `killDelayMs` after the
 * `killAfterAnswers`-th answer, while the other lanes wait for theirs. Nothing new is sent once
 * the kill is given; it resolves after the process has exited, so no two servers share the data.
 */
async function fireAndKill(
  server: ServeProcess,
  cycle: number,
  plan: readonly Planned[],
  killAfterAnswers: number,
  killDelayMs: number,
): Promise<CycleLoad> {
  const acknowledged: Acknowledged[] = [];
  const unanswered: Planned[] = [];
  const refused: string[] = [];
  let inFlight = 0;
  let inFlightAtKill = -1;
  const kill = () => {
    if (inFlightAtKill === -1) {
      inFlightAtKill = inFlight;
      server.child.kill("SIGKILL");
    }
  };
  let next = 0;
  const lane = async () => {
    while (inFlightAtKill === -1 && next < plan.length) {
      const planned = plan[next++] as Planned;
      inFlight++;
      try {
        const answer = await call(server, "POST", "/v1/authorizations", planned.body);
        if (answer.status !== 200) {
          refused.push(`${planned.id}: ${answer.status} ${answer.text}`);
          continue;
        }
        const response = JSON.parse(answer.text) as { authorizationId: string; holdId?: string };
        acknowledged.push({
          planned,
          text: answer.text,
          cycle,
          authorizationId: response.authorizationId,
          holdId: response.holdId ?? null,
        });
        if (acknowledged.length === killAfterAnswers) {
          setTimeout(kill, killDelayMs);
        }
      } catch {
        unanswered.push(planned);
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  // The whole plan was answered before the kill's moment came: the kill lands on an idle server.
  kill();
  await server.exited;
  return { acknowledged, unanswered, refused, inFlightAtKill };
}

test("SIGKILL under load loses no acknowledged authorization, hold or audit entry across restarts", {
  timeout: 15 * 60_000,
}, async (t) => {
  assert.ok(Number.isSafeInteger(seed) && Number.isSafeInteger(cycles) && cycles >= 1);
  t.diagnostic(`seed ${seed} (replay: MIMAMORI_CRASH_SEED=${seed})`);
  const random = createSeededRandom(seed);
  const startedAtMs = Date.now();
  // The embedded store, whatever the environment running the tests points at.
  const env = {
    MIMAMORI_API_KEY: apiKey,
    MIMAMORI_DATA_DIR: dataDir,
    MIMAMORI_DATABASE_URL: "",
    MIMAMORI_REDIS_URL: "",
    MIMAMORI_SEED_DEMO: "false",
    MIMAMORI_LOG_LEVEL: "warn",
  };
  const acknowledged: Acknowledged[] = [];
  const holds = new Map<string, { authorizationIds: Set<string>; seen: SeenHold | null }>();
  const standingCardIds: string[] = [];
  let pending: { acknowledged: Acknowledged[]; unanswered: Planned[] } = { acknowledged: [], unanswered: [] };
  let auditEntries = 0;
  const totals = {
    startingMs: 0,
    rePosts: 0,
    midFlightKills: 0,
    unanswered: 0,
    unansweredButStored: 0,
    holdChecks: 0,
  };

  const track = (answer: Acknowledged) => {
    acknowledged.push(answer);
    if (answer.holdId !== null) {
      const hold = holds.get(answer.holdId) ?? { authorizationIds: new Set<string>(), seen: null };
      hold.authorizationIds.add(answer.authorizationId);
      holds.set(answer.holdId, hold);
    }
  };

  /** Everything the last crash could have lost, read back from the restarted server. */
  const verifyAfterRestart = async (server: ServeProcess, cycle: number, isFull: boolean) => {
    const answered = isFull ? [...acknowledged] : pending.acknowledged;
    await inParallel(answered, concurrency, async (answer) => {
      const again = await call(server, "POST", "/v1/authorizations", answer.planned.body);
      totals.rePosts++;
      assert.equal(
        again.text,
        answer.text,
        `${answer.planned.id}, answered in cycle ${answer.cycle}, replays its acknowledged answer after the crash of cycle ${cycle - 1} (seed ${seed})`,
      );
      assert.equal(again.status, 200);
    });
    // Unanswered: committed or not, a retry gets one answer, and the same one the second time.
    await inParallel(pending.unanswered, concurrency, async (planned) => {
      const first = await call(server, "POST", "/v1/authorizations", planned.body);
      assert.equal(first.status, 200, `retry of unanswered ${planned.id} (seed ${seed}): ${first.text}`);
      const second = await call(server, "POST", "/v1/authorizations", planned.body);
      assert.equal(second.text, first.text, `a second retry of ${planned.id} gets the first retry's answer`);
      totals.rePosts += 2;
      totals.unansweredButStored += first.isReplay ? 1 : 0;
      const response = JSON.parse(first.text) as { authorizationId: string; holdId?: string };
      track({
        planned,
        text: first.text,
        cycle,
        authorizationId: response.authorizationId,
        holdId: response.holdId ?? null,
      });
    });
    await inParallel([...holds.entries()], concurrency, async ([holdId, expected]) => {
      const read = await call(server, "GET", `/v1/holds/${holdId}`);
      assert.equal(
        read.status,
        200,
        `acknowledged hold ${holdId} survives the crash (seed ${seed}): ${read.text}`,
      );
      const { hold } = JSON.parse(read.text) as {
        hold: SeenHold & { state: string; authorizations: { authorizationId: string }[] };
      };
      totals.holdChecks++;
      assert.equal(hold.state, "pending", `${holdId} is still pending: nobody answered it`);
      assert.equal(Date.parse(hold.expiresAt) - Date.parse(hold.openedAt), confirmationWindowMs);
      const seen = { cardId: hold.cardId, openedAt: hold.openedAt, expiresAt: hold.expiresAt };
      assert.deepEqual(seen, expected.seen ?? seen, `${holdId} keeps its card, opening and expiry`);
      expected.seen = seen;
      const listed = new Set(hold.authorizations.map((held) => held.authorizationId));
      // A hold lists a bounded number of attempts; later ones name it in their answer but are not listed.
      const isHoldFull = hold.authorizations.length === limits.holdAuthorizationsMax;
      for (const authorizationId of expected.authorizationIds) {
        assert.ok(
          listed.has(authorizationId) || isHoldFull,
          `${holdId} still lists acknowledged ${authorizationId} (seed ${seed})`,
        );
      }
      const card = await call(server, "GET", `/v1/cards/${hold.cardId}`);
      assert.equal(
        (JSON.parse(card.text) as { state: string }).state,
        "suspended",
        `${hold.cardId} stays held`,
      );
    });
    const verify = await call(server, "GET", "/v1/audit/verify");
    const chain = JSON.parse(verify.text) as { ok: boolean; entries: number };
    assert.equal(
      chain.ok,
      true,
      `the audit chain verifies after the crash of cycle ${cycle - 1} (seed ${seed}): ${verify.text}`,
    );
    assert.ok(
      chain.entries >= auditEntries,
      `no verified audit entry is lost: ${chain.entries} < ${auditEntries}`,
    );
    auditEntries = chain.entries;
  };

  let server: ServeProcess | null = null;
  try {
    for (let cycle = 0; cycle <= cycles; cycle++) {
      const startingAtMs = Date.now();
      // Generous: a start loads the whole server through tsx, which a busy machine slows a lot.
      server = await startServeProcess(env, [], { readyWithinMs: 180_000 });
      totals.startingMs += Date.now() - startingAtMs;
      await verifyAfterRestart(server, cycle, cycle === cycles || cycle % fullCheckEvery === 0);
      if (cycle === cycles) {
        break;
      }
      if (cycle === 0) {
        for (let i = 0; i < 3; i++) {
          standingCardIds.push(
            await enroll(server, withLuhnCheckDigit(`411111990000${String(i).padStart(3, "0")}`)),
          );
        }
      }
      // Fresh cards each cycle, so every cycle opens holds of its own.
      const freshCardIds = [
        await enroll(server, withLuhnCheckDigit(`411111${String(cycle).padStart(4, "0")}00001`)),
        await enroll(server, withLuhnCheckDigit(`411111${String(cycle).padStart(4, "0")}00002`)),
      ];
      const plan = planCycle(cycle, freshCardIds, standingCardIds, random);
      const load = await fireAndKill(
        server,
        cycle,
        plan,
        1 + random.int(requestsPerCycle / 2),
        random.int(15),
      );
      server = null;
      assert.deepEqual(
        load.refused,
        [],
        `every authorization answered before the kill is decided (seed ${seed})`,
      );
      for (const answer of load.acknowledged) {
        track(answer);
      }
      pending = { acknowledged: load.acknowledged, unanswered: load.unanswered };
      totals.midFlightKills += load.inFlightAtKill > 0 ? 1 : 0;
      totals.unanswered += load.unanswered.length;
    }
    assert.ok(server !== null);
    // After twenty crashes the server still stops cleanly, with its last commit written.
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0, server.output());
    server = null;
  } finally {
    server?.child.kill("SIGKILL");
  }
  const elapsedS = Math.round((Date.now() - startedAtMs) / 1_000);
  t.diagnostic(
    `${cycles} kills in ${elapsedS} s (${Math.round(totals.startingMs / 1_000)} s of it starting servers): ` +
      `${totals.midFlightKills} with requests in flight; ` +
      `${acknowledged.length} acknowledged authorizations (${totals.unanswered} unanswered, ` +
      `${totals.unansweredButStored} of them stored before the kill); ${totals.rePosts} re-posts; ` +
      `${holds.size} holds checked ${totals.holdChecks} times; ${auditEntries} audit entries verified`,
  );
  assert.ok(holds.size > 0, "the load opened holds for the check to protect");
  // A kill that lands on an idle server tests only the shutdown, not the commit path.
  assert.ok(totals.midFlightKills * 2 >= cycles, `most kills land mid-flight: ${totals.midFlightKills}`);
});
