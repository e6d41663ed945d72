/**
 * HTTP request and response schemas (TypeBox → JSON Schema), shared by the server, which
 * validates with them, and the web apps. camelCase fields, money in integer minor units.
 */
import { type Static, Type } from "typebox";

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$" });
const Country = Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" });
/** A card by its number (the issuer's host and the ACS send it) or by its id. */
const CardReference = Type.Union([
  Type.Object({ pan: Type.String({ minLength: 12, maxLength: 23 }) }, { additionalProperties: false }),
  Type.Object({ cardId: Id }, { additionalProperties: false }),
]);
const Money = Type.Object(
  {
    minor: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
  },
  { additionalProperties: false },
);
const merchantFields = {
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mcc: Type.String({ pattern: "^[0-9]{4}$" }),
  country: Country,
};
/** ISO 8601 with an offset: the offset is the merchant's local time, a scoring feature. */
const IsoTimeWithOffset = Type.String({
  maxLength: 40,
  pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
});

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Array(Type.Unknown())),
  }),
});

export const CreateCardholderBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.String({ pattern: "^\\+[1-9][0-9]{6,14}$", description: "E.164" }),
    email: Type.String({ maxLength: 254, pattern: "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$" }),
    language: Type.Union([Type.Literal("ja"), Type.Literal("en")]),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: "IANA, e.g. Asia/Tokyo" }),
    homeCountry: Country,
    securityPhrase: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 40,
        description: "Shown in every genuine message; drawn for the cardholder when absent",
      }),
    ),
    stepUpChannel: Type.Optional(
      Type.Union([Type.Literal("sms"), Type.Literal("email"), Type.Literal("push")], {
        description: "Where one-time codes go; SMS when absent",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateCardholderBody = Static<typeof CreateCardholderBody>;

export const CreateCardBody = Type.Object(
  {
    cardholderId: Id,
    pan: Type.String({ minLength: 12, maxLength: 23 }),
    expiry: Type.String({ pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" }),
  },
  { additionalProperties: false },
);
export type CreateCardBody = Static<typeof CreateCardBody>;

export const CardView = Type.Object({
  id: Type.String(),
  cardholderId: Type.String(),
  panMasked: Type.String(),
  expiry: Type.String(),
  state: Type.String(),
  replaces: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type CardView = Static<typeof CardView>;

export const channelValues = ["pos", "contactless", "ecommerce", "atm", "moto", "recurring"] as const;
export type Channel = (typeof channelValues)[number];

export const cardStateValues = ["active", "locked", "suspended", "blocked", "replaced"] as const;
export type CardState = (typeof cardStateValues)[number];

export const AuthorizationBody = Type.Object(
  {
    id: Id,
    card: CardReference,
    amount: Money,
    merchant: Type.Object(
      { ...merchantFields, terminalId: Type.Optional(Id) },
      { additionalProperties: false },
    ),
    channel: Type.Union(channelValues.map((value) => Type.Literal(value))),
    occurredAt: IsoTimeWithOffset,
    device: Type.Optional(
      Type.Object(
        {
          ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
    ),
    threeDs: Type.Optional(
      Type.Object(
        {
          authenticationValue: Type.String({
            minLength: 1,
            maxLength: 64,
            description: "From a passed POST /v1/step-up/authentications (transStatus Y)",
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AuthorizationBody = Static<typeof AuthorizationBody>;

export const issuerLabelSourceValues = ["chargeback", "import"] as const;
/** Labels in one request: a file imports in pages of this many (limits.labelsPerRequestMax). */
export const labelsPerRequestMax = 500;

/**
 * Labels the issuer learned outside the loop (chargebacks, imported files). Each names its payment
 * by mimamori's `authorizationId` or by the issuer's own `externalId` (the authorization's id):
 * exactly one of the two.
 */
export const LabelsBody = Type.Object(
  {
    labels: Type.Array(
      Type.Object(
        {
          authorizationId: Type.Optional(Id),
          externalId: Type.Optional(Id),
          label: Type.Union([Type.Literal("fraud"), Type.Literal("genuine")]),
          source: Type.Union(issuerLabelSourceValues.map((value) => Type.Literal(value))),
          knownAt: Type.Optional(IsoTimeWithOffset),
          reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: labelsPerRequestMax },
    ),
  },
  { additionalProperties: false },
);
export type LabelsBody = Static<typeof LabelsBody>;

/** EMV 3DS `threeDSRequestorChallengeInd` 01–04 in words: what the merchant's side would like. */
export const challengePreferenceValues = [
  "no_preference",
  "no_challenge",
  "challenge_requested",
  "challenge_mandated",
] as const;
export type ChallengePreference = (typeof challengePreferenceValues)[number];

/**
 * A 3-D Secure authentication request (the AReq's risk data) as the issuer's ACS forwards it.
 * `id` is the ACS's transaction id: a retry with the same id and body gets the same answer.
 */
export const StepUpAuthenticationBody = Type.Object(
  {
    id: Id,
    card: CardReference,
    amount: Money,
    merchant: Type.Object(merchantFields, { additionalProperties: false }),
    deviceChannel: Type.Union([Type.Literal("browser"), Type.Literal("app")]),
    device: Type.Optional(
      Type.Object(
        {
          ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          fingerprint: Type.Optional(
            Type.String({ minLength: 1, maxLength: 256, description: "The ACS's 3DS Method result" }),
          ),
          userAgent: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
          acceptLanguage: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          sdkAppId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    challengePreference: Type.Optional(
      Type.Union(challengePreferenceValues.map((value) => Type.Literal(value))),
    ),
    purchaseAt: Type.Optional(IsoTimeWithOffset),
  },
  { additionalProperties: false },
);
export type StepUpAuthenticationBody = Static<typeof StepUpAuthenticationBody>;

export const VerifyChallengeBody = Type.Object(
  // Loose on purpose: a mistyped code is a wrong code that spends an attempt, not a schema error.
  { code: Type.String({ minLength: 1, maxLength: 16 }) },
  { additionalProperties: false },
);
export type VerifyChallengeBody = Static<typeof VerifyChallengeBody>;

export const outcomeValues = ["approve", "step_up", "hold", "decline"] as const;

export const Reason = Type.Object({ code: Type.String(), message: Type.String(), ruleId: Type.String() });

export const CreateRulesetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    text: Type.String({ minLength: 1, maxLength: 256 * 1024 }),
  },
  { additionalProperties: false },
);
export type CreateRulesetBody = Static<typeof CreateRulesetBody>;

export const rulesetTransitionValues = ["shadow", "active", "retired"] as const;
export const RulesetTransitionBody = Type.Object(
  { status: Type.Union(rulesetTransitionValues.map((value) => Type.Literal(value))) },
  { additionalProperties: false },
);
export type RulesetTransitionBody = Static<typeof RulesetTransitionBody>;

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/** The confirmation loop's bodies and queries. */
export const CardQuery = Type.Object({ cardId: Id }, { additionalProperties: false });
export const CardholderQuery = Type.Object({ cardholderId: Id }, { additionalProperties: false });
export const AnalystActionBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export const AnswerBody = Type.Object(
  { answer: Type.Union([Type.Literal("mine"), Type.Literal("not_mine")]) },
  { additionalProperties: false },
);
export const SmsInboundBody = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 32 }),
    body: Type.String({ maxLength: 1_600 }),
  },
  { additionalProperties: false },
);
export const CardholderSessionBody = Type.Object({ cardholderId: Id }, { additionalProperties: false });
export const ReportLostBody = Type.Object(
  { kind: Type.Union([Type.Literal("lost"), Type.Literal("stolen")]) },
  { additionalProperties: false },
);

/** Who asked the token service for the token: a wallet, or a merchant keeping the card on file. */
export const walletTokenRequestorValues = ["apple_pay", "google_pay", "samsung_pay", "merchant"] as const;
export const RegisterWalletTokenBody = Type.Object(
  {
    tokenReferenceId: Type.String({
      maxLength: 64,
      // 12 to 19 digits alone could be a token's own number (the DPAN), which is never accepted.
      pattern: "^(?![0-9]{12,19}$)[A-Za-z0-9][A-Za-z0-9_-]*$",
      description:
        "The token service's id (VTS tokenReferenceID, MDES tokenUniqueReference); never the token number",
    }),
    tokenRequestor: Type.Union(walletTokenRequestorValues.map((value) => Type.Literal(value))),
    deviceName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type RegisterWalletTokenBody = Static<typeof RegisterWalletTokenBody>;

/**
 * The one-time confirmation link's token, as the page's URL carries it. Its shape is checked by
 * the server, so a wrong token of any length up to the router's own limit gets the same neutral page.
 */
export const ConfirmationLinkParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
