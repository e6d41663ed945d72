/**
 * Notifications: what the cardholder is told, in which words, and how it is sent. The texts are
 * checked against anti-phishing rules at start-up; answers come back as SMS replies.
 */
export { defaultTemplates, defaultTemplatesFor } from "./default-templates.ts";
export { addressOf, createMessageDrafter, type MessageDrafter } from "./drafts.ts";
export type { ListedConfirmation } from "./formatting.ts";
export { formatAmount, formatConfirmationList, formatLocalTime } from "./formatting.ts";
export type {
  Channel,
  Language,
  MessageKind,
  Placeholder,
  Template,
  TemplateSet,
  TemplateVariables,
} from "./message-kinds.ts";
export { channels, kindSpecs, languages, messageKinds } from "./message-kinds.ts";
export type { MessageSender, OutboundMessage, SendFailureCode, SendResult } from "./message-sender.ts";
export { createDevOutboxSender, isSendKey } from "./message-sender.ts";
export type { FixedValues, OwnMessageMatch, OwnMessageRecognizer, SampleMessage } from "./own-messages.ts";
export { createOwnMessageRecognizer, sampleMessages } from "./own-messages.ts";
export type { PushSignatureCheck, PushWebhookSenderOptions } from "./push-webhook-sender.ts";
export {
  createPushWebhookSender,
  pushSignatureHeader,
  signPushBody,
  verifyPushSignature,
} from "./push-webhook-sender.ts";
export type { SmsHttpSenderOptions } from "./sms-http-sender.ts";
export { createSmsHttpSender } from "./sms-http-sender.ts";
export type { ConfirmationAnswer, NewReference, SmsReply } from "./sms-reply.ts";
export { isReference, newReference, parseSmsReply, referenceAlphabet } from "./sms-reply.ts";
export type { SmtpSenderOptions } from "./smtp-sender.ts";
export { createSmtpSender, messageIdFor } from "./smtp-sender.ts";
export type {
  TemplatePolicy,
  TemplateRuleCode,
  TemplateSetCheck,
  TemplateSetLoad,
  TemplateSetViolation,
  TemplateTarget,
  TemplateViolation,
} from "./template-rules.ts";
export {
  allowsLinkOn,
  checkTemplate,
  checkTemplateSetSafe,
  defaultTemplatePolicy,
  isAllowedLink,
  isOfficialDomain,
  loadTemplateSet,
  validateTemplateSet,
} from "./template-rules.ts";
export type {
  RenderedMessage,
  RenderRequest,
  TemplateOverride,
  TemplateOverrideErrorCode,
  TemplateOverridesResult,
} from "./templates.ts";
export { applyTemplateOverrides, loadTemplateOverrides, renderMessage } from "./templates.ts";
