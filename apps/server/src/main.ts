/**
 * The composition root: the only place that picks adapters and wires modules together. Tests,
 * the CLI, the benchmark and the simulator all start the platform through `startPlatform`.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { AuthorizationBody, StepUpAuthenticationBody } from "@mimamori/contracts";
import type { Logger } from "pino";
import { canonicalJson } from "./audit/index.ts";
import {
  type CardService,
  type CardView,
  createCardDirectory,
  createCardService,
  createPanVault,
  createWalletTokenService,
  loadCardDirectory,
  withLuhnCheckDigit,
} from "./cards/index.ts";
import { createCaseService } from "./cases/index.ts";
import { type ConfirmationLinkSettings, loadSecrets, parseConfirmationLinks } from "./config/config.ts";
import { assertLimits, limits } from "./config/limits.ts";
import {
  type ContactRegistry,
  createContactChecker,
  createContactCheckService,
  createContactRecords,
  indexRegistry,
  loadContactRegistry,
  registryPaths,
  verdictOf,
} from "./contact-check/index.ts";
import { loadReportDirectory, reportDirectoryPaths } from "./guidance/index.ts";
import { createHoldMessages, createHoldService } from "./holds/index.ts";
import {
  connectRedis,
  createMemoryCodeFailureLog,
  createRedisHotState,
  rebuildSharedHotState,
} from "./hotstate/index.ts";
import { buildHttpApp, type HttpApp } from "./http/index.ts";
import { createIdentity, type Operators, type PortalAccounts } from "./identity/index.ts";
import { createIssuerLabels, createLoopLabels } from "./labels/index.ts";
import {
  createLabelLedger,
  createModelPromotions,
  loadModelRegistry,
  type ModelArtifact,
  type ModelRegistry,
  type ModelRegistryDeps,
  parseModelArtifact,
} from "./model/index.ts";
import {
  createDevOutboxSender,
  createMessageDrafter,
  createOwnMessageRecognizer,
  createPushWebhookSender,
  createSmsHttpSender,
  createSmtpSender,
  defaultTemplatePolicy,
  defaultTemplatesFor,
  loadTemplateSet,
  type MessageSender,
  sampleMessages,
  type TemplatePolicy,
} from "./notifications/index.ts";
import { createReadiness, type ReadinessCheck } from "./observability/index.ts";
import {
  createBodySealer,
  createOutboxDispatcher,
  type OutboxChannel,
  type OutboxSender,
} from "./outbox/index.ts";
import { assert } from "./platform/assert.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import { createIdGenerator } from "./platform/ids.ts";
import { type Random, systemRandom } from "./platform/random.ts";
import { createActivationRequests, createRulesetService } from "./rulesets/index.ts";
import {
  type AllowWindow,
  type AllowWindowChange,
  type CardStateChange,
  createAuthorizationService,
  createFeatureState,
  createIdempotencyIndex,
  createScoringEngine,
  createSharedCounting,
  rebuildHotState,
  type SharedHotState,
} from "./scoring/index.ts";
import { generateDemoIssuer } from "./simulation/index.ts";
import { createStepUpMessages, createStepUpService } from "./stepup/index.ts";
import {
  type ChangeFollower,
  createChangeFollower,
  createGroupCommitter,
  type GroupCommitter,
  loadAuditHead,
  openStore,
  type Store,
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
  /** The one-time answer link (serve's config); else read from the environment. Off by default. */
  confirmationLinks?: ConfirmationLinkSettings;
  /** Senders by channel, replacing the configured ones (tests). */
  senders?: Partial<Record<OutboxChannel, OutboxSender>>;
  /** How long a step-up code is valid; else MIMAMORI_STEP_UP_CODE_TTL_MS, else 10 minutes. */
  challengeCodeTtlMs?: number;
  /** Runs the outbox dispatcher and the hold-expiry scan; off for tools that only score. */
  runWorkers?: boolean;
  /** PostgreSQL as the system of record (MIMAMORI_DATABASE_URL); replaces the embedded store. */
  databaseUrl?: string | null;
  /** Redis for the hot state several API processes share (MIMAMORI_REDIS_URL). */
  redisUrl?: string | null;
  /** A shared hot state to use instead of Redis: how tests run several platforms over one state. */
  sharedHotState?: SharedHotState;
  /** A model artifact from `mimamori train` to score with (MIMAMORI_MODEL_FILE); none by default. */
  modelFile?: string | null;
  /**
   * An open store to use instead of opening one: the simulator restarts the platform on the same
   * store after a crash. It stays the caller's, so close() leaves it open.
   */
  store?: Store;
};

/** The demo issuer's domain: the reserved .example TLD, so a demo code never names a real site. */
const demoOfficialDomain = "mimamori-card.example";

/** A template that could be taken for phishing stops the start, naming the template and the rule. */
export class UnsafeTemplatesError extends Error {
  override name = "UnsafeTemplatesError";
}

/** A setting that cannot be honoured stops the start, with its code first in the message. */
export class InvalidConfigError extends Error {
  override name = "InvalidConfigError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** The notifications module's senders seen through the outbox's port. */
function outboxSenderOf(sender: MessageSender): OutboxSender {
  return {
    send: (message) => {
      // The issuer's own systems (card host, token service) are reached by the signed webhook.
      const isSystem = message.channel === "card_host" || message.channel === "token_service";
      return sender.send({
        sendKey: message.id,
        channel: isSystem ? "push" : message.channel,
        to: message.to,
        language: message.language,
        // A push needs a title; a message to a system is titled by its purpose.
        ...(message.subject === null
          ? isSystem
            ? { subject: message.purpose }
            : {}
          : { subject: message.subject }),
        body: message.body,
        cardholderId: message.cardholderId ?? message.cardId ?? "",
      });
    },
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
    // PAN-update lifecycle events for moved wallet tokens, to the processor's token-service connector.
    token_service: webhook(env.MIMAMORI_TOKEN_SERVICE_WEBHOOK_URL),
  } satisfies Record<OutboxChannel, OutboxSender>;
}

/** The settings for the official channel registry; the demo issuer's registry by default. */
export type MessagingOptions = {
  confirmationLinks?: ConfirmationLinkSettings;
  templateOverrides?: unknown;
  /** A registry file in place of MIMAMORI_CONTACT_REGISTRY_FILE. */
  registryFile?: string;
};

/**
 * Everything a message and a contact check need, read and checked before anything opens: the
 * answer-link settings, the official domain, the templates, the channel registry and the checker.
 * Our own templates go through the checker's cues too: one that it would call suspicious stops
 * the start, so what we send can never read like phishing by our own measure.
 */
export async function loadMessaging(env: NodeJS.ProcessEnv, options: MessagingOptions = {}) {
  const parsedLinks =
    options.confirmationLinks === undefined
      ? parseConfirmationLinks(env)
      : { ok: true as const, settings: options.confirmationLinks };
  if (!parsedLinks.ok) {
    throw new InvalidConfigError(parsedLinks.code, parsedLinks.message);
  }
  const confirmationLinks = parsedLinks.settings;
  const registryFile = options.registryFile ?? env.MIMAMORI_CONTACT_REGISTRY_FILE;
  const fileRegistry = registryFile === undefined ? null : await loadRegistryFile(registryFile);
  // Step-up codes end with "@<domain> #<code>", so the domain is needed even with links off. An
  // issuer's registry names its own domain and name, so they need not be configured twice.
  const officialDomain =
    confirmationLinks.mode === "off"
      ? (env.MIMAMORI_OFFICIAL_DOMAIN ?? fileRegistry?.webDomains[0]?.domain ?? demoOfficialDomain)
      : confirmationLinks.officialDomain;
  if (officialDomain.length > limits.officialDomainLengthMax) {
    throw new InvalidConfigError("invalid_official_domain", "MIMAMORI_OFFICIAL_DOMAIN is too long");
  }
  const templateOverrides =
    options.templateOverrides ??
    (env.MIMAMORI_TEMPLATES_FILE === undefined
      ? null
      : (JSON.parse(readFileSync(env.MIMAMORI_TEMPLATES_FILE, "utf8")) as unknown));
  // A link may point only at the official domain, and go by SMS only where the issuer chose so;
  // with links off no template may carry one. The start-up checks enforce this on every template.
  const templatePolicy: TemplatePolicy =
    confirmationLinks.mode === "off"
      ? defaultTemplatePolicy
      : {
          allowedLinkDomain: confirmationLinks.officialDomain,
          smsLinkAllowed: confirmationLinks.mode === "email_and_sms",
        };
  const loaded = loadTemplateSet(defaultTemplatesFor(templatePolicy), templateOverrides, templatePolicy);
  if (!loaded.ok) {
    throw new UnsafeTemplatesError(`${loaded.code}: ${loaded.message}`);
  }
  const issuerName = env.MIMAMORI_ISSUER_NAME ?? fileRegistry?.issuer.name.ja ?? "mimamoriカード";
  const ours = { officialDomain, issuerName };
  const registry =
    fileRegistry === null
      ? withOurs(await loadRegistryFile(registryPaths.demoIssuer), ours)
      : checkedRegistry(fileRegistry, registryFile ?? "", ours);
  const fixed = { issuerName, officialDomain };
  const checker = createContactChecker({
    registry,
    recognizeOwnMessage: createOwnMessageRecognizer(loaded.templates, fixed),
  });
  const judged = sampleMessages(loaded.templates, fixed).flatMap((sample) => {
    const signals = checker.signalsOfText(sample.text);
    return verdictOf(signals) === "suspicious"
      ? [
          `template ${sample.kind}/${sample.channel}/${sample.language}: ${signals.map((s) => s.code).join(", ")}`,
        ]
      : [];
  });
  if (judged.length > 0) {
    throw new UnsafeTemplatesError(
      `template_judged_suspicious: the contact checker would call these templates suspicious:\n${judged.join("\n")}`,
    );
  }
  const reportDirectory = await loadReportDirectory(
    env.MIMAMORI_REPORT_DIRECTORY_FILE ?? reportDirectoryPaths.japan,
  );
  if (!reportDirectory.ok) {
    throw new InvalidConfigError(reportDirectory.code, reportDirectory.message);
  }
  return {
    confirmationLinks,
    officialDomain,
    templatePolicy,
    templates: loaded.templates,
    issuerName,
    registry,
    checker,
    reportDirectory: reportDirectory.value,
  };
}

async function loadRegistryFile(file: string): Promise<ContactRegistry> {
  const loaded = await loadContactRegistry(file);
  if (!loaded.ok) {
    throw new InvalidConfigError(loaded.code, loaded.message);
  }
  return loaded.value;
}

type OurNames = { readonly officialDomain: string; readonly issuerName: string };

/** The demo issuer's registry with the configured domain and issuer name added where missing. */
function withOurs(registry: ContactRegistry, ours: OurNames): ContactRegistry {
  const hasDomain = indexRegistry(registry).webDomainOf(ours.officialDomain) !== null;
  const { brandNames } = registry.issuer;
  return {
    ...registry,
    issuer: {
      ...registry.issuer,
      brandNames: brandNames.includes(ours.issuerName) ? brandNames : [...brandNames, ours.issuerName],
    },
    webDomains: hasDomain
      ? registry.webDomains
      : [
          ...registry.webDomains,
          {
            domain: ours.officialDomain,
            includeSubdomains: true,
            purpose: { ja: "公式サイト", en: "Official website" },
            provenance: { source: "configuration (MIMAMORI_OFFICIAL_DOMAIN)", checkedOn: "" },
          },
        ],
  };
}

/**
 * An issuer's own registry must name the official domain and the issuer name our messages use,
 * or the checker would call our own messages a stranger's.
 */
function checkedRegistry(registry: ContactRegistry, file: string, ours: OurNames): ContactRegistry {
  if (indexRegistry(registry).webDomainOf(ours.officialDomain) === null) {
    throw new InvalidConfigError(
      "official_domain_not_in_registry",
      `${file} does not list the official domain ${ours.officialDomain} among its web domains`,
    );
  }
  if (!registry.issuer.brandNames.includes(ours.issuerName)) {
    throw new InvalidConfigError(
      "issuer_name_not_in_registry",
      `${file} does not list the issuer name ${ours.issuerName} (MIMAMORI_ISSUER_NAME) among its brand names`,
    );
  }
  return registry;
}

export async function startPlatform(options: PlatformOptions) {
  assertLimits();
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const env = options.env ?? process.env;
  // Checked before anything opens, so a link outside the official domain or a template that reads
  // like phishing stops the start cleanly.
  const messaging = await loadMessaging(env, {
    ...(options.confirmationLinks === undefined ? {} : { confirmationLinks: options.confirmationLinks }),
    ...(options.templateOverrides === undefined ? {} : { templateOverrides: options.templateOverrides }),
  });
  const { confirmationLinks, officialDomain, templatePolicy, issuerName } = messaging;
  const challengeCodeTtlMs =
    options.challengeCodeTtlMs ??
    Number(env.MIMAMORI_STEP_UP_CODE_TTL_MS ?? limits.challengeCodeTtlMsDefault);
  if (
    !Number.isSafeInteger(challengeCodeTtlMs) ||
    challengeCodeTtlMs < limits.challengeCodeTtlMsMin ||
    challengeCodeTtlMs > limits.challengeCodeTtlMsMax
  ) {
    throw new InvalidConfigError(
      "invalid_code_ttl",
      `MIMAMORI_STEP_UP_CODE_TTL_MS must be an integer from ${limits.challengeCodeTtlMsMin} to ${limits.challengeCodeTtlMsMax} (10 minutes)`,
    );
  }
  const ids = createIdGenerator({ clock, random });
  const secrets = loadSecrets(options.dataDir, env, random);
  const vault = createPanVault(secrets.panKeys, random);
  const newestHmacKey = secrets.panKeys.reduce((a, b) => (b.version > a.version ? b : a)).hmacKey;
  // One secret, three purposes: each gets its own key, so none can stand in for another.
  const stepUpKeyFor = (purpose: string): Buffer =>
    Buffer.from(hkdfSync("sha256", secrets.stepUpKey, Buffer.alloc(0), `mimamori:${purpose}`, 32));
  const sealer = createBodySealer(stepUpKeyFor("outbox-body"), random);

  // An empty variable means unset, as the serve flags read it.
  const databaseUrl = options.databaseUrl ?? (env.MIMAMORI_DATABASE_URL || null);
  const storeKind =
    databaseUrl !== null
      ? "postgres"
      : (options.storeKind ?? (options.dataDir === null ? "memory" : "pglite"));
  const store =
    options.store ??
    (databaseUrl !== null
      ? await openStore({ kind: "postgres", url: databaseUrl })
      : storeKind === "memory"
        ? await openStore({ kind: "memory" })
        : await openStore({ kind: "pglite", dataDir: options.dataDir, inWorker: true }));
  // The dependencies a process needs before it takes traffic; Redis joins when it is opened here.
  const readinessChecks: ReadinessCheck[] = [
    // A primary-key read of a setting that need not exist: one round trip, no rows scanned.
    { name: "store", check: () => store.getSetting("readiness_probe") },
  ];
  const readiness = createReadiness({
    checks: readinessChecks,
    timeoutMs: limits.readinessCheckTimeoutMs,
    onCheckFailed: (name, error) =>
      options.logger?.warn({ err: error, check: name }, "readiness check failed"),
  });
  const redisUrl = options.redisUrl ?? (env.MIMAMORI_REDIS_URL || null);
  const redisKeyPrefix = env.MIMAMORI_REDIS_KEY_PREFIX ?? "mimamori:";
  const redis = redisUrl === null ? null : await connectRedis(redisUrl);
  const shared =
    options.sharedHotState ??
    (redis === null ? null : createRedisHotState(redis, { keyPrefix: redisKeyPrefix }));
  if (shared !== null) {
    readinessChecks.push({ name: "redis", check: () => shared.ping() });
  }
  const groupCommitter = createGroupCommitter({
    store,
    clock,
    batchMax: limits.decisionBatchMax,
    batchDelayMs: limits.decisionBatchDelayMs,
    audit: await loadAuditHead(store),
  });
  // Every card state change goes through a commit; shared, it is published once durable, so the
  // other processes read it in their next authorization's prefetch rather than from the store.
  const committer: GroupCommitter =
    shared === null
      ? groupCommitter
      : {
          ...groupCommitter,
          async submit(unit) {
            const result = await groupCommitter.submit(unit);
            const changes = result.ok ? cardStateChangesOf(unit.ops) : [];
            const windows = result.ok ? allowWindowsOf(unit.ops) : [];
            if (changes.length > 0 || windows.length > 0) {
              // Committed either way; a process that misses this hears it from its follower.
              await Promise.all([
                changes.length > 0 ? shared.putCardStates(changes) : undefined,
                windows.length > 0 ? shared.putAllowWindows(windows) : undefined,
              ]).catch((error: unknown) => {
                options.logger?.error({ err: error }, "card state or allow window not published");
              });
            }
            return result;
          },
        };

  // Several processes write a PostgreSQL store: each follows the others' changes from here on.
  const isStoreShared = storeKind === "postgres";
  const loadedFromMs = clock.nowMs();
  let follower: ChangeFollower | null = null;
  const catchUp = async (): Promise<void> => {
    await follower?.catchUp();
  };
  const directory = createCardDirectory();
  await loadCardDirectory(store, directory, limits.rebuildPageRows);
  const cards = createCardService({
    directory,
    vault,
    committer,
    ids,
    random,
    clock,
    store,
    ...(isStoreShared ? { catchUp } : {}),
  });
  const rulesets = await createRulesetService({ store, committer, ids, clock });
  const features = createFeatureState();
  const idempotency = createIdempotencyIndex({
    windowMs: limits.idempotencyWindowMs,
    entriesMax: limits.idempotencyEntriesMax,
    bodiesMax: limits.idempotencyBodiesMax,
  });
  // The loop's answers are the model's freshest labels: fed from the store now, live below.
  const labelLedger = createLabelLedger();
  const models = await loadModels(
    { store, committer, clock, ledger: labelLedger },
    options.modelFile ?? (env.MIMAMORI_MODEL_FILE || null),
  );
  const engine = createScoringEngine({ features, rulesets, models });
  const rebuildShared = async (hotState: SharedHotState): Promise<void> => {
    await rebuildSharedHotState({
      shared: hotState,
      store,
      context: (cardId) => directory.context(cardId),
      nowMs: () => clock.nowMs(),
      sleep,
      onProgress: (stage, done) => options.onProgress?.(stage, done),
    });
  };
  // Embedded, the state is this process's and is rebuilt from the store at every start. Shared,
  // it outlives the processes, and is rebuilt only when Redis has lost it.
  let rebuiltDecisions = 0;
  if (shared === null) {
    const rebuilt = await rebuildHotState({
      store,
      features,
      idempotency,
      context: (cardId) => directory.context(cardId),
      nowMs: clock.nowMs(),
      onProgress: (done) => options.onProgress?.("rebuild", done),
    });
    rebuiltDecisions = rebuilt.decisions;
  } else if (!(await shared.isBuilt())) {
    await rebuildShared(shared);
  }
  const sharedCounting =
    shared === null
      ? null
      : createSharedCounting({
          shared,
          features,
          engine,
          isDecided: async (externalId) => (await store.getDecisionByExternalId(externalId)) !== null,
          rebuild: () => rebuildShared(shared),
          sleep,
          onNewerCardState: (change) => directory.setCardState(change.cardId, change.state, change.atMs),
        });

  const holdMessages = createHoldMessages({
    templates: messaging.templates,
    issuerName,
    linkPolicy: templatePolicy,
    sealer,
  });
  const senders = { ...configuredSenders(env, secrets.pushSigningKey, clock), ...options.senders };
  const dispatcher = createOutboxDispatcher({
    store,
    committer,
    senders,
    sealer,
    clock,
    onError: (error) => options.logger?.error({ err: error }, "outbox pass failed"),
  });
  const loopLabels = createLoopLabels({
    ledger: labelLedger,
    store,
    onRefused: (code) => options.logger?.warn({ code }, "a label was not kept"),
  });
  await loopLabels.load();
  const holds = await createHoldService({
    onResolved: loopLabels.fromHold,
    store,
    committer,
    directory,
    vault,
    // Shared, a confirmed payment teaches the shared profile; a failure there costs only that lesson.
    features:
      sharedCounting === null
        ? features
        : {
            learn: (authorization, card) => {
              sharedCounting.learn(authorization, card).catch((error: unknown) => {
                options.logger?.error({ err: error }, "a confirmed payment was not learned");
              });
            },
          },
    ids,
    clock,
    random,
    messages: holdMessages.messages,
    reply: holdMessages.reply,
    cardHostKeys: secrets.cardHost,
    // Read from the flag or MIMAMORI_CONFIRMATION_WINDOW_MS and checked by parseServeConfig.
    windowMs: options.confirmationWindowMs ?? limits.confirmationWindowMsDefault,
    confirmationLinkBaseUrl: confirmationLinks.mode === "off" ? null : confirmationLinks.baseUrl,
    onMessagesQueued: () => dispatcher.wake(),
    ...(isStoreShared ? { sharedStore: { refreshCard: (cardId) => cards.refresh({ cardId }) } } : {}),
  });
  const stepUp = await createStepUpService({
    store,
    committer,
    directory,
    cards,
    engine,
    ids,
    clock,
    random,
    keys: { codeKey: stepUpKeyFor("challenge-code"), valueKey: stepUpKeyFor("authentication-value") },
    messages: createStepUpMessages({
      draft: createMessageDrafter(messaging.templates),
      issuerName,
      officialDomain,
      sealer,
    }),
    digestRequest: (body: StepUpAuthenticationBody) =>
      createHmac("sha256", newestHmacKey).update("step-up:").update(canonicalJson(body)).digest("hex"),
    allowWindowFor: (cardId, atMs) => holds.allowWindowFor(cardId, atMs),
    codeTtlMs: challengeCodeTtlMs,
    onMessagesQueued: () => dispatcher.wake(),
    codeFailures: shared ?? createMemoryCodeFailureLog(),
    ...(isStoreShared ? { sharedStore: { catchUp } } : {}),
  });
  let followTimer: ReturnType<typeof setInterval> | null = null;
  if (isStoreShared) {
    const following = createChangeFollower({
      store,
      kinds: ["hold", "allow_window", "challenge", "authentication", "case_label", "payment_label", "model"],
      sinceMs: loadedFromMs,
      nowMs: () => clock.nowMs(),
      overlapMs: limits.changeFollowOverlapMs,
      pageRows: limits.rebuildPageRows,
      onCard: cards.absorb,
      onDocument: async (document) => {
        holds.absorb(document);
        stepUp.absorb(document);
        // A promotion in any process switches this one's model within the follow interval.
        const absorbed = models.absorb(document);
        if (!absorbed.ok) {
          options.logger?.error({ code: absorbed.code, modelId: document.id }, "a model cannot be served");
        }
        // Another process's answers and case labels teach this process's model features too.
        await loopLabels.fromDocument(document);
      },
    });
    follower = following;
    followTimer = setInterval(() => {
      following
        .poll()
        .catch((error: unknown) => options.logger?.error({ err: error }, "change follow failed"));
    }, limits.changeFollowIntervalMs);
  }
  let expiryTimer: ReturnType<typeof setInterval> | null = null;
  let expiryPass: Promise<unknown> | null = null;
  if (options.runWorkers !== false) {
    dispatcher.start();
    expiryTimer = setInterval(() => {
      if (expiryPass === null) {
        // Holds and step-up challenges share the scan: both are deadlines held in memory.
        expiryPass = Promise.all([holds.expireDue(), stepUp.expireDue()])
          .catch((error: unknown) => options.logger?.error({ err: error }, "expiry pass failed"))
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
    authentications: stepUp.authenticationHooks,
    ...(sharedCounting === null ? {} : { shared: sharedCounting }),
  });

  const identity = createIdentity({ issuerName, store, committer, ids, random, clock, sealer });
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
    stepUp,
    sealer,
    sessions: identity.cardholderSessions,
    portalAccounts: identity.portalAccounts,
    operators: identity.operators,
    caseService: createCaseService({
      store,
      committer,
      directory,
      ids,
      random,
      clock,
      onLabelled: (label) => {
        loopLabels.fromCaseLabel(label).catch((error: unknown) => {
          options.logger?.error({ err: error }, "a case label did not reach the model's labels");
        });
      },
    }),
    activations: createActivationRequests({ rulesets, store, committer, ids, clock }),
    promotions: createModelPromotions({ models, store, committer, ids, clock }),
    labels: createIssuerLabels({
      store,
      committer,
      clock,
      onRecorded: (label) => {
        loopLabels.fromPaymentLabel(label).catch((error: unknown) => {
          options.logger?.error(
            { err: error },
            "a chargeback or imported label did not reach the model's labels",
          );
        });
      },
    }),
    models,
    issuerTimeZone: messaging.registry.issuer.timeZone,
    walletTokens: createWalletTokenService({ store, committer, directory, ids, clock }),
    contactChecks: createContactCheckService({
      checker: messaging.checker,
      records: createContactRecords(store),
      store,
    }),
    guidance: { registry: messaging.registry, reportDirectory: messaging.reportDirectory },
    dispatcher,
    ids,
    apiKey: secrets.apiKey,
    isApiKeyNew: secrets.isApiKeyNew,
    smsInboundSigningKey: secrets.smsInboundSigningKey,
    rebuiltDecisions,
    rateLimitStore: redis === null ? null : { redis, keyPrefix: redisKeyPrefix },
    health: () => ({
      store: storeKind,
      ...directory.counts(),
      rulesetVersion: rulesets.active().version,
      modelId: models.active()?.id ?? null,
    }),
    ready: readiness.ready,
    /** Readiness answers `draining` from now on; `close()` begins the drain too. */
    beginDrain: readiness.beginDrain,
    isDraining: readiness.isDraining,
    async close() {
      readiness.beginDrain();
      if (expiryTimer !== null) {
        clearInterval(expiryTimer);
      }
      if (followTimer !== null) {
        clearInterval(followTimer);
      }
      await follower?.poll().catch(() => {});
      await expiryPass;
      await dispatcher.stop();
      await committer.close();
      // An injected store belongs to the caller (the simulator restarts on it).
      if (options.store === undefined) {
        await store.close();
      }
      // An injected state belongs to the caller (a test running several platforms over it).
      if (shared !== null && options.sharedHotState === undefined) {
        await shared.close();
      }
    },
  };
  const seeded =
    options.seedDemo === true && directory.counts().cardholders === 0
      ? await seedDemoIssuer(platform, random)
      : { cards: [], signIns: [] };
  return { ...platform, seededDemoCards: seeded.cards, seededDemoSignIns: seeded.signIns };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

/** The HTTP API over a started platform: what `serve`, the benchmark and the tests listen with. */
export function buildPlatformHttpApp(
  platform: Platform,
  options: { logger: Logger; withEmptyBenchRoute?: boolean; webDistDir?: string | null },
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
    walletTokens: platform.walletTokens,
    stepUp: platform.stepUp,
    contactChecks: platform.contactChecks,
    guidance: platform.guidance,
    clock: platform.clock,
    sealer: platform.sealer,
    stepUpSmsReply: (from, text) => platform.stepUp.handleSmsReply(from, text),
    smsInboundSigningKey: platform.smsInboundSigningKey,
    health: platform.health,
    ready: platform.ready,
    isDraining: platform.isDraining,
    withEmptyBenchRoute: options.withEmptyBenchRoute === true,
    rateLimitStore: platform.rateLimitStore,
    portalAccounts: platform.portalAccounts,
    operators: platform.operators,
    caseService: platform.caseService,
    activations: platform.activations,
    models: platform.models,
    promotions: platform.promotions,
    labels: platform.labels,
    directory: platform.directory,
    issuerTimeZone: platform.issuerTimeZone,
    webDistDir: options.webDistDir === undefined ? webDistDirDefault : options.webDistDir,
  });
}

/** Where `npm run build:web` leaves the portal and the console, beside this server in the repository. */
const webDistDirDefault = new URL("../../web/dist", import.meta.url).pathname;

/**
 * A small demo issuer so `npm start` has something to score: cardholders, cards and merchants.
 * The demo card numbers are made up here, Luhn-valid, and kept only as hashes and ciphertext.
 */
async function seedDemoIssuer(
  platform: {
    cards: CardService;
    committer: Pick<GroupCommitter, "submit">;
    portalAccounts: PortalAccounts;
    operators: Operators;
  },
  random: Random,
): Promise<{ cards: readonly CardView[]; signIns: readonly DemoSignIn[] }> {
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
  return {
    cards: seeded,
    signIns: await seedDemoSignIns(platform, demo.cardholders[0], cardholderIds, random),
  };
}

/** A sign-in to try the portal and the console with, shown once at the first start. */
export type DemoSignIn = {
  app: "portal" | "console";
  role: string;
  email: string;
  password: string;
  totpSecret: string;
};

/**
 * The first demo cardholder's portal sign-in and one operator per role (two supervisors, so an
 * activation can be approved by a second person). Passwords are random, never written anywhere.
 */
async function seedDemoSignIns(
  platform: { portalAccounts: PortalAccounts; operators: Operators },
  holder: { ref: string; email: string } | undefined,
  cardholderIds: ReadonlyMap<string, string>,
  random: Random,
): Promise<DemoSignIn[]> {
  const newPassword = () => Buffer.from(random.bytes(12)).toString("base64url");
  const signIns: DemoSignIn[] = [];
  const cardholderId = holder === undefined ? undefined : cardholderIds.get(holder.ref);
  if (holder !== undefined && cardholderId !== undefined) {
    const password = newPassword();
    const enrolled = await platform.portalAccounts.enroll(
      cardholderId,
      { email: holder.email, password },
      "system",
    );
    assert(enrolled.ok, "the demo cardholder enrols once");
    signIns.push({
      app: "portal",
      role: "cardholder",
      email: holder.email,
      password,
      totpSecret: enrolled.totp.secret,
    });
  }
  for (const [email, role] of [
    ["analyst@demo.mimamori.example", "analyst"],
    ["supervisor@demo.mimamori.example", "supervisor"],
    ["supervisor2@demo.mimamori.example", "supervisor"],
    ["admin@demo.mimamori.example", "admin"],
  ] as const) {
    const password = newPassword();
    const name = email.split("@")[0] ?? email;
    const created = await platform.operators.create({ email, name, role, password }, "system");
    assert(created.ok, "demo operators are created once");
    signIns.push({ app: "console", role, email, password, totpSecret: created.totp.secret });
  }
  return signIns;
}

/** The allow windows a unit of work opens: published with the card states. */
function allowWindowsOf(ops: readonly WriteOp[]): AllowWindowChange[] {
  return ops.flatMap((op) =>
    op.kind === "insertDocument" && op.document.kind === "allow_window" && op.document.cardId !== null
      ? [{ cardId: op.document.cardId, window: op.document.body as AllowWindow }]
      : [],
  );
}

/** The card states a unit of work sets: what the shared hot state publishes once it commits. */
function cardStateChangesOf(ops: readonly WriteOp[]): CardStateChange[] {
  return ops.flatMap((op) =>
    op.kind === "updateCardState" ? [{ cardId: op.cardId, state: op.state, atMs: op.atMs }] : [],
  );
}

/**
 * The model registry, with the model a deployment names in MIMAMORI_MODEL_FILE made active when
 * the registry has never seen it, so deployments from before the registry keep their model. A
 * file or a stored model that cannot serve stops the start with its code.
 */
async function loadModels(deps: ModelRegistryDeps, path: string | null): Promise<ModelRegistry> {
  const artifact = path === null ? null : readModelFile(path);
  const loaded = await loadModelRegistry(deps);
  if (!loaded.ok) {
    throw new InvalidConfigError(loaded.code, loaded.message);
  }
  if (artifact !== null) {
    const adopted = await loaded.registry.adopt(artifact, "system");
    if (!adopted.ok) {
      throw new InvalidConfigError(adopted.code, `${path}: ${adopted.message}`);
    }
  }
  return loaded.registry;
}

/** Reads and checks a model artifact file. */
function readModelFile(path: string): ModelArtifact {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InvalidConfigError("model_file_unreadable", `${path}: ${(error as Error).message}`);
  }
  const parsed = parseModelArtifact(json);
  if (!parsed.ok) {
    throw new InvalidConfigError(parsed.code, `${path}: ${parsed.message}`);
  }
  return parsed.artifact;
}
