/**
 * The message that tells the issuer's card host (which embosses and activates cards) to make a
 * replacement card. It is the only place a new PAN, expiry and CVV leave mimamori, and they leave
 * sealed: signed as a JWS (HS256), then the JWS encrypted as a JWE (`dir`, A256GCM), a nested JWT
 * per RFC 7519 §5.2. Signing inside encryption means the card host can prove who asked for the
 * card, and nobody on the way, the outbox's storage included, can read or alter it.
 */
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from "jose";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { isLuhnValid } from "./pan.ts";

export type CardHostReason = "fraud_reissue" | "lost" | "stolen";

export type CardHostPayload = {
  cardId: string;
  replacesCardId: string;
  pan: string;
  expiry: string;
  cvv: string;
  reason: CardHostReason;
  issuedAtMs: number;
};

/**
 * One version of the keys shared with the card host. The two keys are separate so that the
 * encryption key alone (held, say, by a gateway that routes messages) cannot forge a request.
 */
export type CardHostKeys = { keyId: string; encryptionKey: Uint8Array; signingKey: Uint8Array };

export type OpenFromCardHostResult =
  | { ok: true; payload: CardHostPayload }
  | { ok: false; code: "bad_encryption" | "bad_signature" | "bad_payload"; message: string };

/** The JSON the outbox POSTs: routing metadata in clear, everything sensitive inside `sealed`. */
export type CardHostWebhookBody = {
  cardId: string;
  replacesCardId: string;
  reason: CardHostReason;
  issuedAt: string;
  sealed: string;
};

/**
 * An explicit `typ` (RFC 8725 §3.11), so that no other token signed with the same key, now or
 * later, can be replayed to the card host as a card order.
 */
export const cardHostTokenType = "mimamori-card-order+jwt";

const reasons: readonly CardHostReason[] = ["fraud_reissue", "lost", "stolen"];
const payloadKeys = ["cardId", "replacesCardId", "pan", "expiry", "cvv", "reason", "issuedAtMs"] as const;

function assertKeys(keys: CardHostKeys): void {
  assert(keys.keyId.length > 0, "card host keys have an id");
  assert(keys.encryptionKey.length === 32, "A256GCM needs a 32-byte key");
  assert(keys.signingKey.length === 32, "HS256 gets a 32-byte key");
  assert(!Buffer.from(keys.encryptionKey).equals(keys.signingKey), "the encryption and signing keys differ");
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= limits.externalIdLengthMax;
}

/**
 * Names the first field of a decoded payload that is wrong, or returns undefined. The message names
 * the field only, never its value, because the values are the secrets.
 */
function findPayloadProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "the payload is not an object";
  }
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !(payloadKeys as readonly string[]).includes(key));
  if (extra !== undefined) {
    return "the payload has an unexpected field";
  }
  const { cardId, replacesCardId, pan, expiry, cvv, reason, issuedAtMs } = record;
  if (!isId(cardId) || !isId(replacesCardId)) {
    return "cardId and replacesCardId are ids";
  }
  if (cardId === replacesCardId) {
    return "a card does not replace itself";
  }
  if (typeof pan !== "string" || !/^[0-9]{13,19}$/.test(pan) || !isLuhnValid(pan)) {
    return "pan is not a valid card number";
  }
  if (typeof expiry !== "string" || !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(expiry)) {
    return "expiry is not YYYY-MM";
  }
  if (typeof cvv !== "string" || !/^[0-9]{3,4}$/.test(cvv)) {
    return "cvv is not 3 or 4 digits";
  }
  if (typeof reason !== "string" || !(reasons as readonly string[]).includes(reason)) {
    return "reason is not a card host reason";
  }
  if (typeof issuedAtMs !== "number" || !Number.isSafeInteger(issuedAtMs) || issuedAtMs < 0) {
    return "issuedAtMs is not an instant";
  }
  return undefined;
}

/**
 * Seals a card order for the card host. The AES-GCM IV is drawn inside jose from the platform
 * CSPRNG, not from the Random port: under `dir` one key seals every order, and a repeated IV (a
 * seeded Random in the wrong place) would expose the XOR of two orders and allow forgery. The
 * output is therefore not reproducible from a seed, and nothing needs it to be.
 */
export async function sealForCardHost(payload: CardHostPayload, keys: CardHostKeys): Promise<string> {
  assertKeys(keys);
  const problem = findPayloadProblem(payload);
  assert(problem === undefined, `sealing a malformed card order: ${problem}`);
  // Rebuild the object from the known fields, so a caller's extra properties never travel.
  const claims: CardHostPayload = {
    cardId: payload.cardId,
    replacesCardId: payload.replacesCardId,
    pan: payload.pan,
    expiry: payload.expiry,
    cvv: payload.cvv,
    reason: payload.reason,
    issuedAtMs: payload.issuedAtMs,
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "HS256", kid: keys.keyId, typ: cardHostTokenType })
    .sign(keys.signingKey);
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: keys.keyId, cty: "JWT" })
    .encrypt(keys.encryptionKey);
}

/**
 * What the card host runs on a sealed order: decrypt, verify, then check the fields. Every failure
 * of the untrusted input is a coded result. The algorithms are pinned, so a token that names
 * another algorithm (`none`, or RSA with the shared key as a "public key") is refused.
 */
export async function openFromCardHost(compact: string, keys: CardHostKeys): Promise<OpenFromCardHostResult> {
  assertKeys(keys);
  if (compact.length > limits.cardHostSealedLengthMax) {
    return { ok: false, code: "bad_encryption", message: "The sealed order is longer than any real one." };
  }
  let jws: string;
  try {
    const decrypted = await compactDecrypt(compact, keys.encryptionKey, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    if (decrypted.protectedHeader.kid !== keys.keyId || decrypted.protectedHeader.cty !== "JWT") {
      return {
        ok: false,
        code: "bad_encryption",
        message: "The sealed order names another key or content type.",
      };
    }
    jws = new TextDecoder("utf-8", { fatal: true }).decode(decrypted.plaintext);
  } catch {
    return {
      ok: false,
      code: "bad_encryption",
      message: "The sealed order does not decrypt under this key.",
    };
  }
  let payloadBytes: Uint8Array;
  try {
    const verified = await compactVerify(jws, keys.signingKey, { algorithms: ["HS256"] });
    if (verified.protectedHeader.kid !== keys.keyId) {
      return { ok: false, code: "bad_signature", message: "The order is signed under another key." };
    }
    if (verified.protectedHeader.typ !== cardHostTokenType) {
      return { ok: false, code: "bad_payload", message: "The signed token is not a card order." };
    }
    payloadBytes = verified.payload;
  } catch {
    return {
      ok: false,
      code: "bad_signature",
      message: "The order's signature does not verify under this key.",
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payloadBytes));
  } catch {
    return { ok: false, code: "bad_payload", message: "The order is not JSON." };
  }
  const problem = findPayloadProblem(value);
  if (problem !== undefined) {
    return { ok: false, code: "bad_payload", message: `The order is malformed: ${problem}.` };
  }
  return { ok: true, payload: value as CardHostPayload };
}

/**
 * The webhook body. It is built field by field from `meta`, never spread, so passing the whole
 * payload by mistake still leaves the PAN, expiry and CVV out.
 */
export function cardHostWebhookBody(
  sealed: string,
  meta: Pick<CardHostPayload, "cardId" | "replacesCardId" | "reason" | "issuedAtMs">,
): CardHostWebhookBody {
  assert(sealed.split(".").length === 5, "sealed is a compact JWE");
  assert(Number.isSafeInteger(meta.issuedAtMs), "issuedAtMs is an integer instant");
  return {
    cardId: meta.cardId,
    replacesCardId: meta.replacesCardId,
    reason: meta.reason,
    issuedAt: new Date(meta.issuedAtMs).toISOString(),
    sealed,
  };
}
