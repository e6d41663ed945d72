/**
 * Configuration, parsed once at start-up from flags and the environment. Secrets (the API key
 * and the PAN keys) come from the environment; in the embedded default, where none is given,
 * they are generated at the first start and kept in the data directory with owner-only access.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PanKey } from "../cards/index.ts";
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
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

export function parseServeConfig(args: readonly string[], env: NodeJS.ProcessEnv): ConfigResult {
  let port = env.PORT === undefined ? 8080 : Number(env.PORT);
  let dataDir: string | null = env.MIMAMORI_DATA_DIR ?? "./data";
  let host = env.MIMAMORI_HOST ?? "0.0.0.0";
  let seedDemo = env.MIMAMORI_SEED_DEMO !== "false";
  let confirmationWindowMs =
    env.MIMAMORI_CONFIRMATION_WINDOW_MS === undefined
      ? limits.confirmationWindowMsDefault
      : Number(env.MIMAMORI_CONFIRMATION_WINDOW_MS);
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
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
    } else {
      return { ok: false, message: `unknown or incomplete option ${flag}` };
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return { ok: false, message: `port must be an integer 0–65535, got ${String(port)}` };
  }
  if (
    !Number.isSafeInteger(confirmationWindowMs) ||
    confirmationWindowMs < limits.confirmationWindowMsMin ||
    confirmationWindowMs > limits.confirmationWindowMsMax
  ) {
    return {
      ok: false,
      message: `confirmation window must be an integer of milliseconds from ${limits.confirmationWindowMsMin} to ${limits.confirmationWindowMsMax}`,
    };
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
    },
  };
}

export type Secrets = {
  readonly apiKey: string;
  /** Seals replacement-card orders for the card host (JWE) and signs them (JWS). */
  readonly cardHost: { readonly keyId: string; readonly encryptionKey: Buffer; readonly signingKey: Buffer };
  /** Signs push webhooks to the issuer's app relay. */
  readonly pushSigningKey: Buffer;
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
  return { apiKey: env.MIMAMORI_API_KEY ?? file.apiKey, isApiKeyNew, panKeys, cardHost, pushSigningKey };
}
