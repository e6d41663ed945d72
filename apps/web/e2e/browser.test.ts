/**
 * The portal and the console in a real browser (Debian's Chromium), in Japanese and English:
 * a cardholder answers "mine" from the red banner and the card is active again; "not mine" leads
 * to the reissue page; an analyst finds the case, reads its timeline, adds a contact record and
 * labels it; the rules editor points at a type error's line and column. Each key page is
 * screenshotted in both languages, checked with axe for WCAG A/AA violations, and must fit 360 px.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { enrollWithHistory, suspicious } from "../../server/test/cardholder-support.ts";
import { authorizationBody } from "../../server/test/harness.ts";
import { createOperator, operatorPassword } from "../../server/test/identity-support.ts";
import {
  type BrowserWorld,
  browserMissingReason,
  newPage,
  screenshot,
  scrollWidthOf,
  signIn,
  startBrowserWorld,
} from "./browser-support.ts";

const missing = browserMissingReason();
if (missing !== null && process.env.CI === "true") {
  throw new Error(`the browser tests must run in CI: ${missing}`);
}

const languages = ["ja", "en"] as const;
const holders = {
  ja: { pan: "4111111111111111", phone: "+819011112222", email: "hanako.ja@example.jp" },
  en: { pan: "4012888888881881", phone: "+819033334444", email: "hanako.en@example.jp" },
};
const portalPassword = "a long enough passphrase";
/** A ruleset whose second rule compares a count with a string: a type error on line 5. */
const rulesWithTypeError = [
  'rule fine "A fine rule"',
  "  when card.count1h > 3",
  "  then score 10 reason fine",
  'rule broken "A broken rule"',
  '  when card.count1h > "three"',
  "  then score 10 reason broken",
  "",
].join("\n");

/** Serious or critical WCAG 2 A/AA violations on the page, as "rule: first target" lines. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes[0]?.target ?? [])}`);
}

describe("portal and console in Chromium", { skip: missing ?? false }, () => {
  let world: BrowserWorld;
  const cases: Record<string, { caseId: string; last4: string }> = {};

  before(async () => {
    world = await startBrowserWorld();
  });
  after(() => world?.close());

  for (const lang of languages) {
    test(`[${lang}] a cardholder answers "mine" from the banner, then "not mine" leads to the reissue page`, async () => {
      const { server } = world;
      const holder = holders[lang];
      const { cardholderId, cardId } = await enrollWithHistory(server, holder.pan, holder.phone);
      const enrolled = await server.post(`/v1/cardholders/${cardholderId}/portal-credentials`, {
        email: holder.email,
        password: portalPassword,
      });
      assert.equal(enrolled.status, 201, enrolled.text);
      const secret = (enrolled.json.totp as { secret: string }).secret;
      const first = await server.post("/v1/authorizations", suspicious(cardId, `e2e-${lang}-1`));
      assert.equal(first.json.outcome, "hold", first.text);

      const { context, page } = await newPage(world, lang);
      await page.goto(`${world.baseUrl}/portal/`);
      await signIn(world, page, { email: holder.email, password: portalPassword, secret });
      const banner = page.getByTestId("confirmation-banner");
      await banner.waitFor();
      assert.match(
        (await banner.textContent()) ?? "",
        lang === "ja" ? /カードご利用内容の確認/ : /Please confirm recent card use/,
      );
      assert.match((await banner.textContent()) ?? "", /1111|1881/, "the banner shows the card's last 4");
      await screenshot(page, `portal-banner-${lang}`);
      assert.deepEqual(
        await accessibilityViolations(page),
        [],
        "the banner page has no serious WCAG violations",
      );
      assert.ok((await scrollWidthOf(page)) <= 360, "the banner page fits a 360 px phone");

      await page.getByTestId("answer-mine").first().click();
      await page.getByTestId("answer-result").waitFor();
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-testid="card-state-${id}"]`)?.getAttribute("data-state") === "active",
        cardId,
      );
      const card = await server.get(`/v1/cards/${cardId}`);
      assert.equal(card.json.state, "active", "the card is active again after 'mine'");

      // A burst of resellable goods from three countries in one night: the third is held.
      const burst = [
        {
          amountMinor: 120_000,
          merchant: { id: "mer_us_gifts", name: "GIFT CARD OUTLET", mcc: "5947", country: "US" },
        },
        {
          amountMinor: 250_000,
          merchant: { id: "mer_gb_tech", name: "LONDON ELECTRONICS", mcc: "5732", country: "GB" },
        },
        {
          amountMinor: 98_000,
          merchant: { id: "mer_cn_games", name: "GAME CONSOLE DEPOT", mcc: "5734", country: "CN" },
        },
      ];
      let second = { json: {} as Record<string, unknown>, text: "" };
      for (const [index, payment] of burst.entries()) {
        second = await server.post(
          "/v1/authorizations",
          authorizationBody({
            id: `e2e-${lang}-burst-${index}`,
            cardId,
            ...payment,
            channel: "ecommerce",
            occurredAt: `2026-11-20T03:${20 + index * 5}:00+09:00`,
          }),
        );
      }
      assert.equal(second.json.outcome, "hold", second.text);
      await page.reload();
      await page.getByTestId("confirmation-banner").waitFor();
      await page.getByTestId("answer-not-mine").first().click();
      await page.getByTestId("reissue-page").waitFor();
      await page.getByTestId("reissue-new-card").waitFor();
      await page.getByTestId("card-on-file-list").waitFor();
      await screenshot(page, `portal-reissue-${lang}`);
      assert.deepEqual(
        await accessibilityViolations(page),
        [],
        "the reissue page has no serious WCAG violations",
      );
      assert.ok((await scrollWidthOf(page)) <= 360, "the reissue page fits a 360 px phone");
      const blocked = await server.get(`/v1/cards/${cardId}`);
      assert.equal(blocked.json.state, "blocked");
      const hold = await server.get(`/v1/holds/${second.json.holdId as string}`);
      cases[lang] = { caseId: (hold.json.hold as { caseId: string }).caseId, last4: holder.pan.slice(-4) };
      await context.close();
    });
  }

  for (const lang of languages) {
    test(`[${lang}] an analyst finds the case, reads the timeline, adds a contact record and labels it`, async () => {
      const worked = cases[lang];
      assert.ok(worked !== undefined, "the portal test opened this case");
      const analyst = await createOperator(world.server, `analyst.${lang}@issuer.example`, "analyst");
      const { context, page } = await newPage(world, lang, { width: 1280, height: 900 });
      await page.goto(`${world.baseUrl}/console/`);
      await signIn(world, page, { email: analyst.email, password: operatorPassword, secret: analyst.secret });
      await page.goto(`${world.baseUrl}/console/#/cases`);
      await page.getByTestId("case-search").fill(worked.last4);
      await page.getByTestId("case-search").press("Enter");
      await page.locator(`[data-testid="case-row"][data-case-id="${worked.caseId}"]`).first().click();
      await page.getByTestId("case-page").waitFor();
      await page.getByTestId("timeline").waitFor();
      const kinds = await page
        .getByTestId("timeline-entry")
        .evaluateAll((entries) => entries.map((entry) => entry.getAttribute("data-kind")));
      for (const kind of ["authorization", "hold_opened", "hold_resolved", "notification", "case_opened"]) {
        assert.ok(kinds.includes(kind), `the timeline shows ${kind}: ${kinds.join(",")}`);
      }

      const form = page.getByTestId("contact-record-form");
      await form.locator("select").first().selectOption("phone_inbound");
      // The platform's clock is fixed at 2026-11-20 03:0x UTC; the call was a few minutes before.
      await form.locator("input[name=occurredAt]").fill("2026-11-20T11:50");
      await form.locator("[name=counterpart]").fill("+81 90-1111-2222");
      await form
        .locator("[name=summary]")
        .fill(lang === "ja" ? "カード停止について本人から入電" : "Cardholder called about the blocked card");
      await form
        .locator("[name=response]")
        .fill(lang === "ja" ? "再発行の流れを案内" : "Explained the reissue");
      await form.locator("button[type=submit]").click();
      await page.getByTestId("contact-record-row").first().waitFor();
      assert.match(
        (await page.getByTestId("contact-log").textContent()) ?? "",
        /\d{8}-\d{6}/,
        "a receipt number",
      );

      const labelForm = page.getByTestId("label-form");
      const labelSelect = labelForm.locator("select");
      if ((await labelSelect.count()) > 0) {
        await labelSelect.first().selectOption("fraud");
      } else {
        await labelForm.locator('input[value="fraud"]').check();
      }
      await labelForm.locator("button[type=submit]").click();
      await page.waitForSelector('[data-testid="case-label"][data-label="fraud"]');
      await screenshot(page, `console-case-${lang}`);
      assert.deepEqual(
        await accessibilityViolations(page),
        [],
        "the case page has no serious WCAG violations",
      );
      await context.close();
    });
  }

  for (const lang of languages) {
    test(`[${lang}] the rules editor shows a type error at its line and column`, async () => {
      const supervisor = await createOperator(
        world.server,
        `supervisor.${lang}@issuer.example`,
        "supervisor",
      );
      const { context, page } = await newPage(world, lang, { width: 1280, height: 900 });
      await page.goto(`${world.baseUrl}/console/`);
      await signIn(world, page, {
        email: supervisor.email,
        password: operatorPassword,
        secret: supervisor.secret,
      });
      await page.goto(`${world.baseUrl}/console/#/rules`);
      const editor = page.getByTestId("rules-editor");
      await editor.waitFor();
      await editor.fill(rulesWithTypeError);
      const diagnostic = page.getByTestId("diagnostic").first();
      await diagnostic.waitFor();
      const server = await world.server.app.inject({
        method: "POST",
        url: "/v1/rulesets",
        headers: world.server.auth,
        payload: { name: "probe", text: rulesWithTypeError },
      });
      const expected = (
        JSON.parse(server.body) as {
          error: { details: { span: { start: { line: number; column: number } } }[] };
        }
      ).error.details[0]?.span.start;
      assert.ok(expected !== undefined, server.body);
      assert.equal(await diagnostic.getAttribute("data-line"), String(expected.line));
      assert.equal(await diagnostic.getAttribute("data-column"), String(expected.column));
      assert.equal(expected.line, 5, "the error is on the fifth line, where a count meets a string");
      await page.getByTestId("diagnostic-line").first().waitFor();
      await screenshot(page, `console-rules-${lang}`);
      assert.deepEqual(
        await accessibilityViolations(page),
        [],
        "the rules editor has no serious WCAG violations",
      );
      await context.close();
    });
  }
});
