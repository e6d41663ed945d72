/**
 * Push notifications go to the issuer's push relay (which holds the APNs and FCM credentials)
 * as a signed webhook. The signature follows Stripe's scheme: `t=<unix seconds>,v1=<hex>`, where
 * v1 is HMAC-SHA-256 over "<t>.<raw body>". Signing the time stops a captured request from
 * being replayed later; signing the raw bytes means the receiver must verify before parsing.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { Clock } from "../platform/clock.ts";
import { assertHttpUrl, assertTimeoutMs, type Fetch, postJson } from "./http-post.ts";
import { assertOutboundMessage, type MessageSender } from "./message-sender.ts";

export const pushSignatureHeader = "x-mimamori-signature";

export type PushWebhookSenderOptions = {
  readonly url: string;
  readonly signingKey: Buffer;
  readonly clock: Clock;
  /** limits.pushSendTimeoutMs unless the relay is far away. */
  readonly timeoutMs: number;
  readonly fetch?: Fetch | undefined;
};

function signatureOf(timeSeconds: number, rawBody: string | Buffer, key: Buffer): string {
  return createHmac("sha256", key).update(`${timeSeconds}.`).update(rawBody).digest("hex");
}

/** The header value for a body signed at nowMs. */
export function signPushBody(rawBody: string, key: Buffer, nowMs: number): string {
  assert(key.length >= limits.pushSigningKeyBytesMin, "a push signing key has at least 32 bytes");
  const timeSeconds = Math.floor(nowMs / 1_000);
  return `t=${timeSeconds},v1=${signatureOf(timeSeconds, rawBody, key)}`;
}

export function createPushWebhookSender(options: PushWebhookSenderOptions): MessageSender {
  assertHttpUrl(options.url, "the push relay URL");
  assertTimeoutMs(options.timeoutMs);
  assert(
    options.signingKey.length >= limits.pushSigningKeyBytesMin,
    "a push signing key has at least 32 bytes",
  );
  const fetchFunction = options.fetch ?? fetch;
  return {
    send(message) {
      assertOutboundMessage(message, "push");
      const body = JSON.stringify({
        sendKey: message.sendKey,
        cardholderId: message.cardholderId,
        title: message.subject,
        body: message.body,
        language: message.language,
      });
      return postJson({
        url: options.url,
        headers: { [pushSignatureHeader]: signPushBody(body, options.signingKey, options.clock.nowMs()) },
        body,
        sendKey: message.sendKey,
        timeoutMs: options.timeoutMs,
        fetch: fetchFunction,
        provider: "the push relay",
      });
    },
  };
}

export type PushSignatureCheck =
  | { ok: true }
  | { ok: false; code: "signature_malformed" | "signature_expired" | "signature_mismatch"; message: string };

/**
 * For the receiving relay (and our tests): accepts the request if any v1 signature matches,
 * so keys can rotate with both signatures in the header, and if its time is within
 * toleranceMs of the receiver's clock, in either direction.
 */
export function verifyPushSignature(
  header: string,
  rawBody: string | Buffer,
  key: Buffer,
  nowMs: number,
  toleranceMs: number,
): PushSignatureCheck {
  if (header.length > limits.pushSignatureHeaderLengthMax) {
    return { ok: false, code: "signature_malformed", message: "the signature header is too long" };
  }
  let timeSeconds: number | null = null;
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const [name, value] = item.trim().split("=", 2);
    if (name === "t" && value !== undefined && /^\d{1,12}$/.test(value)) {
      timeSeconds = Number(value);
    } else if (name === "v1" && value !== undefined && /^[0-9a-f]{64}$/.test(value)) {
      signatures.push(value);
    }
  }
  if (timeSeconds === null || signatures.length === 0) {
    return { ok: false, code: "signature_malformed", message: "expected t=<seconds>,v1=<64 hex digits>" };
  }
  if (Math.abs(nowMs - timeSeconds * 1_000) > toleranceMs) {
    return { ok: false, code: "signature_expired", message: "the signature's time is outside the tolerance" };
  }
  const expected = Buffer.from(signatureOf(timeSeconds, rawBody, key), "hex");
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
  return matches
    ? { ok: true }
    : { ok: false, code: "signature_mismatch", message: "no signature matches the body" };
}
