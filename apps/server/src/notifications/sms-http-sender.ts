/**
 * SMS through an HTTP gateway: a JSON POST of `{ to, body, sendKey }`. Gateways differ in their
 * own APIs; this is the shape mimamori speaks, and an issuer puts a thin relay in front of its
 * carrier or aggregator if that speaks something else.
 */
import { assertHttpUrl, assertTimeoutMs, type Fetch, postJson } from "./http-post.ts";
import { assertOutboundMessage, type MessageSender } from "./message-sender.ts";

export type SmsHttpSenderOptions = {
  readonly url: string;
  /** Sent as a bearer token when given. */
  readonly apiKey?: string | undefined;
  /** limits.smsSendTimeoutMs unless the gateway is known to be slower. */
  readonly timeoutMs: number;
  /** Tests pass their own; production uses the global fetch. */
  readonly fetch?: Fetch | undefined;
};

export function createSmsHttpSender(options: SmsHttpSenderOptions): MessageSender {
  assertHttpUrl(options.url, "the SMS gateway URL");
  assertTimeoutMs(options.timeoutMs);
  const headers: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
  const fetchFunction = options.fetch ?? fetch;
  return {
    send(message) {
      assertOutboundMessage(message, "sms");
      return postJson({
        url: options.url,
        headers,
        body: JSON.stringify({ to: message.to, body: message.body, sendKey: message.sendKey }),
        sendKey: message.sendKey,
        timeoutMs: options.timeoutMs,
        fetch: fetchFunction,
        provider: "the SMS gateway",
      });
    },
  };
}
