/**
 * What we tell a cardholder in each situation, in both languages: what they can do themselves
 * right now, what to have at hand before calling, what to do after a new card arrives, and the
 * advice particular to the situation. The words stay calm and concrete; none of them asks for a
 * secret, and none sends the reader to a number or link they were given by someone else.
 */
import type { Localized, Situation } from "../contact-check/index.ts";

/** Things a cardholder does in our app or member site, day and night, without waiting for anyone. */
export type SelfServiceActionId =
  | "lock_card"
  | "answer_confirmation"
  | "report_unrequested_code"
  | "stop_and_replace_card";

export type SituationText = {
  readonly title: Localized;
  readonly summary: Localized;
  /** In the order to do them. */
  readonly actions: readonly SelfServiceActionId[];
  readonly advice: readonly Localized[];
  /** Added to what every caller should have at hand. */
  readonly prepare: readonly Localized[];
  /** Whether the situation usually ends with a new card, so the post-reissue checklist applies. */
  readonly mayEndWithNewCard: boolean;
};

/** `{app}` is filled with the issuer's app ("mimamori Card アプリ" / "the mimamori Card app"). */
export const selfServiceActions: Readonly<Record<SelfServiceActionId, { title: Localized; how: Localized }>> =
  {
    lock_card: {
      title: { ja: "カードをロックする", en: "Lock your card" },
      how: {
        ja: "{app}または会員サイトで、カードのロックを選んでください。すぐにカードが使えなくなり、見つかったときなどは同じ画面で解除できます。",
        en: "In {app} or on the member site, choose Lock card. The card stops working at once, and you can unlock it there when, for example, it turns up.",
      },
    },
    answer_confirmation: {
      title: { ja: "ご利用確認に答える", en: "Answer a payment confirmation" },
      how: {
        ja: "{app}または会員サイトに、確認を待っているご利用が表示されます。ご自身のご利用でなければ「自分ではない」を選んでください。そのお支払いは通らず、当社が対応を始めます。",
        en: "In {app} or on the member site, any payment waiting for your answer is shown. If it was not you, choose Not me: the payment does not go through and we take it from there.",
      },
    },
    report_unrequested_code: {
      title: { ja: "身に覚えのない認証コードを知らせる", en: "Report a code you did not ask for" },
      how: {
        ja: "{app}または会員サイトのメニュー「身に覚えのない認証」からお知らせください。そのお支払い手続きは止まり、カードのご利用を一時停止します。",
        en: 'In {app} or on the member site, use "I got a code I did not ask for". That payment attempt is stopped and the card is paused.',
      },
    },
    stop_and_replace_card: {
      title: { ja: "カードを止めて再発行する", en: "Stop the card and get a new one" },
      how: {
        ja: "{app}または会員サイトの「紛失・盗難」から手続きできます。今のカードは使えなくなり、番号の変わった新しいカードをお送りします。",
        en: 'In {app} or on the member site, use "Lost or stolen". The current card stops for good and we send a new card with a new number.',
      },
    },
  };

/** What every caller should have at hand; never a PIN, a security code, a password or a code. */
export const prepareForEveryCall: readonly Localized[] = [
  {
    ja: "カード (手元にないときは、お名前・生年月日・ご登録の電話番号)",
    en: "Your card (if you do not have it, your name, date of birth and registered phone number)",
  },
  {
    ja: "メモ (受付番号や担当者の名前を控えるため)",
    en: "Something to write on, for the reference number and the name of the person you speak to",
  },
  {
    ja: "当社が暗証番号・セキュリティコード・パスワード・認証コードをお聞きすることはありません。聞かれても答えないでください。",
    en: "We never ask for your PIN, security code, password or one-time code. If anyone does, do not answer.",
  },
];

/** After a new card arrives: what still points at the old number, and what to secure. */
export const afterReissueChecklist: readonly Localized[] = [
  {
    ja: "カードを登録している支払い先をすべて新しいカードに変更する: 電気・ガス・水道、携帯電話、動画や音楽などのサブスクリプション、通販サイト、保険料など。自動で切り替わるもの (洗い替え) もありますが、ご自身で確かめてください。",
    en: "Move every payment that uses the card to the new one: electricity, gas and water, your phone, subscriptions (video, music), shopping sites, insurance. Some switch by themselves, but check each one.",
  },
  {
    ja: "会員サイトのパスワードを変更し、同じパスワードを使っているほかのサイトも変更する。",
    en: "Change your member-site password, and the password of any other site where you used the same one.",
  },
  {
    ja: "二段階認証 (ログイン時の追加の確認) を設定する。",
    en: "Turn on two-step verification (a second check when you sign in).",
  },
  {
    ja: "しばらくの間、明細をこまめに確認する。",
    en: "Check your statements closely for the next few months.",
  },
];

export const situationTexts: Readonly<Record<Situation, SituationText>> = {
  suspicious_charge: {
    title: { ja: "身に覚えのないご利用がある", en: "A charge I do not recognise" },
    summary: {
      ja: "まず{app}か会員サイトを、ご自身で開いてご利用の内容を確かめてください。心当たりがなければ、カードをロックしてから当社にご連絡ください。",
      en: "First open {app} or the member site yourself and look at the charge. If you do not recognise it, lock the card and then contact us.",
    },
    actions: ["answer_confirmation", "lock_card", "stop_and_replace_card"],
    advice: [
      {
        ja: "届いたSMSやメールのリンクからではなく、ご自身でアプリや会員サイトを開いて確認してください。",
        en: "Check in the app or member site opened yourself, not through a link in an SMS or e-mail.",
      },
      {
        ja: "家族カードのご利用や、定期的なお支払い (サブスクリプション) ではないかも確かめてください。",
        en: "Check whether it is a family card's charge or a regular payment such as a subscription.",
      },
      {
        ja: "ご利用確認が届いていれば、そこで「自分ではない」と答えるのがいちばん早い方法です。",
        en: "If we sent a payment confirmation, answering Not me there is the quickest way.",
      },
      {
        ja: "不正利用の被害は補償の対象になることがあります。手続きに警察への届出が必要な場合もあります。",
        en: "Fraudulent charges may be covered; the claim sometimes needs a police report.",
      },
    ],
    prepare: [
      {
        ja: "気になるご利用の日時・金額・お店の名前",
        en: "The date, amount and merchant of the charge",
      },
    ],
    mayEndWithNewCard: true,
  },
  card_lost_or_stolen: {
    title: { ja: "カードをなくした・盗まれた", en: "My card is lost or stolen" },
    summary: {
      ja: "まず{app}か会員サイトでカードをロックしてください。見つからないとき、盗まれたときは、カードを止めて再発行してください。紛失・盗難の窓口は24時間受け付けています。",
      en: "First lock the card in {app} or on the member site. If it does not turn up, or it was stolen, stop it and get a new one. The lost and stolen line answers day and night.",
    },
    actions: ["lock_card", "stop_and_replace_card"],
    advice: [
      {
        ja: "ロックは一時的な停止です。見つかったら解除できます。",
        en: "A lock is a pause: you can undo it if the card turns up.",
      },
      {
        ja: "盗まれたときは、警察にも届け出てください。",
        en: "If it was stolen, report it to the police as well.",
      },
      {
        ja: "海外にいるときは、海外からの窓口をお使いください。",
        en: "When you are abroad, use the line for calls from abroad.",
      },
    ],
    prepare: [
      {
        ja: "なくした・盗まれたと気づいた日時と場所、最後にカードを使った日時",
        en: "When and where you noticed, and when you last used the card",
      },
    ],
    mayEndWithNewCard: true,
  },
  unrequested_code: {
    title: { ja: "頼んでいない認証コードが届いた", en: "I got a code I did not ask for" },
    summary: {
      ja: "誰かがあなたのカードで支払おうとしているか、ログインしようとしているかもしれません。コードは誰にも伝えず、{app}か会員サイトの「身に覚えのない認証」からお知らせください。",
      en: 'Someone may be trying to pay with your card or sign in as you. Do not share the code with anyone; report it in {app} or on the member site under "I got a code I did not ask for".',
    },
    actions: ["report_unrequested_code", "lock_card"],
    advice: [
      {
        ja: "コードは、当社の社員や警察を名乗る人にも伝えないでください。当社がコードをお聞きすることはありません。",
        en: "Do not give the code to anyone, even someone who says they are from us or the police. We never ask for it.",
      },
      {
        ja: "コードが届いたSMSやメールにあるリンクや電話番号は使わないでください。",
        en: "Do not use any link or phone number in the message that brought the code.",
      },
      {
        ja: "ログイン用のコードだった場合は、会員サイトのパスワードを変更し、二段階認証を設定してください。",
        en: "If it was a sign-in code, change your member-site password and turn on two-step verification.",
      },
      {
        ja: "最近のご利用に覚えのないものがないか確かめてください。",
        en: "Look through your recent charges for any you do not recognise.",
      },
    ],
    prepare: [
      {
        ja: "コードが届いた日時と、届いたSMSやメール (消さずに残してください)",
        en: "When the code came, and the SMS or e-mail itself (keep it)",
      },
    ],
    mayEndWithNewCard: false,
  },
  entered_card_on_fake_site: {
    title: { ja: "偽サイトにカード情報を入力してしまった", en: "I typed my card details into a fake site" },
    summary: {
      ja: "今すぐカードをロックし、カードを止めて再発行してください (紛失・盗難の窓口は24時間)。入力したパスワードも変更してください。",
      en: "Lock the card now, then stop it and get a new one (the lost and stolen line answers day and night). Change any password you typed there too.",
    },
    actions: ["lock_card", "stop_and_replace_card"],
    advice: [
      {
        ja: "そのサイトにはこれ以上何も入力せず、閉じてください。SMSやメールで届く続きの案内にも応じないでください。",
        en: "Do not enter anything more on that site; close it. Do not follow any further SMS or e-mail about it.",
      },
      {
        ja: "カード番号・有効期限・セキュリティコードを入力した場合、ロックだけでは番号は変わりません。カードを止めて再発行してください。",
        en: "If you entered the card number, expiry or security code, a lock does not change the number: stop the card and get a new one.",
      },
      {
        ja: "入力したIDやパスワードは、当社の会員サイトと、同じパスワードを使っているすべてのサイトで変更し、二段階認証を設定してください。",
        en: "Change the ID and password you entered, on our member site and on every site where you use the same password, and turn on two-step verification.",
      },
      {
        ja: "運転免許証などの本人確認書類の写真を送ってしまった場合は、信用情報機関への本人申告も検討してください (下の相談先に、よい点と注意点があります)。",
        en: "If you sent a photo of an identity document such as a driving licence, consider a credit-bureau self-declaration (its pros and cons are under where to report).",
      },
      {
        ja: "届いたSMSやメール、サイトのアドレスは、相談のときのために消さずに残してください。",
        en: "Keep the SMS or e-mail and the site's address: you will need them when you report it.",
      },
    ],
    prepare: [
      {
        ja: "入力した日時と、どの情報を入力したか (カード番号、有効期限、IDなど。番号や文字そのものをお伝えいただく必要はありません)",
        en: "When you entered them, and which details you entered (card number, expiry, ID and so on; we never need the values themselves)",
      },
    ],
    mayEndWithNewCard: true,
  },
  payment_reminder_call: {
    title: { ja: "お支払いの督促の電話がきた", en: "I got a call about a missed payment" },
    summary: {
      ja: "いったん電話を切り、カード裏面の番号か当社の窓口一覧の番号へ、ご自身でかけ直してください。お支払いの状況は{app}や会員サイトでも確かめられます。",
      en: "Hang up, then call us yourself on the number on the back of your card or in our channel directory. You can also check your payments in {app} or on the member site.",
    },
    actions: [],
    advice: [
      {
        ja: "表示された番号が当社のものでも、その電話で案内された番号にはかけず、カード裏面か窓口一覧の番号へかけ直してください。",
        en: "Even if the number shown is ours, do not call a number the caller gives you: call the one on your card or in our directory.",
      },
      {
        ja: "当社が「警察から連絡がある」とお伝えすることはありません。そう言われたら詐欺です。電話を切ってください。",
        en: "We never tell you that the police will contact you. If a caller says so, it is a scam: hang up.",
      },
      {
        ja: "電話で、カード番号の全桁・暗証番号・セキュリティコード・認証コードをお聞きすることはありません。",
        en: "On the phone we never ask for your full card number, PIN, security code or a one-time code.",
      },
      {
        ja: "お支払いの方法はアプリや会員サイトでご案内します。電子マネーやギフトカードでのお支払いを求めることはありません。",
        en: "We show how to pay in the app or on the member site. We never ask you to pay with e-money or gift cards.",
      },
      {
        ja: "不安なときは、警察相談専用電話 #9110 や消費者ホットライン 188 にも相談できます。",
        en: "If you are worried, you can also call the police consultation line #9110 or the consumer hotline 188.",
      },
    ],
    prepare: [
      {
        ja: "電話がきた日時と、表示された番号・相手の名乗った名前",
        en: "When the call came, the number shown and the name the caller gave",
      },
    ],
    mayEndWithNewCard: false,
  },
  romance_or_investment_scam: {
    title: {
      ja: "ロマンス詐欺・投資詐欺にあったかもしれない",
      en: "I may be caught in a romance or investment scam",
    },
    summary: {
      ja: "まず誰かに話してください。送金や支払いはいったん止めて、警察相談専用電話 #9110 などに相談を。カードで支払ったとき、カード情報を伝えたときは当社にもご連絡ください。",
      en: "First, talk to someone. Stop sending money for now and call the police consultation line #9110 or another place below. If you paid by card or gave your card details, contact us too.",
    },
    actions: ["lock_card"],
    advice: [
      {
        ja: "これ以上の送金や支払いは止めてください。「出金には手数料が必要」などと言われても払わないでください。",
        en: "Do not send or pay anything more, even if you are told a fee is needed to withdraw your money.",
      },
      {
        ja: "カードで支払った、またはカード情報を相手に伝えた場合は、当社にご連絡ください。カードを止めて再発行します。",
        en: "If you paid by card or gave your card details, contact us: we will stop the card and send a new one.",
      },
      {
        ja: "銀行振込で送金した場合は、振込先の銀行にすぐ連絡してください。",
        en: "If you sent money by bank transfer, contact the receiving bank at once.",
      },
      {
        ja: "やり取りのメッセージ、送金の記録、相手のサイトのアドレスやアカウント名は消さずに残してください。",
        en: "Keep the messages, the payment records, and the site's address or the account names used.",
      },
      {
        ja: "「お金を取り戻せる」と持ちかける連絡にも注意してください。",
        en: "Be wary of anyone who offers to get your money back.",
      },
      {
        ja: "運転免許証やマイナンバーカードの写真を送ってしまった場合は、信用情報機関への本人申告を検討してください (下の相談先に、よい点と注意点があります)。",
        en: "If you sent a photo of your driving licence or My Number card, consider a credit-bureau self-declaration (its pros and cons are under where to report).",
      },
    ],
    prepare: [
      {
        ja: "支払いや送金の日時・金額・支払先、相手とのやり取りの記録",
        en: "The dates, amounts and recipients of what you paid, and your messages with the other person",
      },
    ],
    mayEndWithNewCard: true,
  },
};
