/**
 * One JSON POST to a provider, mapped onto SendResult. Shared by the SMS gateway and the push
 * relay, which differ only in body and headers. Every request carries the send key as its
 * Idempotency-Key, which is what makes retrying after a timeout safe.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { providerMessageIdOr, type SendResult } from "./message-sender.ts";

export type Fetch = typeof fetch;

export type JsonPost = {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes sent; a signature is computed over these. */
  readonly body: string;
  readonly sendKey: string;
  readonly timeoutMs: number;
  readonly fetch: Fetch;
  /** Names the provider in failure messages. */
  readonly provider: string;
};

export function assertTimeoutMs(timeoutMs: number): void {
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, "a send timeout is a positive whole number of ms");
}

export function assertHttpUrl(url: string, what: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  assert(parsed !== null && /^https?:$/.test(parsed.protocol), `${what} must be an http(s) URL, got ${url}`);
}

/** Reads at most providerResponseBytesMax bytes; a larger answer is not ours to buffer. */
async function readBounded(response: Response): Promise<string | null> {
  if (response.body === null) {
    return "";
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return Buffer.concat(chunks).toString("utf8");
    }
    bytes += value.byteLength;
    if (bytes > limits.providerResponseBytesMax) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

/** The provider's id for an accepted message, if its answer has one; the answer is only a hint. */
async function acceptedId(response: Response, fallback: string): Promise<string> {
  try {
    const text = await readBounded(response);
    const json: unknown = text === null || text === "" ? null : JSON.parse(text);
    const id = typeof json === "object" && json !== null && "id" in json ? json.id : undefined;
    return providerMessageIdOr(id, fallback);
  } catch {
    // The provider accepted the message (2xx); an unreadable answer does not undo that.
    return fallback;
  }
}

/**
 * 408 (the provider timed out reading us), 425 and 429 (slow down) are worth retrying with the
 * same key; every other 4xx says the request itself is wrong and will be refused again.
 */
const retryableClientStatuses = new Set([408, 425, 429]);

export async function postJson(post: JsonPost): Promise<SendResult> {
  let response: Response;
  try {
    response = await post.fetch(post.url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": post.sendKey, ...post.headers },
      body: post.body,
      signal: AbortSignal.timeout(post.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return {
        ok: false,
        code: "timeout",
        retryable: true,
        message: `${post.provider} did not answer within ${post.timeoutMs} ms`,
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      code: "provider_unavailable",
      retryable: true,
      message: `${post.provider}: ${reason}`,
    };
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    return { ok: true, providerMessageId: await acceptedId(response, post.sendKey) };
  }
  // Error bodies are not read: they may echo the recipient, which does not belong in our logs.
  await response.body?.cancel().catch(() => undefined);
  if (status >= 400 && status < 500 && !retryableClientStatuses.has(status)) {
    return {
      ok: false,
      code: "provider_rejected",
      retryable: false,
      message: `${post.provider} refused: ${status}`,
    };
  }
  return {
    ok: false,
    code: "provider_unavailable",
    retryable: true,
    message: `${post.provider} answered ${status}`,
  };
}
