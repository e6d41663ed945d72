/**
 * The browser tests' setting: the whole platform listening on a free port with the built portal
 * and console, and Debian's Chromium driven by playwright-core. Without Chromium the tests skip
 * with the reason on a developer's machine and fail in CI, where `.ci/run` installs it.
 */
import { existsSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../server/test/harness.ts";
import { totpCodeAt } from "../../server/test/identity-support.ts";

export const chromiumPath = "/usr/bin/chromium";
export const screenshotDir = new URL("./screenshots/", import.meta.url).pathname;
const webDist = new URL("../dist/portal/index.html", import.meta.url).pathname;

/** Why the browser tests cannot run here, or null when they can. */
export function browserMissingReason(): string | null {
  if (!existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath} (apt-get install chromium fonts-ipafont-gothic)`;
  }
  if (!existsSync(webDist)) {
    return "the web apps are not built (npm run build:web)";
  }
  return null;
}

/** The flags the machine's Chromium needs headless as root on a closed network. */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export type BrowserWorld = {
  server: TestServer;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
};

export async function startBrowserWorld(): Promise<BrowserWorld> {
  const server = await startTestServer();
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = server.app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A phone-sized page (360 px wide) in the language given, as a Japanese cardholder's phone. */
export async function newPage(
  world: BrowserWorld,
  lang: "ja" | "en",
  viewport = { width: 360, height: 780 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    viewport,
    locale: lang === "ja" ? "ja-JP" : "en-GB",
    timezoneId: "Asia/Tokyo",
  });
  await context.addInitScript((chosen) => localStorage.setItem("mimamori.lang", chosen), lang);
  const page = await context.newPage();
  return { context, page };
}

/** Fills the sign-in form (e-mail, password, code) and submits it; the clock then moves a step on. */
export async function signIn(
  world: BrowserWorld,
  page: Page,
  account: { email: string; password: string; secret: string },
): Promise<void> {
  const form = page.getByTestId("signin-form");
  await form.locator("input").nth(0).fill(account.email);
  await form.locator("input[type=password]").fill(account.password);
  await form.locator("input").nth(2).fill(totpCodeAt(account.secret, world.server.clock.nowMs()));
  await form.locator("button[type=submit]").click();
  await form.waitFor({ state: "detached" });
  world.server.clock.advanceMs(30_000);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Nothing wider than the viewport: the page reads on a 360 px phone without sideways scrolling. */
export function scrollWidthOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
