import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type TextSignalCode, textSignals } from "./text-cues.ts";

const context = { ownBrands: ["楽天カード", "Rakuten Card"] };

function codes(text: string): TextSignalCode[] {
  return textSignals(text, context).map((signal) => signal.code);
}

/** Each cue in Japanese and in English, as phishing texts word it. */
const cueCases: readonly [TextSignalCode, string, string][] = [
  [
    "asks_for_card_number",
    "本人確認のため、下記よりカード番号をご入力ください。",
    "To verify your identity, enter your card number below.",
  ],
  ["asks_for_expiry", "カードの有効期限を入力してください。", "Please confirm your card's expiry date."],
  [
    "asks_for_security_code",
    "カード裏面のセキュリティコードを返信してください。",
    "Reply with the 3-digit security code on the back of your card.",
  ],
  ["asks_for_pin", "暗証番号を教えてください。", "Tell us your PIN to unlock the card."],
  ["asks_for_password", "ログインパスワードを入力の上、ご確認ください。", "Update your password here."],
  [
    "asks_for_one_time_code",
    "届いた認証コードを担当者にお伝えください。",
    "Please read out the verification code we just sent you.",
  ],
  [
    "asks_for_bank_account",
    "返金のため口座番号をご登録ください。",
    "Provide your bank account details for the refund.",
  ],
  [
    "police_will_contact",
    "楽天カードです。後ほど警察から電話があります。",
    "This is Rakuten Card. The police will contact you later today.",
  ],
  [
    "threatens_legal_action",
    "お支払いがない場合、法的措置に移行します。",
    "If you do not pay, we will take legal action.",
  ],
  [
    "asks_to_hand_over_card_or_money",
    "捜査のため、係員がキャッシュカードをお預かりに伺います。",
    "An officer will collect your card; transfer your savings to a safe account.",
  ],
  [
    "asks_for_remote_access",
    "解除のため遠隔操作アプリをインストールしてください。",
    "Install AnyDesk so we can fix your account.",
  ],
  [
    "claims_account_suspension",
    "お客様のカードのご利用を一部制限しております。",
    "Your account has been suspended due to unusual activity.",
  ],
  ["demands_overdue_payment", "未納料金が発生しています。", "You have an unpaid balance of 52,000 yen."],
  ["urgency", "【重要】至急ご対応ください。", "URGENT: act now."],
  ["deadline", "24時間以内にご確認がない場合、カードが停止されます。", "Confirm within 24 hours."],
];

describe("textSignals: each cue in Japanese and English", () => {
  for (const [code, ja, en] of cueCases) {
    test(`${code} is found in Japanese`, () => {
      assert.ok(codes(ja).includes(code), `${codes(ja).join(",")} for ${ja}`);
    });
    test(`${code} is found in English`, () => {
      assert.ok(codes(en).includes(code), `${codes(en).join(",")} for ${en}`);
    });
  }
});

describe("textSignals: what genuine notices say does not count against them", () => {
  const genuine = [
    "【楽天カード】12月ご請求金額が確定しました。明細は楽天e-NAVIでご確認いただけます。",
    "【楽天カード】お支払い日は12月27日です。ご指定口座の残高をご確認ください。",
    "当社がメール・SMS・電話でカード番号、暗証番号、セキュリティコード、パスワード、認証コードを伺うことはありません。",
    "当社が「後ほど警察から電話がある」とご案内することはありません。",
    "We will never ask for your card number, PIN, security code or one-time code.",
    "Your December statement is ready. Sign in to the app to view it.",
    "Your payment of 12,800 yen is due on December 27.",
    "認証コードは 482913 です(有効期限10分)。他人に教えないでください。",
    "Police will never call you on our behalf.",
  ];
  for (const text of genuine) {
    test(`no cue in «${text.slice(0, 40)}»`, () => {
      assert.deepEqual(codes(text), []);
    });
  }
});

describe("textSignals: brand mixing", () => {
  test("a notice in two card companies' names is flagged; our own names in two forms are not", () => {
    assert.ok(codes("【楽天カード】三井住友カードのご利用確認").includes("brand_mixing"));
    assert.ok(!codes("楽天カード (Rakuten Card) のご利用確認").includes("brand_mixing"));
    assert.ok(codes("Rakuten Card: American Express account review").includes("brand_mixing"));
  });
});

describe("textSignals: weight", () => {
  test("a cue repeated in many sentences is reported once", () => {
    const text = "至急ご確認ください。至急です。至急!";
    assert.deepEqual(codes(text), ["urgency"]);
  });

  test("full-width and spaced-out secrets are still read: ＣＶＶ, P I N", () => {
    assert.ok(codes("ＣＶＶを入力してください").includes("asks_for_security_code"));
    assert.ok(codes("Send us your P I N now").includes("asks_for_pin"));
  });
});
