import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultTemplates, defaultTemplatesFor } from "./default-templates.ts";
import { createOwnMessageRecognizer, sampleMessages } from "./own-messages.ts";

const fixed = { issuerName: "mimamoriカード", officialDomain: "mimamori-card.example" };
const recognize = createOwnMessageRecognizer(defaultTemplates, fixed);
const samples = sampleMessages(defaultTemplates, fixed);
const confirmationSms = samples.find(
  (sample) => sample.kind === "confirmation_request" && sample.channel === "sms" && sample.language === "ja",
);

describe("createOwnMessageRecognizer", () => {
  test("every message we send is recognised as ours, with its kind, channel and language", () => {
    assert.ok(samples.length > 40);
    for (const sample of samples) {
      const match = recognize(sample.text);
      assert.ok(match !== null, `${sample.kind}/${sample.channel}/${sample.language} not recognised`);
      assert.equal(match.kind, sample.kind);
      assert.equal(match.language, sample.language);
    }
  });

  test("pasting reflows text: other line breaks, indentation and full-width characters still match", () => {
    assert.ok(confirmationSms !== undefined);
    const reflowed = `  ${confirmationSms.text.replace(/\n/g, "\n\n   ").replace("1234", "１２３４")}  `;
    assert.equal(recognize(reflowed)?.kind, "confirmation_request");
  });

  test("the filled-in values are returned, so the checker can read them as a stranger's words", () => {
    assert.ok(confirmationSms !== undefined);
    const match = recognize(confirmationSms.text);
    assert.equal(match?.values.merchant, "SAMPLE STORE");
    assert.equal(match?.values.last4, "1234");
    assert.equal(match?.values.reference, "A7K");
  });

  test("a genuine notice with anything added, removed or reworded is no longer ours", () => {
    assert.ok(confirmationSms !== undefined);
    for (const forged of [
      `${confirmationSms.text}\nhttps://mimamori-card.example.evil.cn/login`,
      confirmationSms.text.replace("返信", "このURLからご回答"),
      confirmationSms.text.split("\n").slice(1).join("\n"),
      confirmationSms.text.replace("mimamoriカード", "みまもりカード"),
    ]) {
      assert.equal(recognize(forged), null, forged);
    }
  });

  test("a last-4 slot filled with anything but four digits does not match", () => {
    assert.ok(confirmationSms !== undefined);
    assert.equal(recognize(confirmationSms.text.replace("末尾1234", "末尾12a4")), null);
  });

  test("the link variant's templates are recognised with their official link", () => {
    const policy = { allowedLinkDomain: "mimamori-card.example", smsLinkAllowed: true };
    const set = defaultTemplatesFor(policy);
    const recognizeLinked = createOwnMessageRecognizer(set, fixed);
    for (const sample of sampleMessages(set, fixed)) {
      assert.equal(recognizeLinked(sample.text)?.kind, sample.kind);
    }
  });
});
