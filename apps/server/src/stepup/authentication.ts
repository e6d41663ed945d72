/**
 * One 3-D Secure authentication request and what became of it. The authentication value that a
 * passed authentication yields is never stored: it is derived from the authentication's id with
 * a server key (as a scheme's CAVV is), so a retry gets the same value, and only its hash is
 * indexed for the authorization that presents it.
 */
import { createHash, createHmac } from "node:crypto";
import type { ChallengePreference } from "@mimamori/contracts";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import type { DocumentRecord } from "../storage/index.ts";
import type { TransStatus } from "./authentication-result.ts";

export const authenticationStates = [
  /** Waiting for the cardholder's code. */
  "challenge",
  /** Passed (frictionless or by code): the value may be presented once. */
  "authenticated",
  /** The value was spent by an approved authorization. */
  "used",
  /** Passed, then the cardholder reported the code as never asked for: the value is void. */
  "revoked",
  /** Not authenticated: rejected, failed, expired or cancelled. */
  "not_authenticated",
] as const;
export type AuthenticationState = (typeof authenticationStates)[number];

export type Authentication = {
  readonly id: string;
  readonly version: number;
  /** The ACS's transaction id: the idempotency key of the request. */
  readonly externalId: string;
  /** Keyed digest of the request (it holds a PAN), to tell a retry from a conflicting reuse. */
  readonly requestDigest: string;
  readonly cardId: string;
  readonly cardholderId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly merchant: {
    readonly id: string;
    readonly name: string;
    readonly mcc: string;
    readonly country: string;
  };
  readonly deviceChannel: "browser" | "app";
  readonly challengePreference: ChallengePreference;
  readonly riskOutcome: string;
  readonly score: number;
  readonly reasonCodes: readonly string[];
  readonly rulesetVersion: number;
  readonly state: AuthenticationState;
  /** The answer given to the request itself (Y, C, N, R); later results are in `transStatus`. */
  readonly initialTransStatus: TransStatus;
  readonly initialTransStatusReason: string | null;
  readonly transStatus: TransStatus;
  readonly transStatusReason: string | null;
  readonly challengeCancel: string | null;
  readonly eci: string | null;
  readonly challengeId: string | null;
  /** SHA-256 of the authentication value, once passed. */
  readonly valueHash: string | null;
  readonly valueExpiresAtMs: number | null;
  readonly usedByAuthorizationId: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
};

/** 20 bytes, base64: the size and look of a scheme's CAVV or AAV. */
export function authenticationValueOf(key: Buffer, authenticationId: string): string {
  return createHmac("sha256", key)
    .update(`authentication-value:${authenticationId}`)
    .digest()
    .subarray(0, limits.authenticationValueBytes)
    .toString("base64");
}

/** The value is 160 bits from a keyed function, so a plain hash is enough to index it. */
export function authenticationValueHash(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function authenticationToDocument(authentication: Authentication): DocumentRecord {
  return {
    kind: "authentication",
    id: authentication.id,
    version: authentication.version,
    cardId: authentication.cardId,
    cardholderId: authentication.cardholderId,
    state: authentication.state,
    dueAtMs: null,
    lookupKey: authentication.externalId,
    createdAtMs: authentication.createdAtMs,
    updatedAtMs: authentication.updatedAtMs,
    body: authentication,
  };
}

export function authenticationFromDocument(document: DocumentRecord): Authentication {
  assert(document.kind === "authentication", "an authentication document");
  const authentication = document.body as Authentication;
  assert(authentication.version === document.version, "the body's version is the document's");
  return authentication;
}

export function withChange(
  authentication: Authentication,
  change: Partial<Authentication>,
  nowMs: number,
): Authentication {
  return { ...authentication, ...change, version: authentication.version + 1, updatedAtMs: nowMs };
}
