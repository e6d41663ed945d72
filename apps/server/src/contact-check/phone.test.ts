import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import fc from "fast-check";
import { propertyParameters } from "../platform/property-parameters.ts";
import {
  analyzePhoneNumber,
  findPhoneNumbers,
  type PhoneSignalCode,
  phoneReasonMessages,
  phoneSignals,
} from "./phone.ts";
import { indexRegistry, loadContactRegistry, type RegistryIndex, registryPaths } from "./registry.ts";

let rakuten: RegistryIndex;
let demo: RegistryIndex;

before(async () => {
  const [rakutenResult, demoResult] = await Promise.all([
    loadContactRegistry(registryPaths.rakutenCardExample),
    loadContactRegistry(registryPaths.demoIssuer),
  ]);
  assert.ok(rakutenResult.ok && demoResult.ok);
  rakuten = indexRegistry(rakutenResult.value);
  demo = indexRegistry(demoResult.value);
});

function codesOf(raw: string, index: RegistryIndex, context: "input" | "in_text" = "input"): string[] {
  return phoneSignals(analyzePhoneNumber(raw, index), context).map(
    (signal) => `${signal.code}/${signal.severity}`,
  );
}

describe("registered numbers", () => {
  test("0570-66-6910 is Rakuten Card's contact center, with its purpose, hours and cost", () => {
    const [signal, ...rest] = phoneSignals(analyzePhoneNumber("0570-66-6910", rakuten), "input");
    assert.equal(rest.length, 0);
    assert.equal(signal?.code, "registered_phone");
    assert.equal(signal?.severity, "official");
    assert.match(signal?.params.purposeJa ?? "", /コンタクトセンター/);
    assert.equal(signal?.params.hoursJa, "毎日 9:30〜17:30");
    assert.equal(signal?.params.hoursEn, "Every day 9:30–17:30");
    assert.equal(signal?.params.cost, "navi_dial");
    assert.equal(signal?.params.direction, "you_call_us");
    const en = signal === undefined ? "" : phoneReasonMessages.registered_phone.en(signal.params);
    assert.match(en, /^0570-66-6910 is one of our numbers \(Contact center/);
    assert.match(en, /Navi Dial/);
  });

  test("full-width digits, any dash, spaces, +81 and +81 (0) all find the same line", () => {
    const forms = [
      "0570666910",
      "０５７０－６６－６９１０",
      "０５７０ー６６ー６９１０",
      "0570‐66‐6910",
      "0570 66 6910",
      "+81 570 66 6910",
      "+81-570-66-6910",
      "+81 (0)570-66-6910",
      "＋８１（０）５７０６６６９１０",
      "tel:+81570666910",
    ];
    for (const form of forms) {
      const analysis = analyzePhoneNumber(form, rakuten);
      assert.equal(analysis.e164, "+81570666910", form);
      assert.equal(analysis.registered?.id, "contact-center", form);
    }
  });

  test("a registered number inside a message is context, never official", () => {
    assert.deepEqual(codesOf("092-303-5631", rakuten, "in_text"), ["registered_phone/info"]);
    assert.deepEqual(codesOf("092-303-5631", rakuten, "input"), ["registered_phone/official"]);
  });

  test("a line that only calls out says so, and gives no hours to call it in", () => {
    const [signal] = phoneSignals(analyzePhoneNumber("050-1808-4005", rakuten), "input");
    assert.equal(signal?.params.direction, "we_call_you");
    const ja = signal === undefined ? "" : phoneReasonMessages.registered_phone.ja(signal.params);
    assert.match(ja, /当社からお客様へおかけする番号です/);
    assert.doesNotMatch(ja, /受付時間/);
  });

  test("the retired free dial is recognised as ours once, with a caution and what replaced it", () => {
    const [signal, ...rest] = phoneSignals(analyzePhoneNumber("0120-30-6910", rakuten), "input");
    assert.equal(rest.length, 0);
    assert.equal(signal?.code, "retired_phone");
    assert.equal(signal?.severity, "caution");
    assert.match(
      signal === undefined ? "" : phoneReasonMessages.retired_phone.en(signal.params),
      /0570-66-6910/,
    );
  });

  test("any spelling of any registered line finds that line (property)", (t) => {
    const parameters = propertyParameters(300);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    const lines = [...rakuten.registry.phones, ...demo.registry.phones].map((phone) => ({
      phone,
      index: rakuten.registry.phones.includes(phone) ? rakuten : demo,
    }));
    const separator = fc.constantFrom("", "-", " ", "－", "ー", "‐", "　");
    fc.assert(
      fc.property(
        fc.constantFrom(...lines),
        fc.boolean(),
        fc.boolean(),
        fc.array(separator, { minLength: 12, maxLength: 12 }),
        ({ phone, index }, isInternational, isFullWidth, separators) => {
          const national = `0${phone.e164.slice(3)}`;
          const digits = isInternational ? phone.e164.slice(3) : national;
          const spaced = [...digits]
            .map((digit, at) => `${at === 0 ? "" : (separators[at] ?? "")}${digit}`)
            .join("");
          let written = isInternational ? `+81${separators[0] ?? ""}${spaced}` : spaced;
          if (isFullWidth) {
            written = written.replace(/[0-9+]/g, (char) =>
              String.fromCharCode((char.codePointAt(0) ?? 0) + 0xfee0),
            );
          }
          const analysis = analyzePhoneNumber(written, index);
          assert.equal(analysis.registered?.id, phone.id, written);
        },
      ),
      { ...parameters, seed },
    );
  });
});

describe("SMS senders", () => {
  test("SoftBank short codes and their +81 forms are registered senders, not invalid numbers", () => {
    for (const sender of ["21092", "32069000", "0032069000", "244070", "+8132069000", "２１０９２"]) {
      assert.deepEqual(codesOf(sender, rakuten), ["registered_sms_sender/official"], sender);
    }
    assert.deepEqual(codesOf("21092", rakuten, "in_text"), ["registered_sms_sender/info"]);
  });

  test("a number listed only as an SMS sender is ours as a sender", () => {
    const analysis = analyzePhoneNumber("092-303-5950", rakuten);
    assert.equal(analysis.registered, null);
    assert.equal(analysis.smsSender?.sender, "0923035950");
    assert.deepEqual(codesOf("092-303-5950", rakuten), ["registered_sms_sender/official"]);
  });
});

describe("numbers that are not ours", () => {
  test("an unknown domestic number is not ours, and the reason says that alone is not a scam", () => {
    const signals = phoneSignals(analyzePhoneNumber("03-1234-5678", rakuten), "input");
    assert.deepEqual(
      signals.map((signal) => `${signal.code}/${signal.severity}`),
      ["phone_not_registered/info"],
    );
    const [signal] = signals;
    assert.match(
      signal === undefined ? "" : phoneReasonMessages.phone_not_registered.en(signal.params),
      /does not make it a scam/,
    );
    assert.match(
      signal === undefined ? "" : phoneReasonMessages.phone_not_registered.ja(signal.params),
      /詐欺とは限りません/,
    );
  });

  test("a number from abroad about a domestic card is a caution, with its country", () => {
    const signals = phoneSignals(analyzePhoneNumber("+1 415 555 2671", rakuten), "input");
    assert.deepEqual(
      signals.map((signal) => `${signal.code}/${signal.severity}`),
      ["phone_not_registered/info", "phone_international/caution"],
    );
    assert.equal(signals[1]?.params.country, "US");
    assert.equal(analyzePhoneNumber("+44 20 7946 0958", rakuten).cost, "international");
  });

  test("an unregistered 050 number is an IP phone, which is information and not an accusation", () => {
    assert.deepEqual(codesOf("050-1234-5678", rakuten), ["phone_not_registered/info", "phone_ip_phone/info"]);
    assert.deepEqual(codesOf("090-1234-5678", rakuten), ["phone_not_registered/info"]);
  });

  test("something that is not a phone number is a caution, not a registry miss", () => {
    assert.deepEqual(codesOf("0120-12", rakuten), ["phone_invalid/caution"]);
    assert.deepEqual(codesOf("12345", rakuten), ["phone_invalid/caution"]);
    const analysis = analyzePhoneNumber("0120-12", rakuten);
    assert.equal(analysis.valid, false);
    assert.equal(analysis.e164, null);
    assert.equal(analysis.cost, null);
  });

  test("each number type gives its cost: free dial, navi dial, IP phone, mobile, geographic", () => {
    const cases: readonly [string, string][] = [
      ["0120-444-444", "free_dial"],
      ["0800-123-4567", "free_dial"],
      ["0570-012-345", "navi_dial"],
      ["050-1234-5678", "ip_phone"],
      ["080-1234-5678", "mobile"],
      ["06-1234-5678", "geographic"],
    ];
    for (const [number, cost] of cases) {
      assert.equal(analyzePhoneNumber(number, rakuten).cost, cost, number);
    }
  });
});

describe("numbers in a text", () => {
  test("numbers and bare registered short codes are found; amounts and dates are not", () => {
    const text =
      "【楽天カード】2025-10-07 ご利用金額 12,800円。お問い合わせは０５７０－６６－６９１０ または +81 92 474 9255 へ。送信元 21092";
    assert.deepEqual(findPhoneNumbers(text, rakuten), [
      "０５７０－６６－６９１０",
      "+81 92 474 9255",
      "21092",
    ]);
  });

  test("a short code that is not ours is not a number in a text", () => {
    assert.deepEqual(findPhoneNumbers("送信元 21093 からのSMS", rakuten), []);
    assert.deepEqual(findPhoneNumbers("送信元 21092 からのSMS", demo), []);
  });
});

describe("the reasons' words", () => {
  const params = {
    number: "03-1234-5678",
    country: "US",
    purposeJa: "窓口",
    purposeEn: "desk",
    direction: "you_call_us",
    hoursJa: "24時間365日",
    hoursEn: "24 hours a day, every day",
    cost: "free_dial",
    sendsSms: "false",
    sender: "21092",
    noteJa: "注記。",
    noteEn: "A note.",
    retiredOn: "2025-02-01",
  };

  test("every reason is calm and points back to the card or our directory, never to the number it shows", () => {
    const codes = Object.keys(phoneReasonMessages) as PhoneSignalCode[];
    for (const code of codes) {
      for (const language of ["ja", "en"] as const) {
        const text = phoneReasonMessages[code][language](params);
        assert.ok(text.length > 10, `${code}/${language} is empty`);
        assert.doesNotMatch(text, /[!！]|至急|URGENT|immediately/i, `${code}/${language}: ${text}`);
        assert.doesNotMatch(text, /undefined/, `${code}/${language}: ${text}`);
      }
    }
    for (const code of [
      "phone_not_registered",
      "phone_invalid",
      "phone_international",
      "retired_phone",
    ] as const) {
      assert.match(phoneReasonMessages[code].ja(params), /カード裏面/);
      assert.match(phoneReasonMessages[code].en(params), /back of your card/);
    }
  });
});
