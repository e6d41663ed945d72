/**
 * Configuration, parsed once at start-up from flags and the environment. Secrets (the API key
 * and the PAN keys) come from the environment; in the embedded default, where none is given,
 * they are generated at the first start and kept in the data directory with owner-only access.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { PanKey } from "../cards/index.ts";
import { isAllowedLink, isOfficialDomain } from "../notifications/index.ts";
import type { Random } from "../platform/random.ts";
import { limits } from "./limits.ts";

export type Config = {
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its files; null runs on memory only (tests, replays). */
  readonly dataDir: string | null;
  readonly logLevel: string;
  readonly seedDemo: boolean;
  /** How long a cardholder has to answer a hold (MIMAMORI_CONFIRMATION_WINDOW_MS). */
  readonly confirmationWindowMs: number;
  readonly confirmationLinks: ConfirmationLinkSettings;
  /** What this process runs: the HTTP API, the background workers, or both (MIMAMORI_ROLE). */
  readonly role: ProcessRole;
  /** API processes forked by node:cluster; 1 runs everything in this process (MIMAMORI_PROCESSES). */
  readonly processes: number;
  /** PostgreSQL shared by several processes (MIMAMORI_DATABASE_URL); null keeps the embedded store. */
  readonly databaseUrl: string | null;
  /** Redis for hot state shared by several processes (MIMAMORI_REDIS_URL); null keeps it in memory. */
  readonly redisUrl: string | null;
};

/**
 * `api` answers HTTP and runs no background work; `worker` runs the outbox dispatcher and the
 * hold and step-up expiry scans and serves no HTTP; `all` does both in one process.
 */
export type ProcessRole = "api" | "worker" | "all";
const processRoles = ["api", "worker", "all"] as const satisfies readonly ProcessRole[];

export type ServeConfigCode =
  | "invalid_option"
  | "invalid_role"
  | "invalid_processes"
  | "invalid_database_url"
  | "invalid_redis_url"
  | "processes_need_database_url"
  | "processes_need_api_role"
  | "processes_need_redis_url"
  | "role_needs_database_url"
  | ConfirmationLinkConfigCode;

export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; code: ServeConfigCode; message: string };

/**
 * The one-time answer link (issue #3). Off by default, so no message carries a link. On, the
 * confirmation request links to the issuer's page on its registered domain: by e-mail only, or by
 * e-mail and SMS (carriers and the anti-phishing council advise against links in SMS, so that is
 * the issuer's explicit choice).
 */
export type ConfirmationLinkSettings =
  | { readonly mode: "off"; readonly officialDomain: string | null }
  | {
      readonly mode: "email" | "email_and_sms";
      /** MIMAMORI_OFFICIAL_DOMAIN: the issuer's registered domain, the only one a link may point at. */
      readonly officialDomain: string;
      /** Where the page is served, ending in "/": the token follows. https on the domain or a subdomain. */
      readonly baseUrl: string;
    };

export type ConfirmationLinkConfigCode =
  | "invalid_confirmation_links"
  | "invalid_official_domain"
  | "official_domain_required"
  | "confirmation_link_outside_official_domain";

export type ConfirmationLinkConfigResult =
  | { ok: true; settings: ConfirmationLinkSettings }
  | { ok: false; code: ConfirmationLinkConfigCode; message: string };

const confirmationLinkModes = ["off", "email", "email_and_sms"] as const;
/** The token's base64url length: the link base must leave room for it within the link limit. */
const linkTokenLength = Math.ceil((limits.confirmationLinkTokenBytes * 8) / 6);

/**
 * Reads MIMAMORI_CONFIRMATION_LINKS (off | email | email_and_sms), MIMAMORI_OFFICIAL_DOMAIN and
 * MIMAMORI_CONFIRMATION_LINK_BASE_URL (default https://<domain>/c/). A base that is not https on
 * the official domain is refused here, before any template or message is built.
 */
export function parseConfirmationLinks(env: NodeJS.ProcessEnv): ConfirmationLinkConfigResult {
  const mode = env.MIMAMORI_CONFIRMATION_LINKS ?? "off";
  if (!(confirmationLinkModes as readonly string[]).includes(mode)) {
    return {
      ok: false,
      code: "invalid_confirmation_links",
      message: `MIMAMORI_CONFIRMATION_LINKS must be one of ${confirmationLinkModes.join(", ")}, got ${mode}`,
    };
  }
  const officialDomain = env.MIMAMORI_OFFICIAL_DOMAIN;
  if (officialDomain !== undefined && !isOfficialDomain(officialDomain)) {
    return {
      ok: false,
      code: "invalid_official_domain",
      message: `MIMAMORI_OFFICIAL_DOMAIN must be a lowercase host name such as card.example.co.jp, got ${officialDomain}`,
    };
  }
  if (mode === "off") {
    return { ok: true, settings: { mode: "off", officialDomain: officialDomain ?? null } };
  }
  if (officialDomain === undefined) {
    return {
      ok: false,
      code: "official_domain_required",
      message: "MIMAMORI_CONFIRMATION_LINKS needs MIMAMORI_OFFICIAL_DOMAIN, the issuer's registered domain",
    };
  }
  const baseUrl = env.MIMAMORI_CONFIRMATION_LINK_BASE_URL ?? `https://${officialDomain}/c/`;
  const policy = { allowedLinkDomain: officialDomain, smsLinkAllowed: false };
  // Nothing may follow the token (a query or fragment would), and the whole link must fit a message.
  if (
    !isAllowedLink(baseUrl, policy) ||
    !/^https:\/\/[^?#]*\/$/.test(baseUrl) ||
    baseUrl.length + linkTokenLength > limits.linkLengthMax
  ) {
    return {
      ok: false,
      code: "confirmation_link_outside_official_domain",
      message: `MIMAMORI_CONFIRMATION_LINK_BASE_URL must be an https URL on ${officialDomain} or a subdomain, ending in "/", without query, fragment or credentials, and at most ${limits.linkLengthMax - linkTokenLength} characters; got ${baseUrl}`,
    };
  }
  return {
    ok: true,
    settings: { mode: mode as "email" | "email_and_sms", officialDomain, baseUrl },
  };
}

export function parseServeConfig(args: readonly string[], env: NodeJS.ProcessEnv): ConfigResult {
  let port = env.PORT === undefined ? 8080 : Number(env.PORT);
  let dataDir: string | null = env.MIMAMORI_DATA_DIR ?? "./data";
  let host = env.MIMAMORI_HOST ?? "0.0.0.0";
  let seedDemo = env.MIMAMORI_SEED_DEMO !== "false";
  let confirmationWindowMs =
    env.MIMAMORI_CONFIRMATION_WINDOW_MS === undefined
      ? limits.confirmationWindowMsDefault
      : Number(env.MIMAMORI_CONFIRMATION_WINDOW_MS);
  const processTexts: ProcessTexts = {
    role: env.MIMAMORI_ROLE ?? "all",
    processes: env.MIMAMORI_PROCESSES ?? "1",
    databaseUrl: env.MIMAMORI_DATABASE_URL ?? "",
    redisUrl: env.MIMAMORI_REDIS_URL ?? "",
  };
  // A later flag overrides an earlier one: the cluster primary pins each child's role this way.
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    const processField = processFlags.get(flag ?? "");
    if (flag === "--port" && value !== undefined) {
      port = Number(value);
      i++;
    } else if (flag === "--data" && value !== undefined) {
      dataDir = value === ":memory:" ? null : value;
      i++;
    } else if (flag === "--host" && value !== undefined) {
      host = value;
      i++;
    } else if (flag === "--confirmation-window-ms" && value !== undefined) {
      confirmationWindowMs = Number(value);
      i++;
    } else if (flag === "--no-demo") {
      seedDemo = false;
    } else if (processField !== undefined && value !== undefined) {
      processTexts[processField] = value;
      i++;
    } else {
      return { ok: false, code: "invalid_option", message: `unknown or incomplete option ${flag}` };
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return {
      ok: false,
      code: "invalid_option",
      message: `port must be an integer 0–65535, got ${String(port)}`,
    };
  }
  if (
    !Number.isSafeInteger(confirmationWindowMs) ||
    confirmationWindowMs < limits.confirmationWindowMsMin ||
    confirmationWindowMs > limits.confirmationWindowMsMax
  ) {
    return {
      ok: false,
      code: "invalid_option",
      message: `confirmation window must be an integer of milliseconds from ${limits.confirmationWindowMsMin} to ${limits.confirmationWindowMsMax}`,
    };
  }
  const links = parseConfirmationLinks(env);
  if (!links.ok) {
    return links;
  }
  const processSettings = parseProcessSettings(processTexts);
  if (!processSettings.ok) {
    return processSettings;
  }
  return {
    ok: true,
    config: {
      port,
      host,
      dataDir,
      logLevel: env.MIMAMORI_LOG_LEVEL ?? "info",
      seedDemo,
      confirmationWindowMs,
      confirmationLinks: links.settings,
      ...processSettings.settings,
    },
  };
}

/** The process settings as given, before they are checked; an empty URL means none was given. */
type ProcessTexts = { role: string; processes: string; databaseUrl: string; redisUrl: string };

const processFlags = new Map<string, keyof ProcessTexts>([
  ["--role", "role"],
  ["--processes", "processes"],
  ["--database-url", "databaseUrl"],
  ["--redis-url", "redisUrl"],
]);

type ProcessSettings = Pick<Config, "role" | "processes" | "databaseUrl" | "redisUrl">;

/**
 * The role, the process count and the shared stores, checked together: several processes, or a
 * process that runs only half the work, need a store other processes can reach. The embedded
 * store's data directory belongs to one process, so those need MIMAMORI_DATABASE_URL.
 */
function parseProcessSettings(
  texts: ProcessTexts,
): { ok: true; settings: ProcessSettings } | { ok: false; code: ServeConfigCode; message: string } {
  const role = processRoles.find((known) => known === texts.role);
  if (role === undefined) {
    return {
      ok: false,
      code: "invalid_role",
      message: `--role (MIMAMORI_ROLE) must be one of ${processRoles.join(", ")}, got ${texts.role}`,
    };
  }
  const processes = texts.processes === "auto" ? availableParallelism() : Number(texts.processes);
  if (!Number.isSafeInteger(processes) || processes < 1 || processes > limits.processesMax) {
    return {
      ok: false,
      code: "invalid_processes",
      message: `--processes (MIMAMORI_PROCESSES) must be auto or an integer from 1 to ${limits.processesMax}, got ${texts.processes}`,
    };
  }
  // The URLs are never echoed: they may carry a password.
  if (texts.databaseUrl !== "" && !isUrlOf(texts.databaseUrl, ["postgres:", "postgresql:"])) {
    return {
      ok: false,
      code: "invalid_database_url",
      message: "--database-url (MIMAMORI_DATABASE_URL) must be a postgres:// or postgresql:// URL",
    };
  }
  if (texts.redisUrl !== "" && !isUrlOf(texts.redisUrl, ["redis:", "rediss:"])) {
    return {
      ok: false,
      code: "invalid_redis_url",
      message: "--redis-url (MIMAMORI_REDIS_URL) must be a redis:// or rediss:// URL",
    };
  }
  // The outbox dispatcher and the expiry scans run in one process, so that none races another.
  if (processes > 1 && role === "worker") {
    return {
      ok: false,
      code: "processes_need_api_role",
      message: "--processes forks API processes; run a single process with --role worker",
    };
  }
  if (processes > 1 && texts.databaseUrl === "") {
    return {
      ok: false,
      code: "processes_need_database_url",
      message: `${processes} processes cannot share the embedded store's data directory; give --database-url (MIMAMORI_DATABASE_URL)`,
    };
  }
  if (processes > 1 && texts.redisUrl === "") {
    return {
      ok: false,
      code: "processes_need_redis_url",
      message: `${processes} API processes must count every card's authorizations in one place; give --redis-url (MIMAMORI_REDIS_URL)`,
    };
  }
  if (role !== "all" && texts.databaseUrl === "") {
    return {
      ok: false,
      code: "role_needs_database_url",
      message: `--role ${role} leaves the other half of the work to another process, which cannot share the embedded store's data directory; give --database-url (MIMAMORI_DATABASE_URL) or run --role all`,
    };
  }
  return {
    ok: true,
    settings: {
      role,
      processes,
      // A compose file writes `MIMAMORI_REDIS_URL=` for "not given", so empty is unset.
      databaseUrl: texts.databaseUrl === "" ? null : texts.databaseUrl,
      redisUrl: texts.redisUrl === "" ? null : texts.redisUrl,
    },
  };
}

function isUrlOf(text: string, protocols: readonly string[]): boolean {
  return URL.canParse(text) && protocols.includes(new URL(text).protocol);
}

export type Secrets = {
  readonly apiKey: string;
  /** Seals replacement-card orders for the card host (JWE) and signs them (JWS). */
  readonly cardHost: { readonly keyId: string; readonly encryptionKey: Buffer; readonly signingKey: Buffer };
  /** Signs push webhooks to the issuer's app relay. */
  readonly pushSigningKey: Buffer;
  /** Keys the hashes of one-time codes and derives 3-D Secure authentication values. */
  readonly stepUpKey: Buffer;
  /**
   * Checks the SMS provider's signature on inbound replies, so the provider needs no API key.
   * Shared with the provider; kept apart from every other key so that it signs nothing else.
   */
  readonly smsInboundSigningKey: Buffer;
  /** True when the key was generated now: the only time it is printed. */
  readonly isApiKeyNew: boolean;
  readonly panKeys: readonly PanKey[];
};

type SecretsFile = {
  apiKey: string;
  panKeys: { version: number; hmacKey: string; encryptionKey: string }[];
  /** Added with the confirmation loop; a file from before gains them at the next start. */
  cardHost?: { keyId: string; encryptionKey: string; signingKey: string };
  pushSigningKey?: string;
  /** Added with step-up. */
  stepUpKey?: string;
  /** Added with signed inbound SMS. */
  smsInboundSigningKey?: string;
};

const keyBytes = 32;

function decodeKey(text: string, name: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== keyBytes) {
    throw new Error(`${name} must be 32 bytes, as 64 hex digits or base64`);
  }
  return key;
}

export function loadSecrets(dataDir: string | null, env: NodeJS.ProcessEnv, random: Random): Secrets {
  const newKeyHex = (): string => Buffer.from(random.bytes(keyBytes)).toString("hex");
  const path = dataDir === null ? null : join(dataDir, "secrets.json");
  let file: SecretsFile | null = null;
  if (path !== null && existsSync(path)) {
    file = JSON.parse(readFileSync(path, "utf8")) as SecretsFile;
  }
  let isApiKeyNew = false;
  let isFileChanged = false;
  if (file === null) {
    file = {
      apiKey: `mk_${newKeyHex()}`,
      panKeys: [{ version: 1, hmacKey: newKeyHex(), encryptionKey: newKeyHex() }],
    };
    isApiKeyNew = env.MIMAMORI_API_KEY === undefined;
    isFileChanged = true;
  }
  if (file.cardHost === undefined || file.pushSigningKey === undefined) {
    file.cardHost ??= { keyId: "ch1", encryptionKey: newKeyHex(), signingKey: newKeyHex() };
    file.pushSigningKey ??= newKeyHex();
    isFileChanged = true;
  }
  if (file.stepUpKey === undefined) {
    file.stepUpKey = newKeyHex();
    isFileChanged = true;
  }
  if (file.smsInboundSigningKey === undefined) {
    file.smsInboundSigningKey = newKeyHex();
    isFileChanged = true;
  }
  if (isFileChanged && path !== null && dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }
  const cardHost = {
    keyId: env.MIMAMORI_CARD_HOST_KEY_ID ?? file.cardHost.keyId,
    encryptionKey: decodeKey(
      env.MIMAMORI_CARD_HOST_ENCRYPTION_KEY ?? file.cardHost.encryptionKey,
      "MIMAMORI_CARD_HOST_ENCRYPTION_KEY",
    ),
    signingKey: decodeKey(
      env.MIMAMORI_CARD_HOST_SIGNING_KEY ?? file.cardHost.signingKey,
      "MIMAMORI_CARD_HOST_SIGNING_KEY",
    ),
  };
  const pushSigningKey = decodeKey(
    env.MIMAMORI_PUSH_SIGNING_KEY ?? file.pushSigningKey,
    "MIMAMORI_PUSH_SIGNING_KEY",
  );
  const panKeys: PanKey[] = file.panKeys.map((key) => ({
    version: key.version,
    hmacKey: decodeKey(key.hmacKey, "PAN HMAC key"),
    encryptionKey: decodeKey(key.encryptionKey, "PAN encryption key"),
  }));
  // Keys given in the environment are a newer version than any in the file, so new rows use them.
  if (env.MIMAMORI_PAN_HMAC_KEY !== undefined && env.MIMAMORI_PAN_ENCRYPTION_KEY !== undefined) {
    panKeys.push({
      version: Number(env.MIMAMORI_PAN_KEY_VERSION ?? Math.max(...panKeys.map((key) => key.version)) + 1),
      hmacKey: decodeKey(env.MIMAMORI_PAN_HMAC_KEY, "MIMAMORI_PAN_HMAC_KEY"),
      encryptionKey: decodeKey(env.MIMAMORI_PAN_ENCRYPTION_KEY, "MIMAMORI_PAN_ENCRYPTION_KEY"),
    });
  }
  const stepUpKey = decodeKey(env.MIMAMORI_STEP_UP_KEY ?? file.stepUpKey, "MIMAMORI_STEP_UP_KEY");
  const smsInboundSigningKey = decodeKey(
    env.MIMAMORI_SMS_INBOUND_SIGNING_KEY ?? file.smsInboundSigningKey,
    "MIMAMORI_SMS_INBOUND_SIGNING_KEY",
  );
  return {
    apiKey: env.MIMAMORI_API_KEY ?? file.apiKey,
    isApiKeyNew,
    panKeys,
    cardHost,
    pushSigningKey,
    stepUpKey,
    smsInboundSigningKey,
  };
}
