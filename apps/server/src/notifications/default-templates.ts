/**
 * The messages mimamori sends when an issuer overrides nothing. They follow the anti-phishing
 * advice of the research notes (§2.3): the issuer's name first, the transaction and the card's
 * last four digits, the cardholder's security phrase, no link (unless the issuer's policy allows
 * its one-time link: `defaultTemplatesFor`), an answer by SMS reply or in the app, and a plain
 * statement that we never ask for card numbers, PINs, passwords or codes.
 * Start-up checks these with the same rules as any override, so they cannot drift into unsafe.
 */
import type { Language, Template, TemplateSet } from "./message-kinds.ts";
import { allowsLinkOn, type TemplatePolicy } from "./template-rules.ts";

const lines = (...parts: string[]): string => parts.join("\n");

type LanguageTemplates = Readonly<Record<Language, Template>>;

const neverAskJa =
  "当社がメール・SMS・電話でカード番号、暗証番号、セキュリティコード、パスワード、認証コードを伺うことはありません。";
const neverAskEn =
  "We will never ask for your card number, PIN, security code, password or one-time code by e-mail, text message or phone.";

/**
 * The confirmation request by SMS and by e-mail, around how the cardholder may answer: the
 * default and the variant with the one-time link (below) differ in that part only.
 */
function confirmationSms(answerJa: readonly string[], answerEn: readonly string[]): LanguageTemplates {
  return {
    ja: {
      subject: null,
      body: lines(
        "【{issuerName}】ご利用確認 {localTime} {merchant} {amount} (末尾{last4})。",
        ...answerJa,
        "合言葉: {securityPhrase}",
        "当社がカード番号・暗証番号・パスワード・認証コードを伺うことはありません。",
      ),
    },
    en: {
      subject: null,
      body: lines(
        "[{issuerName}] Was this you? {localTime} {merchant} {amount} (card ending {last4}).",
        ...answerEn,
        "Security phrase: {securityPhrase}",
        "We never ask for your card number, PIN, password or codes.",
      ),
    },
  };
}

function confirmationEmail(answerJa: readonly string[], answerEn: readonly string[]): LanguageTemplates {
  return {
    ja: {
      subject: "【{issuerName}】カードご利用確認のお願い (末尾{last4})",
      body: lines(
        "{issuerName}をご利用いただきありがとうございます。",
        "",
        "不正利用の可能性があるため、次のご利用を一時的に保留しています。",
        "",
        "  日時: {localTime}",
        "  ご利用先: {merchant}",
        "  金額: {amount}",
        "  カード: 末尾{last4}",
        "  照会番号: {reference}",
        "",
        "このメールが当社からのものである証として、ご登録の合言葉を表示しています: {securityPhrase}",
        "合言葉が違う場合、このメールは当社からのものではありません。開かずに削除してください。",
        "",
        "ご回答の方法",
        ...answerJa,
        "",
        neverAskJa,
      ),
    },
    en: {
      subject: "[{issuerName}] Please confirm a purchase (card ending {last4})",
      body: lines(
        "Thank you for using {issuerName}.",
        "",
        "We have put the following purchase on hold because it may not have been made by you.",
        "",
        "  Time: {localTime}",
        "  Merchant: {merchant}",
        "  Amount: {amount}",
        "  Card: ending {last4}",
        "  Reference: {reference}",
        "",
        "To show that this e-mail is from us, here is your security phrase: {securityPhrase}",
        "If the phrase is wrong, this e-mail is not from us: delete it.",
        "",
        "How to answer",
        ...answerEn,
        "",
        neverAskEn,
      ),
    },
  };
}

const appAndSmsAnswerJa = [
  "  ・{issuerName}のアプリまたは会員サイトにログインしてご回答ください。ブックマークまたは公式アプリから開いてください。",
  "  ・または、当社からのSMSに、お心当たりがあれば「1」、ない場合は「2」と返信してください。",
];
const appAndSmsAnswerEn = [
  "  - Sign in to the {issuerName} app or website and answer there. Open them from your bookmark or the official app.",
  "  - Or reply to our text message with 1 if it was you, or 2 if it was not.",
];

export const defaultTemplates: TemplateSet = {
  confirmation_request: {
    sms: confirmationSms(
      [
        "お心当たりがあれば「1」、ない場合は「2」を返信、またはアプリでご回答ください(照会番号 {reference})。",
      ],
      ["Reply 1 if it was you, 2 if not, or answer in our app (ref {reference})."],
    ),
    email: confirmationEmail(
      [
        ...appAndSmsAnswerJa,
        "このメールのリンクをクリックする必要はありません。このメールにはリンクを記載していません。",
      ],
      [...appAndSmsAnswerEn, "You do not need to click any link. This e-mail contains no links."],
    ),
    push: {
      ja: {
        subject: "{issuerName} ご利用確認",
        body: "{localTime} {merchant} {amount} (末尾{last4})。ご本人のご利用かアプリでご回答ください。合言葉: {securityPhrase}",
      },
      en: {
        subject: "{issuerName}: was this you?",
        body: "{amount} at {merchant}, {localTime} (card ending {last4}). Answer in the app. Security phrase: {securityPhrase}",
      },
    },
  },

  answer_received_mine: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】ご回答ありがとうございます。{merchant} {amount} (末尾{last4})はご本人のご利用として保留を解除しました。",
          "お支払いが済んでいない場合は、もう一度お試しください。",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] Thank you. {amount} at {merchant} (card ending {last4}) is marked as yours and no longer on hold.",
          "If the payment did not go through, please try again.",
        ),
      },
    },
    email: {
      ja: {
        subject: "【{issuerName}】ご利用確認へのご回答を受け付けました",
        body: lines(
          "{issuerName}をご利用いただきありがとうございます。",
          "",
          "{merchant} {amount} (カード末尾{last4})について、ご本人のご利用とのご回答を受け付け、保留を解除しました。",
          "お支払いが済んでいない場合は、もう一度お試しください。カードは引き続きご利用いただけます。",
          "",
          neverAskJa,
        ),
      },
      en: {
        subject: "[{issuerName}] Thank you for confirming your purchase",
        body: lines(
          "Thank you for using {issuerName}.",
          "",
          "You told us that {amount} at {merchant} (card ending {last4}) was yours, and we have released the hold.",
          "If the payment did not go through, please try again. You can keep using your card.",
          "",
          neverAskEn,
        ),
      },
    },
    push: {
      ja: {
        subject: "{issuerName} ご回答ありがとうございます",
        body: "{merchant} {amount} (末尾{last4})の保留を解除しました。",
      },
      en: {
        subject: "{issuerName}: thank you",
        body: "{amount} at {merchant} (card ending {last4}) is no longer on hold.",
      },
    },
  },

  answer_received_not_mine: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】ご回答ありがとうございます。{merchant} {amount} のご利用は承認しません。",
          "末尾{last4}のカードを停止し、新しいカードを再発行します。1〜2週間ほどでご登録の住所にお届けします。",
          "継続的なお支払い先には、新しいカードが届いてからご変更ください。",
          "ほかにお心当たりのないご利用があれば、カード裏面の電話番号までご連絡ください。",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] Thank you. We will not approve {amount} at {merchant}.",
          "We have blocked your card ending {last4} and are sending you a new card, which arrives by post in 1 to 2 weeks.",
          "When it arrives, give the new card to merchants that charge you regularly.",
          "If you see other purchases you do not recognise, call the number on the back of your card.",
        ),
      },
    },
    email: {
      ja: {
        subject: "【{issuerName}】カードを停止し、再発行の手続きを始めました (末尾{last4})",
        body: lines(
          "{issuerName}をご利用いただきありがとうございます。",
          "",
          "{merchant} {amount} はお心当たりのないご利用とのご回答を受け付けました。このご利用は承認しません。",
          "",
          "これからの流れ",
          "  1. 末尾{last4}のカードは停止しました。今後このカードでのお支払いはできません。",
          "  2. 新しいカードを再発行し、1〜2週間ほどでご登録の住所にお届けします。",
          "  3. 公共料金などの継続的なお支払い先には、新しいカードが届いてからご変更ください。",
          "  4. ほかにお心当たりのないご利用があれば、カード裏面の電話番号までご連絡ください。",
          "",
          neverAskJa,
        ),
      },
      en: {
        subject: "[{issuerName}] Your card ending {last4} is blocked and a new card is on its way",
        body: lines(
          "Thank you for using {issuerName}.",
          "",
          "You told us that {amount} at {merchant} was not yours. We will not approve it.",
          "",
          "What happens next",
          "  1. Your card ending {last4} is blocked. It can no longer be used.",
          "  2. We are sending you a new card. It arrives by post in 1 to 2 weeks.",
          "  3. When it arrives, give the new card to merchants that charge you regularly, such as utilities.",
          "  4. If you see other purchases you do not recognise, call the number on the back of your card.",
          "",
          neverAskEn,
        ),
      },
    },
    push: {
      ja: {
        subject: "{issuerName} カードを停止しました",
        body: "末尾{last4}のカードを停止し、新しいカードを再発行します。{merchant} {amount} は承認しません。",
      },
      en: {
        subject: "{issuerName}: card blocked",
        body: "Your card ending {last4} is blocked and a new card is on its way. {amount} at {merchant} will not be approved.",
      },
    },
  },

  reply_needs_reference: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】確認中のご利用が複数あります。",
          "{confirmationList}",
          "ご本人のご利用なら「1 照会番号」、お心当たりがなければ「2 照会番号」と返信してください(例: 1 {reference})。",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] You have more than one purchase to confirm:",
          "{confirmationList}",
          "Reply 1 and the reference if it was you, or 2 and the reference if not (for example: 1 {reference}).",
        ),
      },
    },
  },

  reply_not_understood: {
    sms: {
      ja: {
        subject: null,
        body: "【{issuerName}】ご返信を読み取れませんでした。ご本人のご利用なら「1」、お心当たりがなければ「2」とだけ返信してください。",
      },
      en: {
        subject: null,
        body: "[{issuerName}] Sorry, we could not read your reply. Reply just 1 if the purchase was yours, or 2 if it was not.",
      },
    },
  },

  no_open_confirmation: {
    sms: {
      ja: {
        subject: null,
        body: "【{issuerName}】現在、ご回答が必要なご利用確認はありません。ご不明な点はカード裏面の電話番号までお問い合わせください。",
      },
      en: {
        subject: null,
        body: "[{issuerName}] There is no purchase waiting for your answer. If you have questions, call the number on the back of your card.",
      },
    },
  },

  hold_expired_call_notice: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】{localTime} {merchant} {amount} (末尾{last4})のご利用確認にご回答がなかったため、当社の公式番号からお電話します。",
          "合言葉: {securityPhrase}",
          "お電話で当社がカード番号・暗証番号・パスワード・認証コードを伺うことはありません。",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] We did not get your answer about {amount} at {merchant} on {localTime} (card ending {last4}). We will call you from our official number.",
          "Security phrase: {securityPhrase}",
          "On the call we will never ask for your card number, PIN, password or codes.",
        ),
      },
    },
    email: {
      ja: {
        subject: "【{issuerName}】ご利用確認について当社からお電話します (末尾{last4})",
        body: lines(
          "{issuerName}をご利用いただきありがとうございます。",
          "",
          "次のご利用の確認にご回答がなかったため、当社の公式番号からお電話します。",
          "",
          "  日時: {localTime}",
          "  ご利用先: {merchant}",
          "  金額: {amount}",
          "  カード: 末尾{last4}",
          "",
          "このメールが当社からのものである証として、ご登録の合言葉を表示しています: {securityPhrase}",
          "当社の公式番号はカード裏面に記載しています。ご不安な場合は、カード裏面の電話番号へご自身でおかけください。",
          "",
          neverAskJa,
        ),
      },
      en: {
        subject: "[{issuerName}] We will call you about a purchase (card ending {last4})",
        body: lines(
          "Thank you for using {issuerName}.",
          "",
          "We did not get your answer about the purchase below, so we will call you from our official number.",
          "",
          "  Time: {localTime}",
          "  Merchant: {merchant}",
          "  Amount: {amount}",
          "  Card: ending {last4}",
          "",
          "To show that this e-mail is from us, here is your security phrase: {securityPhrase}",
          "Our official number is on the back of your card. If in doubt, call that number yourself.",
          "",
          neverAskEn,
        ),
      },
    },
    push: {
      ja: {
        subject: "{issuerName} お電話でご確認します",
        body: "{merchant} {amount} (末尾{last4})の確認のため、当社の公式番号からお電話します。合言葉: {securityPhrase}",
      },
      en: {
        subject: "{issuerName}: we will call you",
        body: "We will call you from our official number about {amount} at {merchant} (card ending {last4}). Security phrase: {securityPhrase}",
      },
    },
  },
  // The code message ends with the origin-bound line "@domain #code": phones offer the code only
  // on our own site, so a phishing page that relays it gets no autofill and looks wrong.
  step_up_code: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】{merchant} {amount} のお支払いの認証コードは {code} です(有効期限{validMinutes}分)。",
          "このコードは他人に教えないでください。当社がこのコードを伺うことはありません。",
          "お支払いに心当たりがない場合は「9」を返信してください。カードを一時停止します。",
          "合言葉: {securityPhrase}",
          "@{officialDomain} #{code}",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] Your code for {merchant} {amount} is {code}. It expires in {validMinutes} minutes.",
          "Never share it; we will never ask you for it.",
          "Not you? Reply 9 and we will lock your card.",
          "Security phrase: {securityPhrase}",
          "@{officialDomain} #{code}",
        ),
      },
    },
    email: {
      ja: {
        subject: "【{issuerName}】お支払いの認証コード (末尾{last4})",
        body: lines(
          "{issuerName}をご利用いただきありがとうございます。",
          "",
          "次のお支払いの本人認証に使う認証コードです。",
          "",
          "  ご利用先: {merchant}",
          "  金額: {amount}",
          "  カード: 末尾{last4}",
          "  認証コード: {code} (有効期限{validMinutes}分)",
          "",
          "このコードは他人に教えないでください。",
          "お支払いに心当たりがない場合は、当社のアプリまたは会員サイトのメニュー「身に覚えのない認証」からお知らせください。24時間受け付けています。",
          "このメールが当社からのものである証として、ご登録の合言葉を表示しています: {securityPhrase}",
          "",
          neverAskJa,
          "@{officialDomain} #{code}",
        ),
      },
      en: {
        subject: "[{issuerName}] Your payment code (card ending {last4})",
        body: lines(
          "Thank you for using {issuerName}.",
          "",
          "Here is the code for the payment below.",
          "",
          "  Merchant: {merchant}",
          "  Amount: {amount}",
          "  Card: ending {last4}",
          "  Code: {code} (expires in {validMinutes} minutes)",
          "",
          "Never share this code with anyone.",
          'If you did not try to make this payment, tell us in our app or on our member site under "I got a code I did not ask for". We are there 24 hours a day.',
          "To show that this e-mail is from us, here is your security phrase: {securityPhrase}",
          "",
          neverAskEn,
          "@{officialDomain} #{code}",
        ),
      },
    },
    push: {
      ja: {
        subject: "{issuerName} 認証コード",
        body: lines(
          "{merchant} {amount} のお支払いの認証コードは {code} です。他人に教えないでください。",
          "@{officialDomain} #{code}",
        ),
      },
      en: {
        subject: "{issuerName}: your code",
        body: lines(
          "Your code for {merchant} {amount} is {code}. Never share it.",
          "@{officialDomain} #{code}",
        ),
      },
    },
  },
  step_up_unrequested_ack: {
    sms: {
      ja: {
        subject: null,
        body: lines(
          "【{issuerName}】ご連絡ありがとうございます。身に覚えのないお支払い手続きのため、カード(末尾{last4})のご利用を一時停止しました。",
          "担当者が状況を調べ、必要に応じてカードを再発行します。当社からお電話する場合は公式番号からおかけします。",
          "合言葉: {securityPhrase}",
          "当社がカード番号・暗証番号・パスワード・認証コードを伺うことはありません。",
        ),
      },
      en: {
        subject: null,
        body: lines(
          "[{issuerName}] Thank you for telling us. We have locked your card ending {last4} because of a payment attempt you did not make.",
          "Our team will look into it and reissue your card if needed. If we call, it will be from our official number.",
          "Security phrase: {securityPhrase}",
          "We never ask for your card number, PIN, password or codes.",
        ),
      },
    },
    email: {
      ja: {
        subject: "【{issuerName}】カードのご利用を一時停止しました (末尾{last4})",
        body: lines(
          "{issuerName}をご利用いただきありがとうございます。",
          "",
          "身に覚えのないお支払い手続きのご連絡を受け、カード(末尾{last4})のご利用を一時停止しました。",
          "",
          "今後の流れ",
          "  1. 担当者がお支払い手続きの内容を調べます。",
          "  2. カード番号が第三者に知られたおそれがある場合は、新しい番号のカードを再発行します。",
          "  3. 公共料金などの継続払いのお支払い先には、新しいカードへの変更が必要になる場合があります。",
          "当社からお電話する場合は、カード裏面に記載の公式番号からおかけします。",
          "",
          "このメールが当社からのものである証として、ご登録の合言葉を表示しています: {securityPhrase}",
          "",
          neverAskJa,
        ),
      },
      en: {
        subject: "[{issuerName}] We have locked your card (ending {last4})",
        body: lines(
          "Thank you for using {issuerName}.",
          "",
          "You told us about a payment attempt you did not make, so we have locked your card ending {last4}.",
          "",
          "What happens next",
          "  1. Our team looks into the attempted payment.",
          "  2. If your card number may be known to someone else, we reissue your card with a new number.",
          "  3. Merchants that charge you regularly may then need your new card.",
          "If we call, it will be from the official number on the back of your card.",
          "",
          "To show that this e-mail is from us, here is your security phrase: {securityPhrase}",
          "",
          neverAskEn,
        ),
      },
    },
    push: {
      ja: {
        subject: "{issuerName} カードを一時停止しました",
        body: "ご連絡ありがとうございます。カード(末尾{last4})のご利用を一時停止しました。担当者が状況を調べます。合言葉: {securityPhrase}",
      },
      en: {
        subject: "{issuerName}: card locked",
        body: "Thank you for telling us. We have locked your card ending {last4} and our team will look into it. Security phrase: {securityPhrase}",
      },
    },
  },
};

/**
 * The confirmation request with the issuer's one-time link (`{link}`, on its official domain),
 * whose page shows the payment and two buttons and asks for nothing else.
 */
const linkedConfirmationRequest = {
  sms: confirmationSms(
    [
      "お心当たりがあれば「1」、ない場合は「2」を返信、または次の当社ページでご回答ください(照会番号 {reference}):",
      "{link}",
    ],
    ["Reply 1 if it was you, 2 if not, or answer on our page (ref {reference}):", "{link}"],
  ),
  email: confirmationEmail(
    [
      "  ・次の当社ページで「本人の利用です」か「身に覚えがありません」を押してください。このご利用確認の期限まで一度だけ使えます:",
      "    {link}",
      "    このページでカード番号・暗証番号・パスワード・認証コードの入力を求めることはありません。",
      ...appAndSmsAnswerJa,
    ],
    [
      '  - Press "It was me" or "It was not me" on our page. The link works once, until the answer is due:',
      "    {link}",
      "    The page will never ask for your card number, PIN, password or any code.",
      ...appAndSmsAnswerEn,
    ],
  ),
} as const;

/**
 * The defaults under an issuer's link policy: on each channel where the policy lets a message
 * carry the official link (e-mail once a domain is registered, SMS only where also allowed), the
 * confirmation request with the one-time link takes the place of the one without.
 */
export function defaultTemplatesFor(policy: TemplatePolicy): TemplateSet {
  const linked = (["sms", "email"] as const).filter((channel) => allowsLinkOn(policy, channel));
  return {
    ...defaultTemplates,
    confirmation_request: {
      ...defaultTemplates.confirmation_request,
      ...Object.fromEntries(linked.map((channel) => [channel, linkedConfirmationRequest[channel]])),
    },
  };
}
