/**
 * Support guidance: "what should I do now?" for a situation, and the directory of the issuer's
 * channels, both answered for an instant (now, unless the caller names one).
 */
import { type Static, Type } from "typebox";

const Language = Type.Union([Type.Literal("ja"), Type.Literal("en")]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const situationValues = [
  "suspicious_charge",
  "card_lost_or_stolen",
  "unrequested_code",
  "entered_card_on_fake_site",
  "payment_reminder_call",
  "romance_or_investment_scam",
] as const;
export type Situation = (typeof situationValues)[number];
const SituationType = Type.Union([
  Type.Literal("suspicious_charge"),
  Type.Literal("card_lost_or_stolen"),
  Type.Literal("unrequested_code"),
  Type.Literal("entered_card_on_fake_site"),
  Type.Literal("payment_reminder_call"),
  Type.Literal("romance_or_investment_scam"),
]);

/** ISO 8601 with an offset, so the instant is never read in the server's zone. */
const IsoTimeWithOffset = Type.String({
  maxLength: 40,
  pattern:
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
  description: "ISO 8601 with an offset; now when absent",
});

export const GuidanceQuery = Type.Object(
  { situation: SituationType, lang: Type.Optional(Language), at: Type.Optional(IsoTimeWithOffset) },
  { additionalProperties: false },
);
export type GuidanceQuery = Static<typeof GuidanceQuery>;

export const ChannelsQuery = Type.Object(
  { lang: Type.Optional(Language), at: Type.Optional(IsoTimeWithOffset) },
  { additionalProperties: false },
);
export type ChannelsQuery = Static<typeof ChannelsQuery>;

const PhoneCost = Type.Union([
  Type.Literal("free_dial"),
  Type.Literal("navi_dial"),
  Type.Literal("geographic"),
  Type.Literal("mobile"),
  Type.Literal("ip_phone"),
  Type.Literal("international"),
]);
const NextOpening = Type.Object({
  at: Type.String({ description: "ISO 8601 instant, UTC" }),
  local: Type.String({ description: "ISO 8601 local time in the issuer's zone, with offset" }),
  text: Type.String(),
});

const channelViewFields = {
  id: Type.String(),
  kind: Type.Union([
    Type.Literal("phone"),
    Type.Literal("chat"),
    Type.Literal("web_form"),
    Type.Literal("app"),
    Type.Literal("email"),
  ]),
  name: Type.String(),
  number: NullableString,
  where: NullableString,
  callersFrom: Type.Union([
    Type.Literal("domestic"),
    Type.Literal("abroad"),
    Type.Literal("any"),
    Type.Null(),
  ]),
  hours: Type.String(),
  isOpenNow: Type.Union([Type.Boolean(), Type.Null()]),
  nextOpening: Type.Union([NextOpening, Type.Null()]),
  cost: Type.Union([PhoneCost, Type.Null()]),
  costText: NullableString,
};
export const ChannelView = Type.Object(channelViewFields);

const instantFields = {
  language: Language,
  at: Type.String({ description: "ISO 8601 instant, UTC" }),
  atLocal: Type.String({ description: "the same instant on the issuer's clock" }),
  timeZone: Type.String(),
};

export const GuidanceView = Type.Object({
  situation: SituationType,
  ...instantFields,
  title: Type.String(),
  summary: Type.String(),
  selfService: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      how: Type.String(),
      availability: Type.String(),
      isAvailableNow: Type.Boolean(),
    }),
  ),
  advice: Type.Array(Type.String()),
  prepare: Type.Array(Type.String()),
  afterReissue: Type.Array(Type.String()),
  channels: Type.Object({ openNow: Type.Array(ChannelView), closedNow: Type.Array(ChannelView) }),
  reportTo: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      what: Type.String(),
      dial: NullableString,
      url: NullableString,
      where: NullableString,
      hours: NullableString,
      isOpenNow: Type.Union([Type.Boolean(), Type.Null()]),
      notes: Type.Array(Type.String()),
      pros: Type.Array(Type.String()),
      cons: Type.Array(Type.String()),
    }),
  ),
});
export type GuidanceView = Static<typeof GuidanceView>;

const DomainView = Type.Object({
  domain: Type.String(),
  includeSubdomains: Type.Boolean(),
  purpose: Type.String(),
});

export const ChannelDirectoryView = Type.Object({
  issuer: Type.String(),
  ...instantFields,
  phones: Type.Array(
    Type.Object({
      ...channelViewFields,
      direction: Type.Union([
        Type.Literal("we_call_you"),
        Type.Literal("you_call_us"),
        Type.Literal("both"),
        Type.Null(),
      ]),
      sendsSms: Type.Boolean(),
      retired: Type.Union([Type.Object({ on: Type.String(), note: Type.String() }), Type.Null()]),
      situations: Type.Array(SituationType),
    }),
  ),
  channels: Type.Array(Type.Object({ ...channelViewFields, situations: Type.Array(SituationType) })),
  smsSenders: Type.Array(Type.Object({ sender: Type.String(), note: Type.String() })),
  webDomains: Type.Array(DomainView),
  emailDomains: Type.Array(DomainView),
  apps: Type.Array(
    Type.Object({ name: Type.String(), platforms: Type.Array(Type.String()), purpose: Type.String() }),
  ),
});
export type ChannelDirectoryView = Static<typeof ChannelDirectoryView>;
