/**
 * Inbound webhooks signed by their sender (the SMS provider's replies), in the scheme our own
 * push webhooks use: `x-mimamori-signature: t=<unix seconds>,v1=<hex>`, HMAC-SHA-256 over
 * "<t>.<raw body>". The time bounds how long a captured request stays usable; within that
 * tolerance each signed (time, body) pair is accepted once, so a captured request cannot be sent
 * again at all. With Redis the memory of accepted pairs is shared by every process; without it,
 * the one process that serves the API keeps it.
 */
import { createHash } from "node:crypto";
import type { ErrorCode } from "@mimamori/contracts";
import type { Redis } from "ioredis";
import { limits } from "../config/limits.ts";
import { verifyPushSignature } from "../notifications/index.ts";
import type { Clock } from "../platform/clock.ts";

export { pushSignatureHeader as webhookSignatureHeader } from "../notifications/index.ts";

export type WebhookSignatureCheck = (
  header: string | string[] | undefined,
  rawBody: string,
) => Promise<ErrorCode | null>;

/** The signed time as the verifier reads it: the last well-formed `t=`, so both agree on it. */
function signedTimeOf(header: string): number | null {
  let timeSeconds: number | null = null;
  for (const item of header.split(",")) {
    const [name, value] = item.trim().split("=", 2);
    if (name === "t" && value !== undefined && /^\d{1,12}$/.test(value)) {
      timeSeconds = Number(value);
    }
  }
  return timeSeconds;
}

export function createWebhookSignatureCheck(deps: {
  signingKey: Buffer;
  clock: Clock;
  /** Where accepted signatures are remembered across processes; null keeps them in this one. */
  replayStore: { redis: Redis; keyPrefix: string } | null;
}): WebhookSignatureCheck {
  const toleranceMs = limits.smsInboundSignatureToleranceMs;
  /** Accepted (time, body) pairs in this process, with when the time check alone refuses them. */
  const accepted = new Map<string, number>();

  /** True the first time a pair is seen within its life; false for a replay. */
  const isFirstUse = async (pair: string, expiresAtMs: number): Promise<boolean> => {
    const nowMs = deps.clock.nowMs();
    const lifeMs = Math.max(1, expiresAtMs - nowMs);
    if (deps.replayStore !== null) {
      const key = `${deps.replayStore.keyPrefix}webhook:${pair}`;
      return (await deps.replayStore.redis.set(key, "1", "PX", lifeMs, "NX")) === "OK";
    }
    for (const [oldPair, oldExpiresAtMs] of accepted) {
      if (oldExpiresAtMs > nowMs && accepted.size < limits.smsInboundSignaturesRememberedMax) {
        break;
      }
      accepted.delete(oldPair);
    }
    if (accepted.has(pair)) {
      return false;
    }
    accepted.set(pair, expiresAtMs);
    return true;
  };

  return async (header, rawBody) => {
    if (typeof header !== "string") {
      return "webhook_signature_invalid";
    }
    const check = verifyPushSignature(header, rawBody, deps.signingKey, deps.clock.nowMs(), toleranceMs);
    if (!check.ok) {
      return check.code === "signature_expired" ? "webhook_signature_expired" : "webhook_signature_invalid";
    }
    const timeSeconds = signedTimeOf(header);
    if (timeSeconds === null) {
      return "webhook_signature_invalid";
    }
    // The pair, not the header: extra or reordered items in a header do not make a new request.
    const pair = `${timeSeconds}.${createHash("sha256").update(rawBody).digest("hex")}`;
    return (await isFirstUse(pair, timeSeconds * 1_000 + toleranceMs)) ? null : "webhook_replayed";
  };
}
