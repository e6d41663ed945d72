/**
 * What the platform says to a cardholder: the kinds of message, the channels and languages they
 * go out in, and the variables each kind may show. Templates and the safety rules both read
 * these tables, so a new kind is declared once and checked everywhere.
 */
import { limits } from "../config/limits.ts";

export const languages = ["ja", "en"] as const;
export type Language = (typeof languages)[number];

export const channels = ["sms", "email", "push"] as const;
export type Channel = (typeof channels)[number];

export const placeholders = [
  "issuerName",
  "merchant",
  "amount",
  "localTime",
  "last4",
  "securityPhrase",
  "reference",
  "confirmationList",
  "link",
  "code",
  "officialDomain",
  "validMinutes",
] as const;
export type Placeholder = (typeof placeholders)[number];

type KindSpec = {
  /** Channels the kind goes out on; replies to an SMS answer only by SMS. */
  readonly channels: readonly Channel[];
  /** Variables the caller supplies for every message of this kind. */
  readonly variables: readonly Placeholder[];
  /** Placeholders every template of this kind must show, so no override can drop them. */
  readonly shown: readonly Placeholder[];
  /** May carry the one-time answer link: only a request for an answer has a hold to bind it to. */
  readonly isLinkable?: boolean;
};

const allChannels = ["sms", "email", "push"] as const;
const transaction = ["merchant", "amount", "localTime", "last4"] as const;

export const kindSpecs = {
  confirmation_request: {
    channels: allChannels,
    variables: ["issuerName", ...transaction, "securityPhrase", "reference"],
    // The security phrase and the transaction details are what tell a genuine request from a copy.
    shown: ["issuerName", ...transaction, "securityPhrase"],
    isLinkable: true,
  },
  answer_received_mine: {
    channels: allChannels,
    variables: ["issuerName", "merchant", "amount", "last4"],
    shown: ["issuerName"],
  },
  answer_received_not_mine: {
    channels: allChannels,
    variables: ["issuerName", "merchant", "amount", "last4"],
    shown: ["issuerName", "last4"],
  },
  reply_needs_reference: {
    channels: ["sms"],
    variables: ["issuerName", "confirmationList", "reference"],
    shown: ["issuerName", "confirmationList"],
  },
  reply_not_understood: {
    channels: ["sms"],
    variables: ["issuerName"],
    shown: ["issuerName"],
  },
  no_open_confirmation: {
    channels: ["sms"],
    variables: ["issuerName"],
    shown: ["issuerName"],
  },
  hold_expired_call_notice: {
    channels: allChannels,
    variables: ["issuerName", ...transaction, "securityPhrase"],
    shown: ["issuerName", "last4"],
  },
  step_up_code: {
    channels: allChannels,
    variables: [
      "issuerName",
      "merchant",
      "amount",
      "last4",
      "securityPhrase",
      "code",
      "officialDomain",
      "validMinutes",
    ],
    // The payment it is for tells the cardholder whether they asked for it; the last line binds
    // the code to our domain (the origin-bound one-time code format that phones autofill).
    shown: ["issuerName", "merchant", "amount", "code", "officialDomain"],
  },
  step_up_unrequested_ack: {
    channels: allChannels,
    variables: ["issuerName", "last4", "securityPhrase"],
    shown: ["issuerName", "last4"],
  },
} as const satisfies Record<string, KindSpec>;

export type MessageKind = keyof typeof kindSpecs;
export const messageKinds = Object.keys(kindSpecs) as MessageKind[];

/**
 * The values a message of kind K is rendered with. `link` is never required: it is given only
 * where the issuer's policy allows its official domain on the channel, and only a linkable kind's
 * template may use it.
 */
export type TemplateVariables<K extends MessageKind> = {
  readonly [P in (typeof kindSpecs)[K]["variables"][number]]: string;
} & { readonly link?: string };

export function isMessageKind(value: string): value is MessageKind {
  return Object.hasOwn(kindSpecs, value);
}

export function isChannel(value: string): value is Channel {
  return (channels as readonly string[]).includes(value);
}

export function isLanguage(value: string): value is Language {
  return (languages as readonly string[]).includes(value);
}

export function isPlaceholder(value: string): value is Placeholder {
  return (placeholders as readonly string[]).includes(value);
}

export function kindHasChannel(kind: MessageKind, channel: Channel): boolean {
  return (kindSpecs[kind].channels as readonly Channel[]).includes(channel);
}

/** Placeholders a template of this kind may use: the kind's variables, and the link if it is linkable. */
export function kindAllows(kind: MessageKind, placeholder: Placeholder): boolean {
  const spec: KindSpec = kindSpecs[kind];
  return placeholder === "link" ? spec.isLinkable === true : spec.variables.includes(placeholder);
}

/** The longest line of the "which one?" list: "・A7K: 12/31 23:59 <merchant> <amount>". */
const confirmationLineLengthMax = 2 + 3 + 2 + 16 + 1 + limits.listedMerchantLengthMax + 1 + 24;

/**
 * The longest value each placeholder may take. Rendering asserts it, and the template rules use
 * it to prove that no SMS can outgrow the carriers' limit, whatever the merchant is called.
 */
export const placeholderLengthMax: Readonly<Record<Placeholder, number>> = {
  issuerName: limits.issuerNameLengthMax,
  merchant: limits.merchantNameLengthMax,
  // "1,000,000,000,000円" or "JPY 1,000,000,000,000" at limits.amountMinorMax, with room to spare.
  amount: 24,
  // "12/31 23:59" or "Dec 31, 23:59".
  localTime: 16,
  last4: 4,
  securityPhrase: limits.securityPhraseLengthMax,
  reference: 3,
  // One more line says how many are left out.
  confirmationList: (limits.confirmationsListedMax + 1) * (confirmationLineLengthMax + 1),
  link: limits.linkLengthMax,
  code: limits.challengeCodeDigits,
  officialDomain: limits.officialDomainLengthMax,
  validMinutes: 2,
};

/** One message's text. `subject` is the e-mail subject or the push title; an SMS has none. */
export type Template = { readonly subject: string | null; readonly body: string };

/** Every template of every kind, on the channels the kind uses, in every language. */
export type TemplateSet = {
  readonly [K in MessageKind]: { readonly [C in Channel]?: Readonly<Record<Language, Template>> };
};
