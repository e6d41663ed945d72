/**
 * The contact checker end to end (issue #5's must-show list): `mimamori check --json` on the
 * police script, lookalike and shortener links, a request for the security code, a registered
 * number and our own hold notice; a genuine number beside a lookalike link; no false alarms on
 * ordinary genuine notices; our templates linted at start-up; the public and signed-in routes.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { registryPaths } from "../src/contact-check/index.ts";
import { loadMessaging, startPlatform, UnsafeTemplatesError } from "../src/main.ts";
import { defaultTemplates, sampleMessages } from "../src/notifications/index.ts";
import { asCardholder, enrollWithHistory, pan, sessionFor, suspicious } from "./cardholder-support.ts";
import { startTestServer } from "./harness.ts";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../bin/mimamori.mjs", import.meta.url));
const rakuten = registryPaths.rakutenCardExample;

type CheckJson = {
  verdict: string;
  inputKind: string;
  reasons: { code: string; severity: string; message: string }[];
};

async function cliCheck(...args: string[]): Promise<CheckJson> {
  const { stdout } = await run(process.execPath, [bin, "check", "--json", ...args], {
    env: { ...process.env },
  });
  return JSON.parse(stdout) as CheckJson;
}

const codesOf = (result: { reasons: readonly { code: string }[] }) =>
  result.reasons.map((reason) => reason.code);

const demoNotice = sampleMessages(defaultTemplates, {
  issuerName: "mimamoriカード",
  officialDomain: "mimamori-card.example",
}).find(
  (sample) => sample.kind === "confirmation_request" && sample.channel === "sms" && sample.language === "ja",
);

describe("mimamori check --json (the must-show inputs)", () => {
  test("each input gets the verdict and the reason the issue asks for", async () => {
    assert.ok(demoNotice !== undefined);
    const [police, plural, foreign, shortener, securityCode, navi, notice] = await Promise.all([
      cliCheck("--registry", rakuten, "楽天カードです。後ほど警察から電話があります"),
      cliCheck("--registry", rakuten, "https://rakuten-cards.com/login"),
      cliCheck("--registry", rakuten, "https://rakuten-card.co.jp.secure-login.cn/"),
      cliCheck("--registry", rakuten, "https://bit.ly/3xYzAbc"),
      cliCheck("--registry", rakuten, "本人確認のため、カード裏面のセキュリティコードを入力してください。"),
      cliCheck("--registry", rakuten, "0570-66-6910"),
      cliCheck(demoNotice.text),
    ]);
    assert.equal(police.verdict, "suspicious");
    assert.ok(codesOf(police).includes("police_will_contact"));
    assert.equal(plural.verdict, "suspicious");
    assert.ok(codesOf(plural).includes("lookalike_domain"));
    assert.equal(foreign.verdict, "suspicious");
    assert.ok(codesOf(foreign).includes("brand_in_subdomain"));
    assert.equal(shortener.verdict, "suspicious");
    assert.ok(codesOf(shortener).includes("url_shortener"));
    assert.equal(securityCode.verdict, "suspicious");
    assert.ok(codesOf(securityCode).includes("asks_for_security_code"));
    assert.equal(navi.verdict, "official");
    assert.equal(navi.inputKind, "phone_number");
    const line = navi.reasons.find((reason) => reason.code === "registered_phone");
    assert.match(line?.message ?? "", /コンタクトセンター|Contact center/);
    assert.equal(notice.verdict, "official", JSON.stringify(notice));
    assert.ok(codesOf(notice).includes("own_message"));
  });
});

describe("the checker behind the CLI and the API", async () => {
  const rakutenChecker = (await loadMessaging({}, { registryFile: rakuten })).checker;
  const demo = await loadMessaging({});

  test("a genuine registry number beside a lookalike link: suspicious, and the number does not vouch", () => {
    const text =
      "【楽天カード】ご利用確認のお願い。お問い合わせは 0570-66-6910 まで。ログイン: https://rakuten-cards.com/e-navi";
    for (const language of ["ja", "en"] as const) {
      const result = rakutenChecker.check({ text }, language);
      assert.equal(result.verdict, "suspicious");
      const codes = codesOf(result);
      assert.ok(codes.includes("lookalike_domain"));
      assert.ok(codes.includes("number_does_not_vouch"));
      const vouch = result.reasons.find((reason) => reason.code === "number_does_not_vouch");
      assert.match(
        vouch?.message ?? "",
        language === "ja" ? /本物だとは言えません/ : /does not make the message genuine/,
      );
    }
  });

  test("a genuine sender does not make a message genuine, and says so", () => {
    const result = rakutenChecker.check(
      { text: "お支払いの確認が取れません。至急ご連絡ください。", from: "0570-069-101" },
      "en",
    );
    assert.ok(codesOf(result).includes("number_does_not_vouch"));
    assert.notEqual(result.verdict, "official");
  });

  test("no false alarm on ordinary genuine notices or on any of our own templates", () => {
    const genuine = [
      "【楽天カード】12月のご請求金額が確定しました。ご利用明細は楽天e-NAVIでご確認ください。",
      "【楽天カード】お支払い日は12月27日です。ご指定口座の残高をご確認ください。",
      "Rakuten Card: your December statement is ready. Sign in to the app to see it.",
      "Rakuten Card: your payment of 12,800 yen is due on December 27.",
    ];
    for (const text of genuine) {
      assert.notEqual(rakutenChecker.check({ text }, "ja").verdict, "suspicious", text);
    }
    for (const sample of sampleMessages(demo.templates, demo)) {
      const result = demo.checker.check({ text: sample.text }, sample.language);
      assert.equal(
        result.verdict,
        "official",
        `${sample.kind}/${sample.channel}/${sample.language}: ${JSON.stringify(result.reasons)}`,
      );
    }
  });

  test("a card number pasted into a check is never echoed back", () => {
    const result = demo.checker.check({ text: `カード番号 ${pan} を入力してください` }, "ja");
    assert.equal(result.verdict, "suspicious");
    assert.ok(!JSON.stringify(result).includes(pan));
  });
});

describe("start-up lints our templates with the same cues", () => {
  test("an override the checker would call suspicious stops the start, naming the template and the cues", async () => {
    await assert.rejects(
      startPlatform({
        dataDir: null,
        env: {},
        runWorkers: false,
        templateOverrides: {
          answer_received_mine: {
            sms: {
              ja: {
                body: "【{issuerName}】至急ご確認ください。24時間以内にアプリでご確認がない場合、お取引を制限します。{merchant} {amount} (末尾{last4})",
              },
            },
          },
        },
      }),
      (error: unknown) =>
        error instanceof UnsafeTemplatesError &&
        /template_judged_suspicious/.test(error.message) &&
        /answer_received_mine\/sms\/ja: .*urgency/.test(error.message),
    );
  });

  test("an issuer registry that does not list the official domain stops the start with a code", async () => {
    await assert.rejects(
      loadMessaging({
        MIMAMORI_CONTACT_REGISTRY_FILE: rakuten,
        MIMAMORI_OFFICIAL_DOMAIN: "card.example.co.jp",
      }),
      /official_domain_not_in_registry/,
    );
  });
});

describe("POST /v1/contact-checks and /v1/cardholder/contact-checks", () => {
  test("public: no key needed, language from the body or Accept-Language, coded errors, rate-limited", async () => {
    const server = await startTestServer({ platform: { runWorkers: false } });
    try {
      const anonymous = async (payload: unknown, headers: Record<string, string> = {}) => {
        const response = await server.app.inject({
          method: "POST",
          url: "/v1/contact-checks",
          headers: { "content-type": "application/json", ...headers },
          payload: JSON.stringify(payload),
        });
        return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, unknown> };
      };
      const english = await anonymous(
        { input: "https://bit.ly/abc" },
        { "accept-language": "en-US,en;q=0.8" },
      );
      assert.equal(english.status, 200);
      assert.equal(english.json.verdict, "suspicious");
      assert.equal(english.json.language, "en");
      const japanese = await anonymous({ input: "https://bit.ly/abc", language: "ja" });
      assert.equal(japanese.json.language, "ja");
      const bad = await anonymous({ input: "" });
      assert.equal(bad.status, 400);
      assert.equal((bad.json.error as { code: string }).code, "invalid_request");
      let limited = null as null | { status: number; json: Record<string, unknown> };
      for (let i = 0; i < 40 && limited === null; i++) {
        const response = await anonymous({ input: "0120-000-000" });
        if (response.status === 429) {
          limited = response;
        }
      }
      assert.ok(limited !== null, "the public route is rate-limited");
      assert.equal((limited.json.error as { code: string }).code, "rate_limited");
    } finally {
      await server.close();
    }
  });

  test("signed in: our records say whether we asked for a confirmation and whether we sent an SMS then", async () => {
    const server = await startTestServer({ platform: { runWorkers: false } });
    try {
      const { cardholderId, cardId } = await enrollWithHistory(server, pan);
      const session = await sessionFor(server, cardholderId);
      const asked = "【mimamoriカード】ご利用確認のお願い。お心当たりがない場合はご連絡ください。";
      const before = await asCardholder(server, session, "POST", "/v1/cardholder/contact-checks", {
        input: asked,
        channel: "sms",
        receivedAt: "2026-11-20T12:00:00+09:00",
      });
      assert.equal(before.status, 200);
      const beforeCodes = codesOf(before.json as CheckJson);
      assert.ok(beforeCodes.includes("no_pending_confirmation"), beforeCodes.join());
      assert.ok(beforeCodes.includes("we_did_not_send_message"), beforeCodes.join());
      assert.equal(before.json.verdict, "suspicious");

      const held = await server.post("/v1/authorizations", suspicious(cardId, "contact-check-hold"));
      assert.equal(held.json.outcome, "hold");
      await server.platform.dispatcher.drainOnce();
      const after = await asCardholder(server, session, "POST", "/v1/cardholder/contact-checks", {
        input: asked,
        channel: "sms",
        receivedAt: "2026-11-20T12:05:00+09:00",
      });
      const afterCodes = codesOf(after.json as CheckJson);
      assert.ok(afterCodes.includes("pending_confirmation"), afterCodes.join());
      assert.ok(afterCodes.includes("we_sent_message"), afterCodes.join());

      const call = await asCardholder(server, session, "POST", "/v1/cardholder/contact-checks", {
        input: "092-303-5631",
        channel: "phone",
        receivedAt: "2026-11-20T12:05:00+09:00",
        language: "en",
      });
      assert.ok(codesOf(call.json as CheckJson).includes("we_did_not_call"));

      const anonymous = await server.app.inject({
        method: "POST",
        url: "/v1/cardholder/contact-checks",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ input: "x" }),
      });
      assert.equal(anonymous.statusCode, 401);
    } finally {
      await server.close();
    }
  });
});
