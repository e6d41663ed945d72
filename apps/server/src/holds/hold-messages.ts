/**
 * The loop's messages rendered from the issuer's checked template set: which kinds go on which
 * channels, and the values they show. Addresses come from the cardholder's record; push goes to
 * the issuer's app relay, which knows the cardholder's devices.
 */
import {
  allowsLinkOn,
  createMessageDrafter,
  formatAmount,
  formatConfirmationList,
  formatLocalTime,
  kindSpecs,
  type TemplatePolicy,
  type TemplateSet,
} from "../notifications/index.ts";
import { type BodySealer, type MessageDraft, sealedDraft } from "../outbox/index.ts";
import type { CardholderRecord, CardRecord } from "../storage/index.ts";
import type { HeldAuthorization, Hold } from "./hold.ts";
import type { HoldMessages } from "./hold-service.ts";

export type ReplyKind = "reply_needs_reference" | "reply_not_understood" | "no_open_confirmation";

export function createHoldMessages(options: {
  templates: TemplateSet;
  issuerName: string;
  /** Which channels may carry the one-time link: the policy the templates were checked under. */
  linkPolicy: TemplatePolicy;
  /** A message with a link carries an answer credential, so the outbox keeps it sealed. */
  sealer: BodySealer;
}) {
  const { templates, issuerName, linkPolicy, sealer } = options;

  const draft = createMessageDrafter(templates);

  const transaction = (cardholder: CardholderRecord, card: CardRecord, held: HeldAuthorization) => ({
    issuerName,
    merchant: held.merchantName,
    amount: formatAmount(held.amountMinor, held.currency, cardholder.language),
    localTime: formatLocalTime(held.occurredAtMs, cardholder.timeZone, cardholder.language),
    last4: card.panLast4,
  });

  const messages: HoldMessages = {
    confirmationRequest({ cardholder, card, held, reference, link }) {
      // The link goes to every channel the checked policy allows it on, so a template that shows
      // {link} always has one; where the policy forbids it, no template could show it.
      return kindSpecs.confirmation_request.channels.map((channel) => {
        const hasLink = link !== null && allowsLinkOn(linkPolicy, channel);
        const message = draft("confirmation_request", channel, cardholder, {
          ...transaction(cardholder, card, held),
          securityPhrase: cardholder.securityPhrase,
          reference,
          ...(hasLink ? { link } : {}),
        });
        return hasLink ? sealedDraft(message, sealer) : message;
      });
    },
    linkPage({ cardholder, card, hold }) {
      return {
        language: cardholder.language,
        issuerName,
        last4: card.panLast4,
        securityPhrase: cardholder.securityPhrase,
        reference: hold.reference,
        authorizations: hold.authorizations.map((held) => {
          const { merchant, amount, localTime } = transaction(cardholder, card, held);
          return { merchant, amount, localTime };
        }),
      };
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
