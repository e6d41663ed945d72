/**
 * The loop's messages rendered from the issuer's checked template set: which kinds go on which
 * channels, and the values they show. Addresses come from the cardholder's record; push goes to
 * the issuer's app relay, which knows the cardholder's devices.
 */
import {
  type Channel,
  formatAmount,
  formatConfirmationList,
  formatLocalTime,
  kindSpecs,
  type MessageKind,
  renderMessage,
  type TemplateSet,
  type TemplateVariables,
} from "../notifications/index.ts";
import type { MessageDraft } from "../outbox/index.ts";
import type { CardholderRecord, CardRecord } from "../storage/index.ts";
import type { HeldAuthorization, Hold } from "./hold.ts";
import type { HoldMessages } from "./hold-service.ts";

export type ReplyKind = "reply_needs_reference" | "reply_not_understood" | "no_open_confirmation";

export function createHoldMessages(options: { templates: TemplateSet; issuerName: string }) {
  const { templates, issuerName } = options;

  const addressOf = (cardholder: CardholderRecord, channel: Channel): string =>
    channel === "sms" ? cardholder.phone : channel === "email" ? cardholder.email : cardholder.id;

  const draft = <K extends MessageKind>(
    kind: K,
    channel: Channel,
    cardholder: CardholderRecord,
    variables: TemplateVariables<K>,
  ): MessageDraft => {
    const rendered = renderMessage(templates, { kind, channel, language: cardholder.language, variables });
    return {
      channel,
      to: addressOf(cardholder, channel),
      language: cardholder.language,
      subject: rendered.subject,
      body: rendered.body,
      purpose: kind,
    };
  };

  const transaction = (cardholder: CardholderRecord, card: CardRecord, held: HeldAuthorization) => ({
    issuerName,
    merchant: held.merchantName,
    amount: formatAmount(held.amountMinor, held.currency, cardholder.language),
    localTime: formatLocalTime(held.occurredAtMs, cardholder.timeZone, cardholder.language),
    last4: card.panLast4,
  });

  const messages: HoldMessages = {
    confirmationRequest({ cardholder, card, held, reference }) {
      return kindSpecs.confirmation_request.channels.map((channel) =>
        draft("confirmation_request", channel, cardholder, {
          ...transaction(cardholder, card, held),
          securityPhrase: cardholder.securityPhrase,
          reference,
        }),
      );
    },
    notice(kind, { cardholder, card, held, channel: answeredBy }) {
      const values = transaction(cardholder, card, held);
      switch (kind) {
        case "answer_received_mine":
          // The portal shows the result on screen; an SMS answer is acknowledged by SMS.
          return answeredBy === "sms"
            ? [
                draft(kind, "sms", cardholder, {
                  issuerName,
                  merchant: values.merchant,
                  amount: values.amount,
                  last4: values.last4,
                }),
              ]
            : [];
        case "answer_received_not_mine":
          return (["sms", "email"] as const).map((channel) =>
            draft(kind, channel, cardholder, {
              issuerName,
              merchant: values.merchant,
              amount: values.amount,
              last4: values.last4,
            }),
          );
        case "hold_expired_call_notice":
          return kindSpecs.hold_expired_call_notice.channels.map((channel) =>
            draft(kind, channel, cardholder, { ...values, securityPhrase: cardholder.securityPhrase }),
          );
        default:
          return [];
      }
    },
  };

  /** The SMS answer to an SMS that did not settle a hold. */
  const reply = (
    kind: ReplyKind,
    cardholder: CardholderRecord,
    pending: readonly { hold: Hold; card: CardRecord }[],
  ): MessageDraft => {
    if (kind === "reply_needs_reference") {
      const confirmationList = formatConfirmationList(
        pending.map(({ hold }) => {
          const first = hold.authorizations[0];
          return {
            reference: hold.reference,
            merchant: first?.merchantName ?? "",
            amount:
              first === undefined ? "" : formatAmount(first.amountMinor, first.currency, cardholder.language),
            localTime:
              first === undefined
                ? ""
                : formatLocalTime(first.occurredAtMs, cardholder.timeZone, cardholder.language),
          };
        }),
        cardholder.language,
      );
      return draft(kind, "sms", cardholder, {
        issuerName,
        confirmationList,
        reference: pending[0]?.hold.reference ?? "",
      });
    }
    return draft(kind, "sms", cardholder, { issuerName });
  };

  return { messages, reply };
}
