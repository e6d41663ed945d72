import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import { loadContactRegistry, registryPaths } from "../../contact-check/registry.ts";
import { loadReportDirectory, reportDirectoryPaths } from "../../guidance/index.ts";
import { createManualClock } from "../../platform/clock.ts";
import type { HttpApp } from "../app.ts";
import { handleError } from "../errors.ts";
import { registerGuidanceRoutes } from "./guidance.ts";

// 2026-11-20 03:00 in Tokyo, a Friday.
const clock = createManualClock(Date.parse("2026-11-20T03:00:00+09:00"));
let app: HttpApp;

before(async () => {
  const registry = await loadContactRegistry(registryPaths.demoIssuer);
  const reportDirectory = await loadReportDirectory(reportDirectoryPaths.japan);
  assert.ok(registry.ok && reportDirectory.ok);
  app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(handleError);
  registerGuidanceRoutes(app, {
    clock,
    guidance: { registry: registry.value, reportDirectory: reportDirectory.value },
  });
  await app.ready();
});

after(async () => {
  await app.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: "GET", url, headers });
  return { status: response.statusCode, json: response.json() as Record<string, unknown> };
}

describe("GET /v1/guidance", () => {
  test("answers for now on the injected clock, and for the instant in `at` when given", async () => {
    const night = await get("/v1/guidance?situation=suspicious_charge&lang=en");
    assert.equal(night.status, 200);
    assert.equal(night.json.atLocal, "2026-11-20T03:00+09:00");
    const morning = await get(
      "/v1/guidance?situation=suspicious_charge&lang=en&at=2026-11-20T11:00:00%2B09:00",
    );
    assert.equal(morning.status, 200);
    const open = (json: Record<string, unknown>) =>
      ((json.channels as { openNow: { id: string }[] }).openNow ?? []).map((view) => view.id);
    assert.ok(!open(night.json).includes("customer-center"));
    assert.ok(open(morning.json).includes("customer-center"));
    assert.equal(morning.json.title, "A charge I do not recognise");
  });

  test("the language follows lang, then Accept-Language, then Japanese", async () => {
    const english = await get("/v1/guidance?situation=card_lost_or_stolen", {
      "accept-language": "en-GB,en;q=0.8",
    });
    assert.equal(english.json.language, "en");
    const japanese = await get("/v1/guidance?situation=card_lost_or_stolen");
    assert.equal(japanese.json.language, "ja");
    assert.equal(japanese.json.title, "カードをなくした・盗まれた");
  });

  test("an unknown situation, an instant without an offset and a day that does not exist are 400 invalid_request", async () => {
    for (const url of [
      "/v1/guidance?situation=bored",
      "/v1/guidance",
      "/v1/guidance?situation=suspicious_charge&at=2026-11-20T11:00:00",
      "/v1/guidance?situation=suspicious_charge&at=2026-02-30T11:00:00Z",
      "/v1/guidance?situation=suspicious_charge&at=2026-11-20T25:00:00Z",
      "/v1/guidance?situation=suspicious_charge&colour=blue",
    ]) {
      const response = await get(url);
      assert.equal(response.status, 400, url);
      assert.equal((response.json.error as { code: string }).code, "invalid_request", url);
    }
  });
});

describe("GET /v1/channels", () => {
  test("lists every line with its hours, whether it is open now and what a call costs", async () => {
    const response = await get("/v1/channels?lang=ja");
    assert.equal(response.status, 200);
    const phones = response.json.phones as { id: string; isOpenNow: boolean; cost: string; hours: string }[];
    assert.deepEqual(
      phones.map((phone) => [phone.id, phone.isOpenNow, phone.cost]),
      [
        ["fraud-desk", false, "geographic"],
        ["customer-center", false, "navi_dial"],
        ["lost-stolen", true, "free_dial"],
        ["from-abroad", true, "geographic"],
        ["payment-desk", false, "geographic"],
      ],
    );
    assert.equal(phones[2]?.hours, "24時間365日");
    assert.deepEqual(response.json.webDomains, [
      { domain: "mimamori-card.example", includeSubdomains: true, purpose: "公式サイトと会員サイト" },
    ]);
  });
});
