import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { findLinks } from "../contact-check/index.ts";
import { currencies } from "../money/index.ts";
import { AssertionError } from "../platform/assert.ts";
import { defaultTemplates } from "./default-templates.ts";
import { formatAmount, formatConfirmationList, formatLocalTime } from "./formatting.ts";
import { kindSpecs, languages, messageKinds } from "./message-kinds.ts";
import { applyTemplateOverrides, loadTemplateOverrides, renderMessage } from "./templates.ts";
import { propertyParameters, purchaseAtMs, sample, sampleVariables } from "./test-support.ts";

describe("renderMessage", () => {
  test("every default template renders whole: no placeholder left, the card, merchant and amount shown", () => {
    for (const kind of messageKinds) {
      for (const channel of kindSpecs[kind].channels) {
        for (const language of languages) {
          const where = `${kind}/${channel}/${language}`;
          const variables = sampleVariables(kind, language);
          const message = renderMessage(defaultTemplates, { kind, channel, language, variables });
          const text = `${message.subject ?? ""}\n${message.body}`;
          assert.doesNotMatch(text, /[{}]/, where);
          assert.ok(text.includes(sample.issuerName), `${where} names the issuer`);
          assert.equal(
            message.subject === null,
            channel === "sms",
            `${where} has a subject unless it is an SMS`,
          );
          for (const shown of ["last4", "merchant", "amount", "localTime", "securityPhrase"] as const) {
            if ((kindSpecs[kind].shown as readonly string[]).includes(shown)) {
              assert.ok(
                text.includes((variables as Record<string, string>)[shown] ?? "?"),
                `${where} shows ${shown}`,
              );
            }
          }
          if (channel === "sms") {
            // The one exception is the origin-bound line of a code, which names our domain only.
            const expected = "officialDomain" in variables ? [variables.officialDomain] : [];
            assert.deepEqual(findLinks(message.body), expected, `${where} has no link`);
          }
          if ("code" in variables) {
            assert.equal(
              message.body.split("\n").at(-1),
              `@${variables.officialDomain} #${variables.code}`,
              `${where} ends with the origin-bound code line`,
            );
          }
        }
      }
    }
  });

  test("a confirmation request shows merchant, amount, time, last 4 and the security phrase everywhere", () => {
    for (const channel of ["sms", "email", "push"] as const) {
      for (const language of languages) {
        const variables = sampleVariables("confirmation_request", language);
        const message = renderMessage(defaultTemplates, {
          kind: "confirmation_request",
          channel,
          language,
          variables,
        });
        const text = `${message.subject ?? ""}\n${message.body}`;
        for (const value of [
          sample.merchant,
          sample.last4,
          sample.securityPhrase,
          variables.amount,
          variables.localTime,
        ]) {
          assert.ok(text.includes(value), `${channel}/${language} shows ${value}`);
        }
      }
    }
  });

  test("the Japanese SMS reads like the proposal in the research notes", () => {
    const message = renderMessage(defaultTemplates, {
      kind: "confirmation_request",
      channel: "sms",
      language: "ja",
      variables: sampleVariables("confirmation_request", "ja"),
    });
    assert.ok(
      message.body.startsWith("【みまもりカード】ご利用確認 6/12 14:03 さくらストア 12,800円 (末尾1234)。"),
    );
    assert.match(message.body, /「1」、ない場合は「2」を返信/);
    assert.match(message.body, /合言葉: 青い自転車/);
    assert.match(message.body, /カード番号・暗証番号・パスワード・認証コードを伺うことはありません/);
  });

  test("a missing or unknown variable is a bug, not a message with a hole", () => {
    const variables = sampleVariables("confirmation_request", "ja");
    const { securityPhrase: _left, ...withoutPhrase } = variables;
    assert.throws(
      () =>
        renderMessage(defaultTemplates, {
          kind: "confirmation_request",
          channel: "sms",
          language: "ja",
          variables: withoutPhrase as typeof variables,
        }),
      AssertionError,
    );
    assert.throws(
      () =>
        renderMessage(defaultTemplates, {
          kind: "reply_not_understood",
          channel: "sms",
          language: "ja",
          variables: { issuerName: "x", merchant: "y" } as { issuerName: string },
        }),
      AssertionError,
    );
    assert.throws(
      () =>
        renderMessage(defaultTemplates, {
          kind: "reply_not_understood",
          channel: "email",
          language: "ja",
          variables: { issuerName: "x" },
        }),
      AssertionError,
    );
  });

  test("a merchant name cannot forge lines or expand into another variable", () => {
    const variables = {
      ...sampleVariables("confirmation_request", "ja"),
      merchant: "SHOP\n【重要】{securityPhrase}\u202Eevil",
    };
    const message = renderMessage(defaultTemplates, {
      kind: "confirmation_request",
      channel: "sms",
      language: "ja",
      variables,
    });
    assert.ok(message.body.includes("SHOP 【重要】{securityPhrase} evil"));
  });
});

describe("formatAmount", () => {
  const cases: [number, string, string, string][] = [
    [12_800, "JPY", "12,800円", "JPY 12,800"],
    [0, "JPY", "0円", "JPY 0"],
    [1_234, "USD", "US$12.34", "USD 12.34"],
    [5, "USD", "US$0.05", "USD 0.05"],
    [123_456_789, "EUR", "€1,234,567.89", "EUR 1,234,567.89"],
    [999, "GBP", "£9.99", "GBP 9.99"],
    [15_000, "KRW", "₩15,000", "KRW 15,000"],
    [8_800, "CNY", "CN¥88.00", "CNY 88.00"],
    [50_000, "TWD", "NT$500.00", "TWD 500.00"],
    [12_000, "HKD", "HK$120.00", "HKD 120.00"],
    [1_050, "SGD", "S$10.50", "SGD 10.50"],
    [2_500, "AUD", "A$25.00", "AUD 25.00"],
    [12_345, "BHD", "BHD 12.345", "BHD 12.345"],
    [12_345, "XYZ", "XYZ 123.45", "XYZ 123.45"],
  ];
  for (const [amountMinor, currency, ja, en] of cases) {
    test(`${amountMinor} ${currency} reads ${ja} in Japanese and ${en} in English`, () => {
      assert.equal(formatAmount(amountMinor, currency, "ja"), ja);
      assert.equal(formatAmount(amountMinor, currency, "en"), en);
    });
  }

  test("the digits shown are exactly the minor units, for any amount and currency", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.constantFrom(...Object.keys(currencies), "XYZ"),
        fc.constantFrom(...languages),
        (amountMinor, currency, language) => {
          const text = formatAmount(amountMinor, currency, language);
          assert.equal(BigInt(text.replace(/\D/g, "")), BigInt(amountMinor), text);
          assert.ok(text.length <= 24, text);
        },
      ),
      propertyParameters,
    );
  });
});

describe("formatLocalTime", () => {
  test("shows the purchase in the cardholder's own time zone", () => {
    assert.equal(formatLocalTime(purchaseAtMs, "Asia/Tokyo", "ja"), "6/12 14:03");
    assert.equal(formatLocalTime(purchaseAtMs, "Asia/Tokyo", "en"), "Jun 12, 14:03");
    assert.equal(formatLocalTime(purchaseAtMs, "America/New_York", "en"), "Jun 12, 01:03");
    assert.equal(formatLocalTime(Date.UTC(2026, 0, 1, 15, 0), "Asia/Tokyo", "ja"), "1/2 00:00");
  });

  test("an unknown time zone is a bug", () => {
    assert.throws(() => formatLocalTime(purchaseAtMs, "Mars/Olympus", "ja"), AssertionError);
  });
});

describe("formatConfirmationList", () => {
  test("lists at most the configured number of confirmations and says how many are left out", () => {
    const entry = {
      reference: "A7K",
      merchant: "とても長い名前のお店でございますよ本当に長いです",
      amount: "12,800円",
      localTime: "6/12 14:03",
    };
    const list = formatConfirmationList([entry, entry, entry, entry, entry], "ja");
    const lines = list.split("\n");
    assert.equal(lines.length, 4);
    assert.equal(lines[3], "・ほか2件はアプリでご回答ください");
    assert.ok(lines[0]?.includes("…"), "long merchant names are cut");
  });
});

describe("loadTemplateOverrides", () => {
  const ok = { confirmation_request: { sms: { en: { body: "[{issuerName}] {merchant}" } } } };

  test("reads a well-formed override and applies it over the defaults", () => {
    const result = loadTemplateOverrides(ok);
    assert.ok(result.ok);
    const set = applyTemplateOverrides(defaultTemplates, result.overrides);
    assert.equal(set.confirmation_request.sms?.en.body, "[{issuerName}] {merchant}");
    assert.notEqual(defaultTemplates.confirmation_request.sms?.en.body, "[{issuerName}] {merchant}");
  });

  const bad: [string, unknown, string][] = [
    ["not an object", [], "invalid_overrides"],
    ["an unknown kind", { fraud_alert: {} }, "unknown_kind"],
    ["an unknown channel", { confirmation_request: { fax: {} } }, "unknown_channel"],
    ["a channel the kind does not use", { reply_not_understood: { email: {} } }, "unknown_channel"],
    ["an unknown language", { confirmation_request: { sms: { fr: { body: "x" } } } }, "unknown_language"],
    [
      "an unknown placeholder",
      { confirmation_request: { sms: { ja: { body: "{cardNumber}" } } } },
      "unknown_placeholder",
    ],
    [
      "a placeholder of another kind",
      { reply_not_understood: { sms: { ja: { body: "{merchant}" } } } },
      "unknown_placeholder",
    ],
    ["a stray brace", { confirmation_request: { sms: { ja: { body: "{merchant" } } } }, "invalid_template"],
    [
      "an e-mail without subject",
      { confirmation_request: { email: { ja: { body: "x" } } } },
      "invalid_template",
    ],
    [
      "an SMS with a subject",
      { confirmation_request: { sms: { ja: { subject: "s", body: "x" } } } },
      "invalid_template",
    ],
    [
      "an unknown field",
      { confirmation_request: { sms: { ja: { body: "x", html: "<b>" } } } },
      "invalid_template",
    ],
    ["an empty body", { confirmation_request: { sms: { ja: { body: " " } } } }, "invalid_template"],
  ];
  for (const [what, json, code] of bad) {
    test(`an override file with ${what} is refused with ${code}`, () => {
      const result = loadTemplateOverrides(json);
      assert.equal(result.ok ? "ok" : result.code, code);
    });
  }
});
