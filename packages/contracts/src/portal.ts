/**
 * The cardholder portal's API (`/v1/portal/*` to sign in, `/v1/cardholder/*` with the session
 * token): request bodies as schemas the server validates, responses as the types the web app reads.
 */
import { type Static, Type } from "typebox";

/**
 * The e-mail a credential is enrolled under: no lone UTF-16 surrogate, which is no address at all
 * and cannot be percent-encoded into the authenticator app's otpauth URI (found by the fuzz suite).
 */
export const CredentialEmail = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: "^[^\\ud800-\\udfff]+$",
});

/** Six digits from the cardholder's authenticator app (RFC 6238, 30-second steps). */
const TotpCode = Type.String({ pattern: "^[0-9]{6}$" });

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    code: TotpCode,
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

/** The issuer's registration flow hands over the password the cardholder chose, once. */
export const PortalCredentialBody = Type.Object(
  {
    email: CredentialEmail,
    password: Type.String({ minLength: 12, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type PortalCredentialBody = Static<typeof PortalCredentialBody>;

/** A second factor being set up: the secret to add to an authenticator app, and its otpauth URI. */
export type TotpEnrollmentView = { secret: string; uri: string };

export type Money = { minor: number; currency: string };

export type PortalSessionView = { token: string; expiresAt: string };

export type PortalCardView = {
  id: string;
  panMasked: string;
  last4: string;
  expiry: string;
  state: "active" | "locked" | "suspended" | "blocked" | "replaced";
  /** The card this one replaced after a reissue, or null. */
  replaces: string | null;
};

export type PortalMeView = {
  cardholder: {
    id: string;
    name: string;
    language: "ja" | "en";
    timeZone: string;
    /** Shown in every genuine message from us; the portal shows it so the cardholder learns it. */
    securityPhrase: string;
  };
  cards: PortalCardView[];
};

export type PortalTransactionView = {
  authorizationId: string;
  cardId: string;
  last4: string;
  occurredAt: string;
  amount: Money;
  merchant: { name: string; country: string };
  channel: string;
  outcome: "approve" | "step_up" | "hold" | "decline";
};

/** A merchant that kept the old card on file and is told the new one through the card network. */
export type CardOnFileView = { merchantName: string; state: string; updatedAt: string };

export type ReissueView = {
  caseId: string;
  openedAt: string;
  reason: string;
  oldCard: { id: string; last4: string; state: string };
  newCard: { id: string; last4: string; state: string; expiry: string } | null;
  cardOnFile: CardOnFileView[];
  disputedCharges: { authorizationId: string; amount: Money; merchantName: string; state: string }[];
};
