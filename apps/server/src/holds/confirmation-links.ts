/**
 * The optional one-time answer link. Each confirmation request gets a fresh random token, bound to
 * its hold and valid until the hold expires, never longer; the link opens the issuer's page, which
 * shows the payment and two buttons and asks for nothing else. Only answering spends the token, so
 * a mail scanner that opens the link first does not use it up.
 *
 * The token is kept only as its SHA-256. A keyed HMAC earns its key where the input can be
 * guessed (a PAN, a six-digit code); this input is 128 random bits, so its hash can be neither
 * inverted nor searched without a key either, and with no key to rotate or lose every link stays
 * checkable across restarts. Cardholder sessions keep their tokens the same way.
 */
import { createHash } from "node:crypto";
import { limits } from "../config/limits.ts";
import type { IdGenerator } from "../platform/ids.ts";
import type { Random } from "../platform/random.ts";
import type { DocumentRecord } from "../storage/index.ts";
import type { Hold } from "./hold.ts";

export type ConfirmationLink = {
  readonly id: string;
  readonly version: number;
  readonly holdId: string;
  readonly cardId: string;
  readonly cardholderId: string;
  /** SHA-256 of the token, hex: the lookup key. The token itself is stored nowhere. */
  readonly tokenDigest: string;
  /** `open` until an answer through the link commits; then `spent`, for good. */
  readonly state: "open" | "spent";
  /** The hold's own expiry: the link never outlives the question it answers. */
  readonly expiresAtMs: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
};

/** Why a link cannot be used. Each says nothing about whether, or which, hold is behind it. */
export type ConfirmationLinkRefusal =
  | "confirmation_link_not_found"
  | "confirmation_link_used"
  | "confirmation_link_expired";

const tokenPattern = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((limits.confirmationLinkTokenBytes * 8) / 6)}}$`);

/** Whether a string could be one of our tokens at all; anything else is refused without a read. */
export function isLinkTokenShaped(token: string): boolean {
  return tokenPattern.test(token);
}

export function linkTokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new link for a hold: the URL to send (the only place the token appears) and its record. */
export function newConfirmationLink(
  deps: { readonly ids: IdGenerator; readonly random: Random },
  hold: Hold,
  baseUrl: string,
  nowMs: number,
): { readonly url: string; readonly link: ConfirmationLink } {
  const token = Buffer.from(deps.random.bytes(limits.confirmationLinkTokenBytes)).toString("base64url");
  return {
    url: `${baseUrl}${token}`,
    link: {
      id: deps.ids.next("lnk"),
      version: 1,
      holdId: hold.id,
      cardId: hold.cardId,
      cardholderId: hold.cardholderId,
      tokenDigest: linkTokenDigest(token),
      state: "open",
      expiresAtMs: hold.expiresAtMs,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    },
  };
}

export function linkToDocument(link: ConfirmationLink): DocumentRecord {
  return {
    kind: "confirmation_link",
    id: link.id,
    version: link.version,
    cardId: link.cardId,
    cardholderId: link.cardholderId,
    state: link.state,
    dueAtMs: link.state === "open" ? link.expiresAtMs : null,
    lookupKey: link.tokenDigest,
    createdAtMs: link.createdAtMs,
    updatedAtMs: link.updatedAtMs,
    body: { holdId: link.holdId, expiresAtMs: link.expiresAtMs },
  };
}

export function linkFromDocument(document: DocumentRecord): ConfirmationLink {
  const body = document.body as Pick<ConfirmationLink, "holdId" | "expiresAtMs">;
  return {
    id: document.id,
    version: document.version,
    holdId: body.holdId,
    cardId: document.cardId ?? "",
    cardholderId: document.cardholderId ?? "",
    tokenDigest: document.lookupKey ?? "",
    state: document.state as ConfirmationLink["state"],
    expiresAtMs: body.expiresAtMs,
    createdAtMs: document.createdAtMs,
    updatedAtMs: document.updatedAtMs,
  };
}
