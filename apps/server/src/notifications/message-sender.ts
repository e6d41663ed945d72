/**
 * The port every channel's sender implements. A message carries a send key: the outbox record's
 * idempotency key. Providers receive it with every attempt, so a resend after a crash or a
 * timeout (when we cannot know whether the first attempt arrived) is deduplicated downstream.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Channel, Language } from "./message-kinds.ts";

export type OutboundMessage = {
  /** Idempotency key: the same for every attempt at the same message. */
  readonly sendKey: string;
  readonly channel: Channel;
  /** A phone number (E.164), an e-mail address, or the push relay's device or cardholder address. */
  readonly to: string;
  readonly language: Language;
  /** The e-mail subject or the push title; an SMS has none. */
  readonly subject?: string;
  readonly body: string;
  readonly cardholderId: string;
};

export type SendFailureCode = "provider_rejected" | "provider_unavailable" | "timeout" | "invalid_recipient";

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; code: SendFailureCode; retryable: boolean; message: string };

export interface MessageSender {
  send(message: OutboundMessage): Promise<SendResult>;
}

/**
 * Letters, digits, "_" and "-" in dot-separated runs: safe as an HTTP header value and as the
 * local part of a Message-ID, which is where a resent e-mail's duplicate is recognised.
 */
const sendKeyPattern = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

export function isSendKey(text: string): boolean {
  return text.length <= limits.sendKeyLengthMax && sendKeyPattern.test(text);
}

/** The outbox builds messages; one that breaks these was built wrong. */
export function assertOutboundMessage(message: OutboundMessage, channel: Channel): void {
  assert(message.channel === channel, `a ${channel} sender was handed a ${message.channel} message`);
  assert(isSendKey(message.sendKey), `send key ${message.sendKey} is not a safe idempotency key`);
  assert(message.to.trim() !== "", "a message has a recipient");
  assert(message.body.trim() !== "", "a message has a body");
  if (channel === "sms") {
    assert(message.subject === undefined, "an SMS has no subject");
  } else {
    assert(
      message.subject !== undefined && message.subject.trim() !== "",
      `a ${channel} message has a subject`,
    );
  }
}

/** Provider ids are stored with the outbox record; a missing or oversized one falls back to ours. */
export function providerMessageIdOr(candidate: unknown, fallback: string): string {
  return typeof candidate === "string" &&
    candidate !== "" &&
    candidate.length <= limits.providerMessageIdLengthMax
    ? candidate
    : fallback;
}

/**
 * Development: nothing leaves the machine. The outbox record is the delivered message, so every
 * send succeeds, and the id is derived from the send key so a resend reports the same id.
 */
export function createDevOutboxSender(): MessageSender {
  return {
    send(message) {
      assertOutboundMessage(message, message.channel);
      return Promise.resolve({ ok: true, providerMessageId: `dev_${message.sendKey}` });
    },
  };
}
