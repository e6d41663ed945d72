/**
 * The official channel registry: every phone number, SMS sender, e-mail domain, web domain, app
 * and support channel an issuer really uses, each with where the fact came from and when it was
 * checked (numbers change). The issuer edits it as a JSON file; `registry.ts` validates it into
 * these types, with numbers already parsed, so nothing downstream re-reads raw text.
 */
import type { Localized as LocalizedText } from "./localized.ts";

export type Localized = LocalizedText;

/** Where a fact comes from and the day someone last checked it (YYYY-MM-DD). */
export type Provenance = { readonly source: string; readonly checkedOn: string };

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** "HH:MM" on a 24-hour clock; close may be "24:00". Periods never cross midnight. */
export type OpeningPeriod = {
  readonly days: readonly Weekday[];
  readonly open: string;
  readonly close: string;
};

export type OpeningHours =
  | { readonly kind: "always" }
  /**
   * Hours the issuer does not publish (a line that only calls out, a number it retired). Never
   * counted as open; such a line serves no situation in guidance, since guidance says what is open.
   */
  | { readonly kind: "unpublished" }
  | {
      readonly kind: "weekly";
      readonly periods: readonly OpeningPeriod[];
      /** What the line does on a public holiday of the issuer's calendar. */
      readonly publicHolidays: "closed" | "open";
    };

/** What calling a number costs the caller, as Japanese issuers publish it. */
export type PhoneCost = "free_dial" | "navi_dial" | "geographic" | "mobile" | "ip_phone" | "international";

export type Direction = "we_call_you" | "you_call_us" | "both";

/** The situations guidance knows; a channel lists those it serves. */
export type Situation =
  | "suspicious_charge"
  | "card_lost_or_stolen"
  | "unrequested_code"
  | "entered_card_on_fake_site"
  | "payment_reminder_call"
  | "romance_or_investment_scam";

export type RegistryPhone = {
  readonly id: string;
  /** As published, for display: "0570-66-6910". */
  readonly display: string;
  /** E.164, parsed at load: "+81570666910". The key every lookup uses. */
  readonly e164: string;
  readonly purpose: Localized;
  readonly direction: Direction;
  /** The number also sends our SMS. */
  readonly sendsSms: boolean;
  readonly hours: OpeningHours;
  readonly cost: PhoneCost;
  /** Callers this line is for: from inside the country, from abroad, or both. */
  readonly callersFrom: "domestic" | "abroad" | "any";
  readonly situations: readonly Situation[];
  /** A number we used to use: still recognised as ours, with what replaced it. */
  readonly retired: { readonly on: string; readonly note: Localized } | null;
  readonly provenance: Provenance;
};

/** A sender shown on an SMS: digits (a number or a carrier short code) or letters. */
export type RegistrySmsSender = {
  /** Digits only for numeric senders ("0570666910", "21092"), else as shown ("Mimamori"). */
  readonly sender: string;
  readonly note: Localized;
  readonly provenance: Provenance;
};

export type RegistryDomain = {
  /** Lowercase ASCII host name: "rakuten-card.co.jp". */
  readonly domain: string;
  /** Whether "www.", "mail." and any other subdomain are ours too. */
  readonly includeSubdomains: boolean;
  readonly purpose: Localized;
  readonly provenance: Provenance;
};

export type RegistryApp = {
  readonly name: string;
  readonly platforms: readonly ("ios" | "android" | "web")[];
  readonly purpose: Localized;
  readonly provenance: Provenance;
};

/** A way to reach us that is not a phone number: chat, a web form, the app's own messages. */
export type RegistryChannel = {
  readonly id: string;
  readonly kind: "chat" | "web_form" | "app" | "email";
  readonly name: Localized;
  /** Where to find it: "sign in to the member site, then Contact". Never a link to type in. */
  readonly where: Localized;
  readonly hours: OpeningHours;
  readonly situations: readonly Situation[];
  readonly provenance: Provenance;
};

export type ContactRegistry = {
  readonly issuer: {
    readonly id: string;
    readonly name: Localized;
    /** Names a message uses for us: "楽天カード", "Rakuten Card". Brand mixing and impersonation look for these. */
    readonly brandNames: readonly string[];
    /** The distinctive part of our domains ("rakuten"), looked for inside foreign domains. */
    readonly domainTokens: readonly string[];
    /** ISO 3166 country whose numbers a national "0570-…" belongs to. */
    readonly country: string;
    /** IANA time zone every opening hour is in. */
    readonly timeZone: string;
    /** Whose public holidays close weekday lines: "JP", or "none". */
    readonly holidayCalendar: "JP" | "none";
    /** Extra days every weekly line is closed (year-end): YYYY-MM-DD. */
    readonly closedDates: readonly string[];
  };
  readonly phones: readonly RegistryPhone[];
  readonly smsSenders: readonly RegistrySmsSender[];
  readonly emailDomains: readonly RegistryDomain[];
  readonly webDomains: readonly RegistryDomain[];
  readonly apps: readonly RegistryApp[];
  readonly channels: readonly RegistryChannel[];
};
