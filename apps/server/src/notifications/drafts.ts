/**
 * A rendered message addressed to a cardholder, ready for the outbox. Every module that writes
 * to cardholders (the confirmation loop, step-up) drafts through this one function, so the
 * address each channel uses is decided once.
 */
import type { MessageDraft } from "../outbox/index.ts";
import type { CardholderRecord } from "../storage/index.ts";
import type { Channel, MessageKind, TemplateSet, TemplateVariables } from "./message-kinds.ts";
import { renderMessage } from "./templates.ts";

/** SMS to the phone, e-mail to the address; push goes to the issuer's app relay, keyed by cardholder. */
export function addressOf(cardholder: CardholderRecord, channel: Channel): string {
  return channel === "sms" ? cardholder.phone : channel === "email" ? cardholder.email : cardholder.id;
}

export function createMessageDrafter(templates: TemplateSet) {
  return <K extends MessageKind>(
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
}

export type MessageDrafter = ReturnType<typeof createMessageDrafter>;
