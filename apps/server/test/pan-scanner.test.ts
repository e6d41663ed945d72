/**
 * PAN safety (issue #9): the scanner finds nothing. The demo issuer driven over HTTP, and the
 * whole-system simulator on the embedded store, leave no card number, enrolled or replacement,
 * in a database file or row, a log line, a response, or an outbox message, stored or opened.
 * The one place a number may leave, the card host's order, is sealed; opened with the card
 * host's keys it holds the replacement's number, which shows the scanner would see one.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, test } from "node:test";
import { type CardHostWebhookBody, createPanVault, openFromCardHost } from "../src/cards/index.ts";
import { loadSecrets, type Secrets } from "../src/config/config.ts";
import { startPlatform } from "../src/main.ts";
import { createLogger } from "../src/observability/index.ts";
import {
  type BodySealer,
  type OutboxChannel,
  type OutboxMessage,
  type OutboxSender,
  openedMessage,
  outboxFromDocument,
} from "../src/outbox/index.ts";
import { systemRandom } from "../src/platform/random.ts";
import { type DocumentRecord, openStore, type Store } from "../src/storage/index.ts";
import { runSystemSimulation, type SimulatedPlatform } from "../src/system-simulation/index.ts";
import { suspicious } from "./cardholder-support.ts";
import { authorizationBody, startTestServer, type TestServer } from "./harness.ts";
import { totpCodeAt } from "./identity-support.ts";
import {
  allCards,
  allOutboxMessages,
  createPanScanner,
  describeHits,
  knownPans,
  numbered,
  type PanHit,
  type PanScanner,
  type ScanTally,
  scanDatabaseRows,
  scanDirectory,
  scanTexts,
} from "./pan-scan-support.ts";

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Well-known test card numbers (Visa, Amex), Luhn-valid, known to no platform here. */
const visa = "4111111111111111";
const amex = "378282246310005";

test("the scanner finds a planted card number in clear, grouped, inside longer digits, as bytes, and says where", () => {
  const scanner = createPanScanner([visa, amex]);
  const forms = (hits: readonly PanHit[]) => hits.map((hit) => [hit.card, hit.form, hit.offset]);
  assert.deepEqual(forms(scanner.scanText("plain", `card=${visa};`)), [["411111******1111", "clear", 5]]);
  assert.deepEqual(forms(scanner.scanText("spaced", "pan 4111 1111 1111 1111")), [
    ["411111******1111", "grouped", 4],
  ]);
  assert.deepEqual(forms(scanner.scanText("dashed", "x3782-822463-10005")), [
    ["378282******0005", "grouped", 1],
  ]);
  assert.deepEqual(forms(scanner.scanText("glued", `99${visa}12`)), [["411111******1111", "clear", 2]]);
  const bytes = Buffer.concat([Buffer.from([0, 255, 7]), Buffer.from(`{"n":"${amex}"}`), Buffer.alloc(9)]);
  assert.deepEqual(forms(scanner.scanBytes("page", bytes)), [["378282******0005", "clear", 9]]);
  // The masked form and near misses are not leaks: a BIN and last four, a wrong digit, a number cut short.
  const clean = `411111******1111 4111111111111112 411111111111111 ${visa.slice(0, 12)}`;
  assert.deepEqual(scanner.scanText("masked", clean), []);
  assert.equal(
    describeHits(scanner.scanText("log line 3", visa)),
    "411111******1111 (clear) at log line 3 offset 0",
  );
});

function captureLogger(lines: string[]) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return createLogger({ level: "debug", destination });
}

/** A message as it is stored (a sealed body stays sealed) and as the dispatcher sends it. */
function storedAndOpened(documents: readonly DocumentRecord[], sealer: BodySealer): [string, string][] {
  return documents.flatMap((document): [string, string][] => [
    [`stored message ${document.id}`, JSON.stringify(document)],
    [`opened message ${document.id}`, JSON.stringify(openedMessage(outboxFromDocument(document), sealer))],
  ]);
}

/**
 * The card host's orders, opened with its keys: each holds one replacement's number. That the
 * scanner finds exactly that number there shows that the recovered numbers are the real ones and
 * that the scanner would report one that left any other way.
 */
async function checkCardHostOrders(
  scanner: PanScanner,
  documents: readonly DocumentRecord[],
  secrets: Secrets,
): Promise<number> {
  let opened = 0;
  for (const document of documents) {
    const message = outboxFromDocument(document);
    if (message.channel !== "card_host") {
      continue;
    }
    const order = JSON.parse(message.body) as CardHostWebhookBody;
    const result = await openFromCardHost(order.sealed, secrets.cardHost);
    assert.ok(result.ok, `card host order ${document.id} opens`);
    const hits = scanner.scanText(`opened order ${document.id}`, JSON.stringify(result.payload));
    assert.deepEqual(
      hits.map((hit) => hit.card),
      [`${result.payload.pan.slice(0, 6)}******${result.payload.pan.slice(-4)}`],
      "the opened order holds its replacement's number, and the scanner sees it",
    );
    opened += 1;
  }
  return opened;
}

function report(t: { diagnostic(message: string): void }, label: string, tally: ScanTally, unit: string) {
  t.diagnostic(`${label}: ${tally.items} ${unit}, ${tally.chars} characters, ${tally.hits.length} hits`);
}

function assertClean(label: string, tally: ScanTally) {
  assert.deepEqual(tally.hits, [], `${label} holds a card number:\n${describeHits(tally.hits)}`);
}

/** Signs in to the portal or the console with a demo sign-in, as a person with the app would. */
async function signIn(
  server: TestServer,
  url: string,
  credentials: { email: string; password: string; totpSecret: string },
  responses: string[],
): Promise<{ authorization: string }> {
  const response = await server.app.inject({
    method: "POST",
    url,
    payload: {
      email: credentials.email,
      password: credentials.password,
      code: totpCodeAt(credentials.totpSecret, server.clock.nowMs()),
    },
  });
  responses.push(response.body);
  assert.equal(response.statusCode, 200, response.body);
  return { authorization: `Bearer ${(JSON.parse(response.body) as { token: string }).token}` };
}

test("after a demo run over HTTP, no card number is in the data directory, a row, a log line, a response or an outbox message", async (t) => {
  const dataDir = tempDir("mimamori-pan-demo-");
  const server = await startTestServer({ dataDir, seedDemo: true, platform: { runWorkers: false } });
  const responses: string[] = [];
  // What `npm start` prints at the first start: masked cards and the sign-ins.
  responses.push(JSON.stringify(server.platform.seededDemoCards));
  responses.push(JSON.stringify(server.platform.seededDemoSignIns));
  const call = async (
    method: "GET" | "POST",
    url: string,
    options: { body?: unknown; session?: { authorization: string } } = {},
  ) => {
    const response = await server.app.inject({
      method,
      url,
      headers: {
        ...(options.session ?? server.auth),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    });
    responses.push(response.body);
    return {
      status: response.statusCode,
      json: JSON.parse(response.body || "{}") as Record<string, unknown>,
    };
  };

  const secrets = loadSecrets(dataDir, {}, systemRandom);
  const vault = createPanVault(secrets.panKeys, systemRandom);
  const portalSignIn = server.platform.seededDemoSignIns.find((signIn) => signIn.app === "portal");
  const analyst = server.platform.seededDemoSignIns.find((signIn) => signIn.role === "analyst");
  const admin = server.platform.seededDemoSignIns.find((signIn) => signIn.role === "admin");
  assert.ok(portalSignIn !== undefined && analyst !== undefined && admin !== undefined);
  const holderCard = server.platform.seededDemoCards[0];
  assert.ok(holderCard !== undefined);
  const { cardholderId } = holderCard;
  const stored = await server.platform.store.getCard(holderCard.id);
  assert.ok(stored !== null);
  // The acquirer and the ACS name the card by its number, as card networks do.
  const pan = vault.decrypt(stored.panCiphertext);

  await call("GET", "/v1/health");
  for (const [n, day] of ["2026-11-17", "2026-11-18", "2026-11-19"].entries()) {
    const body = authorizationBody({
      id: `demo-buy-${n}`,
      cardId: holderCard.id,
      occurredAt: `${day}T12:15:00+09:00`,
    });
    assert.equal((await call("POST", "/v1/authorizations", { body })).json.outcome, "approve");
  }
  const byPan = authorizationBody({ id: "demo-pan-1", cardId: "-", occurredAt: "2026-11-19T19:00:00+09:00" });
  await call("POST", "/v1/authorizations", { body: { ...byPan, card: { pan } } });
  // Refused bodies that carry the number: a schema error and a torn JSON text must not echo it.
  await call("POST", "/v1/authorizations", { body: { id: "demo-bad", card: { pan }, broken: true } });
  await call("POST", "/v1/authorizations", { body: `{"id":"demo-torn","card":{"pan":"${pan}"` });
  await call("POST", "/v1/step-up/authentications", {
    body: {
      id: "demo-acs-1",
      card: { pan },
      amount: { minor: 4_500, currency: "JPY" },
      merchant: { id: "mer_books_04", name: "本の通販", mcc: "5942", country: "JP" },
      deviceChannel: "browser",
    },
  });
  // The suspicious purchase: held, the card suspended, the cardholder asked by SMS and e-mail.
  const held = await call("POST", "/v1/authorizations", { body: suspicious(holderCard.id, "demo-us-night") });
  assert.equal(held.json.outcome, "hold", JSON.stringify(held.json));
  const holdId = held.json.holdId as string;
  await call("POST", "/v1/authorizations", {
    body: { ...suspicious(holderCard.id, "demo-us-retry"), card: { pan } },
  });
  await server.platform.dispatcher.drainOnce();

  // The cardholder signs in to the portal and answers "not mine": the card is reissued.
  const portal = await signIn(server, "/v1/portal/sign-in", portalSignIn, responses);
  server.clock.advanceMs(30_000);
  await call("GET", "/v1/cardholder/me", { session: portal });
  await call("GET", "/v1/cardholder/confirmations", { session: portal });
  const answered = await call("POST", `/v1/cardholder/confirmations/${holdId}/answer`, {
    session: portal,
    body: { answer: "not_mine" },
  });
  assert.equal(answered.status, 200, JSON.stringify(answered.json));
  const replacementId = (answered.json.hold as { replacementCardId: string | null }).replacementCardId;
  assert.ok(replacementId !== null, "not mine reissues the card");
  await call("GET", "/v1/cardholder/reissues", { session: portal });
  await call("GET", "/v1/cardholder/transactions", { session: portal });
  await server.platform.dispatcher.drainOnce();

  // The issuer's API and the analyst's console show the cards, the hold, the case and the outbox.
  for (const url of [
    `/v1/cards?cardholderId=${cardholderId}`,
    `/v1/cards/${holderCard.id}`,
    `/v1/cards/${replacementId}`,
    `/v1/cardholders/${cardholderId}`,
    `/v1/holds/${holdId}`,
    `/v1/cases?cardId=${holderCard.id}`,
    `/v1/account-updates?cardId=${holderCard.id}`,
    `/v1/outbox?cardholderId=${cardholderId}`,
    `/v1/authorizations/${held.json.authorizationId as string}`,
    "/v1/audit/verify",
  ]) {
    assert.equal((await call("GET", url)).status, 200, url);
  }
  const analystSession = await signIn(server, "/v1/console/sign-in", analyst, responses);
  const queue = await call("GET", "/v1/console/queue", { session: analystSession });
  const cases = (await call("GET", `/v1/cases?cardId=${holderCard.id}`)).json.cases as { id: string }[];
  for (const { id } of cases) {
    await call("GET", `/v1/console/cases/${id}`, { session: analystSession });
  }
  assert.equal(queue.status, 200);
  assert.equal((await call("GET", "/v1/console/outbox", { session: analystSession })).status, 200);
  await call("GET", "/v1/console/me", { session: analystSession });
  server.clock.advanceMs(30_000);
  const adminSession = await signIn(server, "/v1/console/sign-in", admin, responses);
  await call("GET", "/v1/console/operators", { session: adminSession });

  const pans = await knownPans(server.platform.store, vault);
  const outbox = await allOutboxMessages(server.platform.store);
  await server.close();

  const scanner = createPanScanner(pans);
  assert.equal(
    scanner.knownCount,
    server.platform.seededDemoCards.length + 1,
    "every demo card and the replacement",
  );
  assert.ok(pans.includes(pan));
  assert.equal(await checkCardHostOrders(scanner, outbox, secrets), 1, "one order, for the one reissue");
  const messages = storedAndOpened(outbox, server.platform.sealer);
  const tallies: [string, ScanTally, string][] = [
    ["data directory", scanDirectory(scanner, dataDir), "files"],
    ["database rows", await scanDatabaseRows(scanner, dataDir), "rows"],
    // The platform logs failures only (no per-request lines), so a clean run may write none.
    ["log", scanTexts(scanner, numbered("log line", server.logLines)), "lines"],
    ["responses", scanTexts(scanner, numbered("response", responses)), "responses"],
    ["outbox", scanTexts(scanner, messages), "message forms"],
  ];
  t.diagnostic(`${scanner.knownCount} card numbers known; ${outbox.length} outbox messages`);
  for (const [label, tally, unit] of tallies) {
    report(t, label, tally, unit);
  }
  for (const [label, tally] of tallies) {
    assertClean(label, tally);
  }
});

/** Wraps a service so every value its methods return (or resolve to) is kept, as the caller saw it. */
function recorded<T extends object>(service: T, answers: string[]): T {
  return new Proxy(service, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") {
        return value;
      }
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        if (result instanceof Promise) {
          return result.then((settled: unknown) => {
            answers.push(`${String(key)} ${JSON.stringify(settled) ?? "undefined"}`);
            return settled;
          });
        }
        answers.push(`${String(key)} ${JSON.stringify(result) ?? "undefined"}`);
        return result;
      };
    },
  });
}

/** The store with close() left to the test, which reads it after the simulator is done. */
function keptOpen(store: Store): Store {
  return new Proxy(store, {
    get: (target, key, receiver) =>
      key === "close" ? () => Promise.resolve() : Reflect.get(target, key, receiver),
  });
}

/** A seed that reissues eight cards and sends every kind of message within its steps. */
const simulationSeed = 38;
const simulationSteps = 300;

test("after a simulator run on the embedded store, no card number is in its files, rows, logs, messages or answers", async (t) => {
  t.diagnostic(
    `seed ${simulationSeed}, ${simulationSteps} steps: npm run simulate -- --seed ${simulationSeed} --steps ${simulationSteps}`,
  );
  const dataDir = tempDir("mimamori-pan-sim-");
  const logLines: string[] = [];
  const stepLog: string[] = [];
  const sent: OutboxMessage[] = [];
  const answers: string[] = [];
  // Filled by the first start: the keys the run drew, and the sealer that opens outbox bodies.
  const started: { env: NodeJS.ProcessEnv | null; sealer: BodySealer | null } = { env: null, sealer: null };
  const logger = captureLogger(logLines);
  const store = await openStore({ kind: "pglite", dataDir });
  const run = runSystemSimulation({
    seed: simulationSeed,
    steps: simulationSteps,
    // Each start (and restart) is watched from outside: the messages handed to the fake network,
    // the platform's log and every answer its services give. Nothing here draws from the seed.
    start: async (options): Promise<SimulatedPlatform> => {
      started.env = options.env;
      const senders = {} as Record<OutboxChannel, OutboxSender>;
      for (const [channel, sender] of Object.entries(options.senders) as [OutboxChannel, OutboxSender][]) {
        senders[channel] = {
          send(message) {
            sent.push(message);
            return sender.send(message);
          },
        };
      }
      const platform = await startPlatform({ ...options, senders, logger });
      started.sealer = platform.sealer;
      return {
        ...platform,
        directory: recorded(platform.directory, answers),
        cards: recorded(platform.cards, answers),
        authorizations: recorded(platform.authorizations, answers),
        holds: recorded(platform.holds, answers),
        stepUp: recorded(platform.stepUp, answers),
        dispatcher: recorded(platform.dispatcher, answers),
      };
    },
    // The store outlives the run, so the cards and messages are read from it without a second start.
    openStore: () => Promise.resolve(keptOpen(store)),
    onLog: (line) => stepLog.push(line),
  }).then(async (result) => ({
    result,
    cards: await allCards(store),
    outbox: await allOutboxMessages(store),
  }));
  const { result, cards, outbox } = await run.finally(() => store.close());
  assert.ok(result.ok, result.ok ? "" : `${result.invariant}: ${result.message}`);
  const { env, sealer } = started;
  assert.ok(env !== null && sealer !== null);

  const secrets = loadSecrets(null, env, systemRandom);
  const vault = createPanVault(secrets.panKeys, systemRandom);

  const scanner = createPanScanner(cards.map((card) => vault.decrypt(card.panCiphertext)));
  const replacements = cards.filter((card) => card.replacesCardId !== null).length;
  assert.equal(scanner.knownCount, cards.length, "every card has its own number");
  assert.ok(replacements > 0, "the run reissued cards, so replacement numbers are searched for too");
  const orders = await checkCardHostOrders(scanner, outbox, secrets);
  assert.equal(orders, replacements, "one card host order per replacement");
  const messages = storedAndOpened(outbox, sealer);
  const tallies: [string, ScanTally, string][] = [
    ["data directory", scanDirectory(scanner, dataDir), "files"],
    ["database rows", await scanDatabaseRows(scanner, dataDir), "rows"],
    ["platform log", scanTexts(scanner, numbered("log line", logLines)), "lines"],
    ["step log", scanTexts(scanner, numbered("step log line", stepLog)), "lines"],
    [
      "sent messages",
      scanTexts(
        scanner,
        sent.map((message, index) => [`sent message ${index + 1} (${message.id})`, JSON.stringify(message)]),
      ),
      "messages",
    ],
    ["outbox", scanTexts(scanner, messages), "message forms"],
    ["answers", scanTexts(scanner, numbered("answer", answers)), "answers"],
  ];
  t.diagnostic(
    `${scanner.knownCount} card numbers known (${replacements} replacements); ${outbox.length} outbox messages, ${sent.length} handed to the network`,
  );
  for (const [label, tally, unit] of tallies) {
    report(t, label, tally, unit);
  }
  for (const [label, tally] of tallies) {
    assertClean(label, tally);
  }
});
