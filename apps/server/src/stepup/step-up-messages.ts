/**
 * Step-up's messages: the one-time code on the cardholder's chosen channel, sealed in the outbox
 * because it is a secret, and the acknowledgement after "I did not ask for this code" that says
 * what happens next.
 */
import { formatAmount, type MessageDrafter } from "../notifications/index.ts";
import { type BodySealer, type MessageDraft, sealedDraft } from "../outbox/index.ts";
import type { CardholderRecord, CardRecord } from "../storage/index.ts";

/** What the report's answer tells the cardholder on screen, in their language. */
const nextStepsText = {
  ja: [
    "カードのご利用を一時停止しました。このカードでのお支払いはできません。",
    "担当者がお支払い手続きの内容を調べ、カード番号が第三者に知られたおそれがある場合は新しい番号のカードを再発行します。",
    "当社からお電話する場合は、カード裏面に記載の公式番号からおかけします。当社がカード番号・暗証番号・パスワード・認証コードを伺うことはありません。",
    "心当たりのないご利用があれば、会員サイトの「ご利用確認」からお知らせください。",
  ],
  en: [
    "We have locked your card. It cannot be used for payments now.",
    "Our team will look into the attempted payment and reissue your card with a new number if it may be known to someone else.",
    "If we call, it will be from the official number on the back of your card. We never ask for your card number, PIN, password or codes.",
    "If you see other payments you do not recognise, tell us in the app or on the member site.",
  ],
} as const;

export function createStepUpMessages(options: {
  draft: MessageDrafter;
  issuerName: string;
  officialDomain: string;
  sealer: BodySealer;
}) {
  const { draft, issuerName, officialDomain, sealer } = options;
  return {
    code(input: {
      cardholder: CardholderRecord;
      card: CardRecord;
      merchantName: string;
      amountMinor: number;
      currency: string;
      code: string;
      validMinutes: number;
    }): MessageDraft {
      const { cardholder } = input;
      const message = draft("step_up_code", cardholder.stepUpChannel, cardholder, {
        issuerName,
        merchant: input.merchantName,
        amount: formatAmount(input.amountMinor, input.currency, cardholder.language),
        last4: input.card.panLast4,
        securityPhrase: cardholder.securityPhrase,
        code: input.code,
        officialDomain,
        validMinutes: String(input.validMinutes),
      });
      return sealedDraft(message, sealer);
    },
    /** By SMS and e-mail both, so the cardholder has it in writing wherever they reported from. */
    unrequestedAck(input: { cardholder: CardholderRecord; card: CardRecord }): MessageDraft[] {
      return (["sms", "email"] as const).map((channel) =>
        draft("step_up_unrequested_ack", channel, input.cardholder, {
          issuerName,
          last4: input.card.panLast4,
          securityPhrase: input.cardholder.securityPhrase,
        }),
      );
    },
    nextSteps(language: CardholderRecord["language"]): readonly string[] {
      return nextStepsText[language];
    },
  };
}

export type StepUpMessages = ReturnType<typeof createStepUpMessages>;
