import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { findLinks } from "../contact-check/index.ts";
import { defaultTemplates, defaultTemplatesFor } from "./default-templates.ts";
import { kindSpecs, languages, messageKinds } from "./message-kinds.ts";
import {
  checkTemplate,
  checkTemplateSetSafe,
  defaultTemplatePolicy,
  isAllowedLink,
  loadTemplateSet,
  type TemplatePolicy,
  type TemplateRuleCode,
  validateTemplateSet,
} from "./template-rules.ts";
import { renderMessage } from "./templates.ts";
import { propertyParameters, sampleVariables } from "./test-support.ts";

const officialPolicy: TemplatePolicy = { allowedLinkDomain: "card.example.co.jp", smsLinkAllowed: false };

function codes(text: string, policy: TemplatePolicy = defaultTemplatePolicy): TemplateRuleCode[] {
  return checkTemplate(`【{issuerName}】${text}`, policy).map((violation) => violation.code);
}

describe("validateTemplateSet", () => {
  test("every default template, in every kind, channel and language, passes every rule", () => {
    assert.deepEqual(validateTemplateSet(defaultTemplates, defaultTemplatePolicy), []);
    assert.deepEqual(validateTemplateSet(defaultTemplates, officialPolicy), []);
    assert.deepEqual(checkTemplateSetSafe(defaultTemplates, defaultTemplatePolicy), { ok: true });
  });

  test("the default set has a template for every channel a kind uses, in both languages", () => {
    for (const kind of messageKinds) {
      for (const channel of kindSpecs[kind].channels) {
        for (const language of languages) {
          assert.ok(defaultTemplates[kind][channel]?.[language], `${kind}/${channel}/${language}`);
        }
      }
    }
  });
});

describe("checkTemplate: requests for secrets", () => {
  const requests: [string, TemplateRuleCode][] = [
    ["カード番号を返信してください。", "asks_for_card_number"],
    ["Reply with your card number.", "asks_for_card_number"],
    ["カード情報を再登録してください。", "asks_for_card_number"],
    ["Please update your card details.", "asks_for_card_number"],
    ["カード 番号をご入力ください。", "asks_for_card_number"],
    ["暗証番号を入力してください。", "asks_for_pin"],
    ["Please enter your PIN.", "asks_for_pin"],
    ["ＰＩＮを送信してください。", "asks_for_pin"],
    ["Type your P I N here.", "asks_for_pin"],
    ["CVVを入力してください。", "asks_for_security_code"],
    ["ＣＶＶを入力してください。", "asks_for_security_code"],
    ["ｾｷｭﾘﾃｨｺｰﾄﾞをお知らせください。", "asks_for_security_code"],
    ["Confirm the C.V.C on the back.", "asks_for_security_code"],
    ["Verify your security code now!", "asks_for_security_code"],
    ["パスワードを入力してください。", "asks_for_password"],
    ["Please confirm your password.", "asks_for_password"],
    ["ワンタイムパスワードを教えてください。", "asks_for_one_time_code"],
    ["認証コードを返信してください。", "asks_for_one_time_code"],
    ["Reply with the one-time code we sent.", "asks_for_one_time_code"],
    ["Send us your OTP.", "asks_for_one_time_code"],
  ];
  for (const [text, code] of requests) {
    test(`a template asking "${text}" is refused with ${code}`, () => {
      assert.ok(codes(text).includes(code), `${text} → ${codes(text).join(", ")}`);
    });
  }

  test("a request hidden in a clause after a warning is still a request", () => {
    assert.deepEqual(codes("Do not share your PIN, but please confirm your password."), [
      "asks_for_password",
    ]);
    assert.deepEqual(codes("他人には教えないでください、パスワードを返信してください。"), [
      "asks_for_password",
    ]);
  });

  test("a negation after the English verb does not turn a request into a warning", () => {
    assert.deepEqual(codes("Please confirm your PIN or your card will not work."), ["asks_for_pin"]);
  });

  test("every secret in a listed request is reported", () => {
    assert.deepEqual(codes("カード番号、暗証番号を入力してください。"), [
      "asks_for_card_number",
      "asks_for_pin",
    ]);
  });

  const warnings = [
    "当社がカード番号・暗証番号・パスワード・認証コードを伺うことはありません。",
    "暗証番号は他人に教えないでください。",
    "カード番号を入力しないでください。",
    "We will never ask for your card number, PIN, password or codes.",
    "We won't ask you to enter your PIN.",
    "Never reply with your card number.",
    "Do not share your one-time code with anyone.",
    "セキュリティコードをお聞きしません。",
    "Your card ending 1234 was used. Reply 1 if it was you.",
  ];
  for (const text of warnings) {
    test(`a warning or harmless sentence is accepted: "${text}"`, () => {
      assert.deepEqual(codes(text), []);
    });
  }

  test("checking never throws and reports only known codes, whatever the text", () => {
    const known = new Set<string>([
      "asks_for_card_number",
      "asks_for_pin",
      "asks_for_security_code",
      "asks_for_password",
      "asks_for_one_time_code",
      "has_link",
      "link_not_allowed_in_sms",
      "missing_issuer_name",
    ]);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        for (const violation of checkTemplate(text, officialPolicy)) {
          assert.ok(known.has(violation.code), violation.code);
        }
      }),
      propertyParameters,
    );
  });

  test("a request appended to any default template is caught, however it is padded", () => {
    const requests: [string, TemplateRuleCode][] = [
      ["カード番号を返信してください", "asks_for_card_number"],
      ["Reply with your card number", "asks_for_card_number"],
      ["ＣＶＶを入力してください", "asks_for_security_code"],
      ["Please enter your PIN", "asks_for_pin"],
      ["パスワードをご入力ください", "asks_for_password"],
    ];
    const templates = messageKinds.flatMap((kind) =>
      kindSpecs[kind].channels.flatMap((channel) =>
        languages.map((language) => ({
          kind,
          channel,
          body: defaultTemplates[kind][channel]?.[language]?.body ?? "",
        })),
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        fc.constantFrom(...requests),
        fc.constantFrom("", " ", "\n", "　"),
        fc.constantFrom("。", ".", "!", "！", ""),
        ({ kind, channel, body }, [request, code], padding, end) => {
          const text = `${body}\n${padding}${request}${end}`;
          const found = checkTemplate(text, defaultTemplatePolicy, { kind, channel }).map((v) => v.code);
          assert.ok(found.includes(code), `${kind}/${channel}: ${found.join(", ")}`);
        },
      ),
      propertyParameters,
    );
  });
});

describe("checkTemplate: links", () => {
  test("any URL or bare domain is refused when the issuer allows no link", () => {
    for (const link of [
      "https://examp1e-card.com/x",
      "bit.ly/abc",
      "www.example.com",
      "examp1e-card.com/login",
      "ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ",
      "http://192.168.0.1/x",
      "ログインはexample.comから",
    ]) {
      assert.deepEqual(codes(`ご確認は ${link} から。`), ["has_link"], link);
    }
  });

  test("an https link to the official domain or a subdomain passes, except in SMS", () => {
    const text = "【{issuerName}】詳しくは https://www.card.example.co.jp/help をご覧ください。";
    assert.deepEqual(
      checkTemplate(text, officialPolicy, { kind: "answer_received_mine", channel: "email" }),
      [],
    );
    assert.deepEqual(
      checkTemplate(text, officialPolicy, { kind: "answer_received_mine", channel: "sms" }).map(
        (v) => v.code,
      ),
      ["link_not_allowed_in_sms"],
    );
    const smsPolicy = { ...officialPolicy, smsLinkAllowed: true };
    assert.deepEqual(checkTemplate(text, smsPolicy, { kind: "answer_received_mine", channel: "sms" }), []);
  });

  test("a link that only looks official is refused", () => {
    for (const link of [
      "http://card.example.co.jp/x",
      "https://card.example.co.jp.evil.example/x",
      "https://evilcard.example.co.jp/x",
      "https://card.example.co.jp@evil.example/x",
      "card.example.co.jp/x",
    ]) {
      assert.equal(isAllowedLink(findLinks(link)[0] ?? "", officialPolicy), false, link);
      assert.deepEqual(codes(`詳しくは ${link} へ`, officialPolicy), ["has_link"], link);
    }
  });

  test("the {link} placeholder counts as the official link", () => {
    const target = { kind: "answer_received_mine", channel: "sms" } as const;
    const text = "【{issuerName}】詳しくは {link} をご覧ください。";
    assert.deepEqual(
      checkTemplate(text, defaultTemplatePolicy, target).map((v) => v.code),
      ["has_link"],
    );
    assert.deepEqual(
      checkTemplate(text, officialPolicy, target).map((v) => v.code),
      ["link_not_allowed_in_sms"],
    );
  });

  test("amounts, times and abbreviations are not mistaken for links", () => {
    assert.deepEqual(findLinks("US$12.34 at 14:03, e.g. the U.S. store. Thank you."), []);
  });
});

describe("checkTemplate: what a template must show", () => {
  test("a confirmation request without the security phrase or issuer name is refused", () => {
    const target = { kind: "confirmation_request", channel: "sms" } as const;
    const text = "ご利用確認 {localTime} {merchant} {amount} (末尾{last4})。";
    assert.deepEqual(
      checkTemplate(text, defaultTemplatePolicy, target).map((v) => v.code),
      ["missing_issuer_name", "missing_security_phrase"],
    );
  });
});

describe("loadTemplateSet", () => {
  test("start-up fails on an override asking for a card number, naming the template and the rule", () => {
    const overrides = {
      confirmation_request: {
        sms: {
          ja: {
            body: "【{issuerName}】{localTime} {merchant} {amount} (末尾{last4}) 合言葉: {securityPhrase}。カード番号を返信してください。",
          },
        },
      },
    };
    const result = loadTemplateSet(defaultTemplates, overrides, defaultTemplatePolicy);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.code, "unsafe_templates");
    assert.match(result.message, /confirmation_request\/sms\/ja breaks rule asks_for_card_number/);
  });

  test("a safe override replaces the default and the rest stay", () => {
    const body = "【{issuerName}】{merchant} {amount} (末尾{last4})のご回答を受け付けました。";
    const result = loadTemplateSet(
      defaultTemplates,
      { answer_received_mine: { sms: { ja: { body } } } },
      defaultTemplatePolicy,
    );
    assert.ok(result.ok);
    assert.equal(result.templates.answer_received_mine.sms?.ja.body, body);
    assert.deepEqual(
      result.templates.answer_received_mine.sms?.en,
      defaultTemplates.answer_received_mine.sms?.en,
    );
  });

  test("an override that could outgrow an SMS at the longest merchant name is refused", () => {
    const body = `【{issuerName}】{merchant} {amount} (末尾{last4})${"。ご回答ありがとうございます".repeat(40)}`;
    const result = loadTemplateSet(
      defaultTemplates,
      { answer_received_mine: { sms: { ja: { body } } } },
      defaultTemplatePolicy,
    );
    assert.ok(!result.ok);
    assert.match(result.message, /answer_received_mine\/sms\/ja breaks rule too_long/);
  });

  test("a malformed override file is refused with its code before any rule runs", () => {
    const result = loadTemplateSet(
      defaultTemplates,
      { confirmation_request: { fax: {} } },
      defaultTemplatePolicy,
    );
    assert.deepEqual(result.ok ? null : result.code, "unknown_channel");
  });
});

describe("the one-time link in the defaults", () => {
  const link = "https://card.example.co.jp/c/U-F5sCSA1sZVk2DABGeNDw";
  const smsPolicy: TemplatePolicy = { ...officialPolicy, smsLinkAllowed: true };

  test("with links off the defaults are the no-link set; on, the request carries {link} only where allowed", () => {
    assert.deepEqual(
      defaultTemplatesFor(defaultTemplatePolicy).confirmation_request,
      defaultTemplates.confirmation_request,
    );
    for (const [policy, linked] of [
      [officialPolicy, ["email"]],
      [smsPolicy, ["sms", "email"]],
    ] as const) {
      const set = defaultTemplatesFor(policy);
      assert.deepEqual(validateTemplateSet(set, policy), [], "the linked defaults pass every rule");
      for (const channel of kindSpecs.confirmation_request.channels) {
        for (const language of languages) {
          const body = set.confirmation_request[channel]?.[language]?.body ?? "";
          assert.equal(
            body.includes("{link}"),
            (linked as readonly string[]).includes(channel),
            `${channel}/${language}`,
          );
        }
      }
    }
  });

  test("a linked request renders with exactly the one official link, on SMS and e-mail, in both languages", () => {
    const set = defaultTemplatesFor(smsPolicy);
    for (const channel of ["sms", "email"] as const) {
      for (const language of languages) {
        const variables = { ...sampleVariables("confirmation_request", language), link };
        const message = renderMessage(set, { kind: "confirmation_request", channel, language, variables });
        assert.deepEqual(findLinks(message.body), [link], `${channel}/${language}`);
      }
    }
  });

  test("only the confirmation request may show {link}: a notice that did would have no link to show", () => {
    const body = "【{issuerName}】{merchant} {amount} (末尾{last4}) 詳しくは {link}";
    const result = loadTemplateSet(
      defaultTemplates,
      { answer_received_mine: { email: { ja: { subject: "【{issuerName}】", body } } } },
      officialPolicy,
    );
    assert.deepEqual(result.ok ? null : result.code, "unknown_placeholder");
  });
});
