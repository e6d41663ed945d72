/**
 * E-mail over SMTP with nodemailer: plain UTF-8 text, no HTML and no links. The Message-ID is
 * derived from the send key, so a resend after a crash carries the same Message-ID and the
 * relay or the mailbox can drop the duplicate.
 */
import nodemailer, { type NodemailerError } from "nodemailer";
import { assert } from "../platform/assert.ts";
import { assertTimeoutMs } from "./http-post.ts";
import {
  assertOutboundMessage,
  type MessageSender,
  providerMessageIdOr,
  type SendResult,
} from "./message-sender.ts";

export type SmtpSenderOptions = {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
  readonly url: string;
  /** The issuer's published sender address, the one its cardholders are told to trust. */
  readonly from: string;
  /** limits.emailSendTimeoutMs: bounds connecting, each wait for the server, and the whole send. */
  readonly timeoutMs: number;
};

/** The Message-ID a send key always gets. */
export function messageIdFor(sendKey: string): string {
  return `<${sendKey}@mimamori>`;
}

/** Credentials and OAuth failures: the relay's configuration is wrong, not the message. */
const authenticationCodes = new Set(["EAUTH", "ENOAUTH", "EOAUTH2"]);

function asNodemailerError(error: unknown): NodemailerError {
  return error instanceof Error ? error : new Error(String(error));
}

/** Maps what nodemailer threw onto the port's codes; `permanent` is set when the server answered. */
export function smtpFailure(thrown: unknown): Extract<SendResult, { ok: false }> {
  const error = asNodemailerError(thrown);
  const detail = error.response ?? error.message;
  const code = error.code ?? "";
  if (code === "ETIMEDOUT" || code === "EABORT") {
    return { ok: false, code: "timeout", retryable: true, message: `SMTP send timed out: ${detail}` };
  }
  if (code === "EENVELOPE") {
    // 4xx on RCPT (a full mailbox, greylisting) passes; 5xx says this address will never take mail.
    return error.permanent === false
      ? { ok: false, code: "provider_unavailable", retryable: true, message: `recipient deferred: ${detail}` }
      : { ok: false, code: "invalid_recipient", retryable: false, message: `recipient refused: ${detail}` };
  }
  if (authenticationCodes.has(code)) {
    // The message goes out once the relay's credentials are fixed; the outbox keeps it until then.
    return {
      ok: false,
      code: "provider_unavailable",
      retryable: true,
      message: `SMTP login failed: ${detail}`,
    };
  }
  if (error.permanent === true) {
    return { ok: false, code: "provider_rejected", retryable: false, message: `message refused: ${detail}` };
  }
  // Connection, DNS, TLS and 4xx answers: the same message can go through on a later attempt.
  return {
    ok: false,
    code: "provider_unavailable",
    retryable: true,
    message: `SMTP relay unavailable: ${detail}`,
  };
}

export function createSmtpSender(options: SmtpSenderOptions): MessageSender {
  assert(/^smtps?:\/\/[^/]+/.test(options.url), "the SMTP URL starts with smtp:// or smtps://");
  assert(
    /^[^\s@<>]+@[^\s@<>]+$/.test(options.from),
    `the sender must be a bare address, got ${options.from}`,
  );
  assertTimeoutMs(options.timeoutMs);
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    // Messages are text we wrote; nothing may make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(message) {
      assertOutboundMessage(message, "email");
      const messageId = messageIdFor(message.sendKey);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? "",
          text: message.body,
          messageId,
          headers: { "Content-Language": message.language },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (info.rejected.length > 0) {
          return {
            ok: false,
            code: "invalid_recipient",
            retryable: false,
            message: "the relay refused the recipient",
          };
        }
        return { ok: true, providerMessageId: providerMessageIdOr(info.messageId, messageId) };
      } catch (error) {
        return smtpFailure(error);
      }
    },
  };
}
