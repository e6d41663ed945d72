/**
 * The composition root: the only place that picks adapters and wires modules together. Tests,
 * the CLI, the benchmark and the simulator all start the platform through `startPlatform`.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AuthorizationBody } from "@mimamori/contracts";
import type { Logger } from "pino";
import { canonicalJson } from "./audit/index.ts";
import {
  type CardService,
  type CardView,
  createCardDirectory,
  createCardService,
  createPanVault,
  loadCardDirectory,
  withLuhnCheckDigit,
} from "./cards/index.ts";
import { loadSecrets } from "./config/config.ts";
import { assertLimits, limits } from "./config/limits.ts";
import { createCardholderSessions, createHoldMessages, createHoldService } from "./holds/index.ts";
import { buildHttpApp, type HttpApp } from "./http/index.ts";
import {
  createDevOutboxSender,
  createPushWebhookSender,
  createSmsHttpSender,
  createSmtpSender,
  defaultTemplatePolicy,
  defaultTemplates,
  loadTemplateSet,
  type MessageSender,
} from "./notifications/index.ts";
import { createOutboxDispatcher, type OutboxChannel, type OutboxSender } from "./outbox/index.ts";
import { assert } from "./platform/assert.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import { createIdGenerator } from "./platform/ids.ts";
import { type Random, systemRandom } from "./platform/random.ts";
import { createRulesetService } from "./rulesets/index.ts";
import {
  createAuthorizationService,
  createFeatureState,
  createIdempotencyIndex,
  createScoringEngine,
  rebuildHotState,
} from "./scoring/index.ts";
import { generateDemoIssuer } from "./simulation/index.ts";
import {
  createGroupCommitter,
  type GroupCommitter,
  loadAuditHead,
  openStore,
  type WriteOp,
} from "./storage/index.ts";

export type PlatformOptions = {
  /** Directory of the embedded PostgreSQL (PGlite); null keeps everything in memory. */
  dataDir: string | null;
  /** "memory" uses the memory adapter (unit tests, simulation); "pglite" the embedded store. */
  storeKind?: "memory" | "pglite";
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  seedDemo?: boolean;
  onProgress?: (stage: string, done: number) => void;
  /** The cardholder's answer window (serve's flag or MIMAMORI_CONFIRMATION_WINDOW_MS); 72 h by default. */
  confirmationWindowMs?: number;
  /** An issuer's template overrides (parsed JSON); else MIMAMORI_TEMPLATES_FILE, else none. */
  templateOverrides?: unknown;
  /** Senders by channel, replacing the configured ones (tests). */
  senders?: Partial<Record<OutboxChannel, OutboxSender>>;
  /** Runs the outbox dispatcher and the hold-expiry scan; off for tools that only score. */
  runWorkers?: boolean;
};

/** A template that could be taken for phishing stops the start, naming the template and the rule. */
export class UnsafeTemplatesError extends Error {
  override name = "UnsafeTemplatesError";
}

/** The notifications module's senders seen through the outbox's port. */
function outboxSenderOf(sender: MessageSender): OutboxSender {
  return {
    send: (message) =>
      sender.send({
        sendKey: message.id,
        channel: message.channel === "card_host" ? "push" : message.channel,
        to: message.to,
        language: message.language,
        // A push needs a title; the card host's order is titled by its purpose.
        ...(message.subject === null
          ? message.channel === "card_host"
            ? { subject: message.purpose }
            : {}
          : { subject: message.subject }),
        body: message.body,
        cardholderId: message.cardholderId ?? message.cardId ?? "",
      }),
  };
}

function configuredSenders(env: NodeJS.ProcessEnv, pushSigningKey: Buffer, clock: Clock) {
  const dev = outboxSenderOf(createDevOutboxSender());
  const webhook = (url: string | undefined) =>
    url === undefined
      ? dev
      : outboxSenderOf(
          createPushWebhookSender({
            url,
            signingKey: pushSigningKey,
            clock,
            timeoutMs: limits.pushSendTimeoutMs,
          }),
        );
  return {
    sms:
      env.MIMAMORI_SMS_PROVIDER_URL === undefined
        ? dev
        : outboxSenderOf(
            createSmsHttpSender({
              url: env.MIMAMORI_SMS_PROVIDER_URL,
              ...(env.MIMAMORI_SMS_PROVIDER_KEY === undefined
                ? {}
                : { apiKey: env.MIMAMORI_SMS_PROVIDER_KEY }),
              timeoutMs: limits.smsSendTimeoutMs,
            }),
          ),
    email:
      env.MIMAMORI_SMTP_URL === undefined
        ? dev
        : outboxSenderOf(
            createSmtpSender({
              url: env.MIMAMORI_SMTP_URL,
              from: env.MIMAMORI_SMTP_FROM ?? "no-reply@example.invalid",
              timeoutMs: limits.emailSendTimeoutMs,
            }),
          ),
    push: webhook(env.MIMAMORI_PUSH_WEBHOOK_URL),
    // The order is sealed and signed inside; the webhook signature proves the sender too.
    card_host: webhook(env.MIMAMORI_CARD_HOST_WEBHOOK_URL),
  } satisfies Record<OutboxChannel, OutboxSender>;
}

export async function startPlatform(options: PlatformOptions) {
  assertLimits();
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const env = options.env ?? process.env;
  const ids = createIdGenerator({ clock, random });
  const secrets = loadSecrets(options.dataDir, env, random);
  const vault = createPanVault(secrets.panKeys, random);
  const newestHmacKey = secrets.panKeys.reduce((a, b) => (b.version > a.version ? b : a)).hmacKey;

  const storeKind = options.storeKind ?? (options.dataDir === null ? "memory" : "pglite");
  const store =
    storeKind === "memory"
      ? await openStore({ kind: "memory" })
      : await openStore({ kind: "pglite", dataDir: options.dataDir, inWorker: true });
  const committer = createGroupCommitter({
    store,
    clock,
    batchMax: limits.decisionBatchMax,
    batchDelayMs: limits.decisionBatchDelayMs,
    audit: await loadAuditHead(store),
  });

  const directory = createCardDirectory();
  await loadCardDirectory(store, directory, limits.rebuildPageRows);
  const cards = createCardService({ directory, vault, committer, ids, random, clock });
  const rulesets = await createRulesetService({ store, committer, ids, clock });
  const features = createFeatureState();
  const idempotency = createIdempotencyIndex({
    windowMs: limits.idempotencyWindowMs,
    entriesMax: limits.idempotencyEntriesMax,
    bodiesMax: limits.idempotencyBodiesMax,
  });
  const rebuilt = await rebuildHotState({
    store,
    features,
    idempotency,
    context: (cardId) => directory.context(cardId),
    nowMs: clock.nowMs(),
    onProgress: (done) => options.onProgress?.("rebuild", done),
  });
  const engine = createScoringEngine({ features, rulesets });

  const templateOverrides =
    options.templateOverrides ??
    (env.MIMAMORI_TEMPLATES_FILE === undefined
      ? null
      : (JSON.parse(readFileSync(env.MIMAMORI_TEMPLATES_FILE, "utf8")) as unknown));
  const templates = loadTemplateSet(defaultTemplates, templateOverrides, defaultTemplatePolicy);
  if (!templates.ok) {
    await committer.close();
    await store.close();
    throw new UnsafeTemplatesError(`${templates.code}: ${templates.message}`);
  }
  const holdMessages = createHoldMessages({
    templates: templates.templates,
    issuerName: env.MIMAMORI_ISSUER_NAME ?? "mimamoriカード",
  });
  const senders = { ...configuredSenders(env, secrets.pushSigningKey, clock), ...options.senders };
  const dispatcher = createOutboxDispatcher({
    store,
    committer,
    senders,
    clock,
    onError: (error) => options.logger?.error({ err: error }, "outbox pass failed"),
  });
  const holds = await createHoldService({
    store,
    committer,
    directory,
    vault,
    features,
    ids,
    clock,
    random,
    messages: holdMessages.messages,
    reply: holdMessages.reply,
    cardHostKeys: secrets.cardHost,
    // Read from the flag or MIMAMORI_CONFIRMATION_WINDOW_MS and checked by parseServeConfig.
    windowMs: options.confirmationWindowMs ?? limits.confirmationWindowMsDefault,
    onMessagesQueued: () => dispatcher.wake(),
  });
  let expiryTimer: ReturnType<typeof setInterval> | null = null;
  let expiryPass: Promise<unknown> | null = null;
  if (options.runWorkers !== false) {
    dispatcher.start();
    expiryTimer = setInterval(() => {
      if (expiryPass === null) {
        expiryPass = holds
          .expireDue()
          .catch((error: unknown) => options.logger?.error({ err: error }, "hold expiry pass failed"))
          .finally(() => {
            expiryPass = null;
          });
      }
    }, limits.holdExpiryScanIntervalMs);
  }
  const authorizations = createAuthorizationService({
    cards,
    engine,
    features,
    committer,
    idempotency,
    digestRequest: (body: AuthorizationBody) =>
      createHmac("sha256", newestHmacKey).update("request:").update(canonicalJson(body)).digest("hex"),
    getStoredDecision: (externalId) => store.getDecisionByExternalId(externalId),
    ids,
    clock,
    holds,
  });

  const platform = {
    clock,
    store,
    committer,
    directory,
    cards,
    rulesets,
    features,
    engine,
    authorizations,
    holds,
    holdMessages,
    sessions: createCardholderSessions({ store, committer, ids, random, clock }),
    dispatcher,
    ids,
    apiKey: secrets.apiKey,
    isApiKeyNew: secrets.isApiKeyNew,
    rebuiltDecisions: rebuilt.decisions,
    health: () => ({
      store: storeKind,
      ...directory.counts(),
      rulesetVersion: rulesets.active().version,
    }),
    async close() {
      if (expiryTimer !== null) {
        clearInterval(expiryTimer);
      }
      await expiryPass;
      await dispatcher.stop();
      await committer.close();
      await store.close();
    },
  };
  const seededDemoCards =
    options.seedDemo === true && directory.counts().cardholders === 0
      ? await seedDemoIssuer(platform, random)
      : [];
  return { ...platform, seededDemoCards };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

/** The HTTP API over a started platform: what `serve`, the benchmark and the tests listen with. */
export function buildPlatformHttpApp(
  platform: Platform,
  options: { logger: Logger; withEmptyBenchRoute?: boolean },
): Promise<HttpApp> {
  return buildHttpApp({
    logger: options.logger,
    apiKey: platform.apiKey,
    cards: platform.cards,
    authorizations: platform.authorizations,
    rulesets: platform.rulesets,
    store: platform.store,
    holds: platform.holds,
    sessions: platform.sessions,
    health: platform.health,
    withEmptyBenchRoute: options.withEmptyBenchRoute === true,
  });
}

/**
 * A small demo issuer so `npm start` has something to score: cardholders, cards and merchants.
 * The demo card numbers are made up here, Luhn-valid, and kept only as hashes and ciphertext.
 */
async function seedDemoIssuer(
  platform: { cards: CardService; committer: Pick<GroupCommitter, "submit"> },
  random: Random,
): Promise<readonly CardView[]> {
  const seeded: CardView[] = [];
  const demo = generateDemoIssuer(1);
  const cardholderIds = new Map<string, string>();
  for (const holder of demo.cardholders) {
    const result = await platform.cards.registerCardholder({
      name: holder.name,
      phone: holder.phone,
      email: holder.email,
      language: holder.language,
      timeZone: holder.timeZone,
      homeCountry: holder.homeCountry,
    });
    assert(result.ok, "demo cardholders are valid");
    cardholderIds.set(holder.ref, result.cardholder.id);
  }
  for (const card of demo.cards) {
    const cardholderId = cardholderIds.get(card.cardholderRef);
    assert(cardholderId !== undefined, "demo cards belong to demo cardholders");
    let partial = "4";
    for (let i = 0; i < 14; i++) {
      partial += String(random.int(10));
    }
    const result = await platform.cards.issueCard({
      cardholderId,
      pan: withLuhnCheckDigit(partial),
      expiry: card.expiry,
    });
    assert(result.ok, "demo cards are valid");
    seeded.push(result.card);
  }
  const ops: WriteOp[] = demo.merchants.map((merchant) => ({ kind: "upsertMerchant", merchant }));
  const result = await platform.committer.submit({ ops, audit: [] });
  assert(result.ok, "demo merchants are stored");
  return seeded;
}
