/**
 * Starts the whole platform with its HTTP app for cross-module tests: a fixed, manual clock and
 * seeded randomness, so every run makes the same ids and decisions.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { HttpApp } from "../src/http/index.ts";
import { buildPlatformHttpApp, type Platform, type PlatformOptions, startPlatform } from "../src/main.ts";
import { createLogger } from "../src/observability/index.ts";
import { createManualClock } from "../src/platform/clock.ts";
import { createSeededRandom } from "../src/platform/random.ts";

export const testNowMs = Date.parse("2026-11-20T03:00:00Z");

export type TestServer = {
  app: HttpApp;
  platform: Platform;
  clock: ReturnType<typeof createManualClock>;
  logLines: string[];
  auth: { authorization: string };
  post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }>;
  get(url: string): Promise<{ status: number; json: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
};

export async function startTestServer(
  options: {
    dataDir?: string | null;
    seed?: number;
    nowMs?: number;
    platform?: Partial<Omit<PlatformOptions, "dataDir" | "clock" | "random" | "logger" | "seedDemo">>;
    /** Seeds the demo issuer as `npm start` does; off by default, so tests enrol their own cards. */
    seedDemo?: boolean;
    /** The built web apps to serve; left out, the checkout's apps/web/dist (built or not). */
    webDistDir?: string | null;
  } = {},
): Promise<TestServer> {
  const clock = createManualClock(options.nowMs ?? testNowMs);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  const platform = await startPlatform({
    dataDir: options.dataDir ?? null,
    clock,
    random: createSeededRandom(options.seed ?? 1),
    env: {},
    ...options.platform,
    logger,
    seedDemo: options.seedDemo ?? false,
  });
  const app = await buildPlatformHttpApp(platform, {
    logger,
    ...(options.webDistDir === undefined ? {} : { webDistDir: options.webDistDir }),
  });
  const auth = { authorization: `Bearer ${platform.apiKey}` };
  const parse = (text: string): Record<string, unknown> => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  return {
    app,
    platform,
    clock,
    logLines,
    auth,
    async post(url, body) {
      const response = await app.inject({
        method: "POST",
        url,
        headers: { ...auth, "content-type": "application/json" },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: response.statusCode, json: parse(response.body), text: response.body };
    },
    async get(url) {
      const response = await app.inject({ method: "GET", url, headers: auth });
      return { status: response.statusCode, json: parse(response.body), text: response.body };
    },
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

/** A cardholder in Tokyo with one card; returns the card id. */
export async function enrollCard(
  server: TestServer,
  pan: string,
  holder: Partial<{ homeCountry: string; timeZone: string }> = {},
): Promise<string> {
  const cardholder = await server.post("/v1/cardholders", {
    name: "山田 花子",
    phone: "+819012345678",
    email: "hanako@example.jp",
    language: "ja",
    timeZone: holder.timeZone ?? "Asia/Tokyo",
    homeCountry: holder.homeCountry ?? "JP",
  });
  if (cardholder.status !== 201) {
    throw new Error(`cardholder: ${cardholder.text}`);
  }
  const card = await server.post("/v1/cards", { cardholderId: cardholder.json.id, pan, expiry: "2030-12" });
  if (card.status !== 201) {
    throw new Error(`card: ${card.text}`);
  }
  return card.json.id as string;
}

export type AuthorizationOverrides = {
  id: string;
  cardId: string;
  amountMinor?: number;
  currency?: string;
  merchant?: { id: string; name: string; mcc: string; country: string; terminalId?: string };
  channel?: string;
  occurredAt: string;
  device?: { ip?: string; fingerprint?: string };
};

export function authorizationBody(overrides: AuthorizationOverrides): Record<string, unknown> {
  return {
    id: overrides.id,
    card: { cardId: overrides.cardId },
    amount: { minor: overrides.amountMinor ?? 3_000, currency: overrides.currency ?? "JPY" },
    merchant: overrides.merchant ?? { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" },
    channel: overrides.channel ?? "pos",
    occurredAt: overrides.occurredAt,
    ...(overrides.device === undefined ? {} : { device: overrides.device }),
  };
}

/** Twenty ordinary lunchtime grocery purchases over the last twenty days, all approved. */
export async function buildOrdinaryHistory(
  server: TestServer,
  cardId: string,
  prefix: string,
): Promise<void> {
  for (let day = 20; day >= 1; day--) {
    const date = new Date(testNowMs - day * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const response = await server.post(
      "/v1/authorizations",
      authorizationBody({
        id: `${prefix}-${day}`,
        cardId,
        amountMinor: 2_500 + day * 50,
        occurredAt: `${date}T12:${String(10 + day).padStart(2, "0")}:00+09:00`,
      }),
    );
    if (response.json.outcome !== "approve") {
      throw new Error(`history purchase was not approved: ${response.text}`);
    }
  }
}

/**
 * A minimal build of the web apps in a new temporary folder (the caller removes it): the two
 * pages and one asset, so their routes (and /assets/*) are served whether or not this checkout
 * has run `npm run build:web`.
 */
export function createFakeWebBuild(assetName: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mimamori-web-"));
  for (const name of ["portal", "console", "assets"]) {
    mkdirSync(join(dir, name));
  }
  writeFileSync(join(dir, "portal", "index.html"), "<!doctype html><title>portal</title>");
  writeFileSync(join(dir, "console", "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(dir, "assets", assetName), "export {};");
  return dir;
}
