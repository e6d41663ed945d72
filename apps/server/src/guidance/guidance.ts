/**
 * "What should I do now?": for a situation and an instant, what the cardholder can do themselves
 * at once, which of our lines and channels are open now and which open later (with when and what
 * a call costs), what to prepare, what to do once a new card comes, and where else to report. The
 * answer depends on the time only through the registry's hours, so the same question asked at
 * 03:00 and at 11:00 gets different open channels, and no answer ever reads the real clock.
 */

import {
  type ContactRegistry,
  type Direction,
  describeHours,
  describeLocalTime,
  isOpenAt,
  type Language,
  type Localized,
  localIsoOf,
  nextOpeningAtMs,
  type OpeningHours,
  type PhoneCost,
  phoneCostText,
  type RegistryChannel,
  type RegistryPhone,
  type Situation,
} from "../contact-check/index.ts";
import { assert } from "../platform/assert.ts";
import type { ReportDirectory, ReportPlace } from "./report-directory.ts";
import {
  afterReissueChecklist,
  prepareForEveryCall,
  type SelfServiceActionId,
  selfServiceActions,
  situationTexts,
} from "./situations.ts";

export type GuidanceDeps = { readonly registry: ContactRegistry; readonly reportDirectory: ReportDirectory };

export type GuidanceRequest = {
  readonly situation: Situation;
  readonly atMs: number;
  readonly language: Language;
};

/** When a closed line opens: the instant, the issuer's local time, and the same in words. */
export type NextOpening = {
  /** ISO 8601 instant in UTC. */
  readonly at: string;
  /** ISO 8601 local time in the issuer's zone, with its offset. */
  readonly local: string;
  readonly text: string;
};

export type ChannelKind = "phone" | RegistryChannel["kind"];

export type ChannelView = {
  readonly id: string;
  readonly kind: ChannelKind;
  /** A line's purpose, or a channel's name. */
  readonly name: string;
  /** As published, for phones; null for other channels. */
  readonly number: string | null;
  /** Where to find a channel that is not a phone number. */
  readonly where: string | null;
  readonly callersFrom: RegistryPhone["callersFrom"] | null;
  readonly hours: string;
  /** Null where the hours are unpublished or the number is retired: nobody can say. */
  readonly isOpenNow: boolean | null;
  readonly nextOpening: NextOpening | null;
  readonly cost: PhoneCost | null;
  readonly costText: string | null;
};

export type SelfServiceActionView = {
  readonly id: SelfServiceActionId;
  readonly title: string;
  readonly how: string;
  readonly availability: string;
  readonly isAvailableNow: boolean;
};

export type ReportPlaceView = {
  readonly id: string;
  readonly name: string;
  readonly what: string;
  readonly dial: string | null;
  readonly url: string | null;
  readonly where: string | null;
  readonly hours: string | null;
  readonly isOpenNow: boolean | null;
  readonly notes: string[];
  readonly pros: string[];
  readonly cons: string[];
};

export type Guidance = {
  readonly situation: Situation;
  readonly language: Language;
  /** The instant the answer is for, ISO 8601 in UTC, and the same on the issuer's clock. */
  readonly at: string;
  readonly atLocal: string;
  readonly timeZone: string;
  readonly title: string;
  readonly summary: string;
  readonly selfService: SelfServiceActionView[];
  readonly advice: string[];
  readonly prepare: string[];
  /** Empty where the situation does not usually end with a new card. */
  readonly afterReissue: string[];
  readonly channels: { readonly openNow: ChannelView[]; readonly closedNow: ChannelView[] };
  readonly reportTo: ReportPlaceView[];
};

export type DirectoryEntry = ChannelView & {
  readonly direction: Direction | null;
  readonly sendsSms: boolean;
  readonly retired: { readonly on: string; readonly note: string } | null;
  readonly situations: Situation[];
};

export type ChannelDirectory = {
  readonly issuer: string;
  readonly language: Language;
  readonly at: string;
  readonly atLocal: string;
  readonly timeZone: string;
  readonly phones: DirectoryEntry[];
  readonly channels: DirectoryEntry[];
  readonly smsSenders: { readonly sender: string; readonly note: string }[];
  readonly webDomains: {
    readonly domain: string;
    readonly includeSubdomains: boolean;
    readonly purpose: string;
  }[];
  readonly emailDomains: {
    readonly domain: string;
    readonly includeSubdomains: boolean;
    readonly purpose: string;
  }[];
  readonly apps: {
    readonly name: string;
    readonly platforms: string[];
    readonly purpose: string;
  }[];
};

/** The issuer's app as a sentence names it: "mimamori Card アプリ", "the mimamori Card app". */
function appPhrase(registry: ContactRegistry, language: Language): string {
  const app =
    registry.apps.find((entry) => entry.platforms.some((platform) => platform !== "web")) ?? registry.apps[0];
  if (app === undefined) {
    return language === "ja" ? "アプリ" : "our app";
  }
  if (language === "ja") {
    return app.name.endsWith("アプリ") ? app.name : `${app.name} アプリ`;
  }
  return /\bapp$/i.test(app.name) ? `the ${app.name}` : `the ${app.name} app`;
}

function fill(text: Localized, language: Language, app: string): string {
  return text[language].replaceAll("{app}", app);
}

function nextOpeningOf(hours: OpeningHours, atMs: number, registry: ContactRegistry, language: Language) {
  const { issuer } = registry;
  const nextMs = nextOpeningAtMs(hours, atMs, issuer);
  if (nextMs === null) {
    return null;
  }
  return {
    at: new Date(nextMs).toISOString(),
    local: localIsoOf(nextMs, issuer.timeZone),
    text: describeLocalTime(nextMs, issuer.timeZone, language),
  };
}

/** Whether a line is open, and when it opens if not; neither is known for unpublished hours. */
function openingOf(
  hours: OpeningHours,
  isRetired: boolean,
  atMs: number,
  registry: ContactRegistry,
  language: Language,
): Pick<ChannelView, "isOpenNow" | "nextOpening"> {
  if (isRetired || hours.kind === "unpublished") {
    return { isOpenNow: null, nextOpening: null };
  }
  const isOpenNow = isOpenAt(hours, atMs, registry.issuer);
  return { isOpenNow, nextOpening: isOpenNow ? null : nextOpeningOf(hours, atMs, registry, language) };
}

function phoneView(
  phone: RegistryPhone,
  atMs: number,
  registry: ContactRegistry,
  language: Language,
): DirectoryEntry {
  const isRetired = phone.retired !== null;
  return {
    id: phone.id,
    kind: "phone",
    name: phone.purpose[language],
    number: phone.display,
    where: null,
    callersFrom: phone.callersFrom,
    hours: isRetired
      ? language === "ja"
        ? "使用終了"
        : "no longer in use"
      : describeHours(phone.hours, registry.issuer, language),
    ...openingOf(phone.hours, isRetired, atMs, registry, language),
    cost: phone.cost,
    costText: phoneCostText[phone.cost][language],
    direction: phone.direction,
    sendsSms: phone.sendsSms,
    retired: phone.retired === null ? null : { on: phone.retired.on, note: phone.retired.note[language] },
    situations: [...phone.situations],
  };
}

function channelView(
  channel: RegistryChannel,
  atMs: number,
  registry: ContactRegistry,
  language: Language,
): DirectoryEntry {
  return {
    id: channel.id,
    kind: channel.kind,
    name: channel.name[language],
    number: null,
    where: channel.where[language],
    callersFrom: null,
    hours: describeHours(channel.hours, registry.issuer, language),
    ...openingOf(channel.hours, false, atMs, registry, language),
    cost: null,
    costText: null,
    direction: null,
    sendsSms: false,
    retired: null,
    situations: [...channel.situations],
  };
}

const kindRank: Readonly<Record<ChannelKind, number>> = { phone: 0, chat: 1, app: 2, web_form: 3, email: 4 };
// Free lines first; a line for callers abroad after the domestic ones.
const costRank: Readonly<Record<PhoneCost, number>> = {
  free_dial: 0,
  geographic: 1,
  mobile: 2,
  ip_phone: 3,
  navi_dial: 4,
  international: 5,
};

function rankOf(view: ChannelView): number {
  const abroad = view.callersFrom === "abroad" ? 10 : 0;
  return kindRank[view.kind] * 100 + abroad + (view.cost === null ? 0 : costRank[view.cost]);
}

/** Lines a cardholder can call or use for this situation: published hours, not retired, not outbound only. */
function servingChannels(registry: ContactRegistry, situation: Situation, atMs: number, language: Language) {
  const phones = registry.phones
    .filter(
      (phone) =>
        phone.situations.includes(situation) &&
        phone.retired === null &&
        phone.direction !== "we_call_you" &&
        phone.hours.kind !== "unpublished",
    )
    .map((phone) => phoneView(phone, atMs, registry, language));
  const channels = registry.channels
    .filter((channel) => channel.situations.includes(situation) && channel.hours.kind !== "unpublished")
    .map((channel) => channelView(channel, atMs, registry, language));
  const views: ChannelView[] = [...phones, ...channels].map(
    ({ direction: _direction, sendsSms: _sendsSms, retired: _retired, situations: _situations, ...view }) =>
      view,
  );
  const openNow = views.filter((view) => view.isOpenNow === true).sort((a, b) => rankOf(a) - rankOf(b));
  const closedNow = views
    .filter((view) => view.isOpenNow === false)
    .sort(
      (a, b) => (a.nextOpening?.at ?? "~").localeCompare(b.nextOpening?.at ?? "~") || rankOf(a) - rankOf(b),
    );
  return { openNow, closedNow };
}

function reportPlaceView(place: ReportPlace, atMs: number, registry: ContactRegistry, language: Language) {
  const text = (items: readonly Localized[]) => items.map((item) => item[language]);
  return {
    id: place.id,
    name: place.name[language],
    what: place.what[language],
    dial: place.dial,
    url: place.url,
    where: place.where?.[language] ?? null,
    hours: place.hours === null ? null : describeHours(place.hours, registry.issuer, language),
    isOpenNow: place.hours === null ? null : isOpenAt(place.hours, atMs, registry.issuer),
    notes: text(place.notes),
    pros: text(place.pros),
    cons: text(place.cons),
  };
}

export function guidanceFor(request: GuidanceRequest, deps: GuidanceDeps): Guidance {
  const { situation, atMs, language } = request;
  const { registry, reportDirectory } = deps;
  assert(Number.isSafeInteger(atMs), "guidance is asked for an instant in whole milliseconds");
  const text = situationTexts[situation];
  const app = appPhrase(registry, language);
  const alwaysText = describeHours({ kind: "always" }, registry.issuer, language);
  return {
    situation,
    language,
    at: new Date(atMs).toISOString(),
    atLocal: localIsoOf(atMs, registry.issuer.timeZone),
    timeZone: registry.issuer.timeZone,
    title: text.title[language],
    summary: fill(text.summary, language, app),
    // Our own app and member site never close, so every self-service action is available now.
    selfService: text.actions.map((id) => ({
      id,
      title: selfServiceActions[id].title[language],
      how: fill(selfServiceActions[id].how, language, app),
      availability: alwaysText,
      isAvailableNow: true,
    })),
    advice: text.advice.map((item) => fill(item, language, app)),
    prepare: [...text.prepare, ...prepareForEveryCall].map((item) => item[language]),
    afterReissue: text.mayEndWithNewCard ? afterReissueChecklist.map((item) => item[language]) : [],
    channels: servingChannels(registry, situation, atMs, language),
    reportTo: reportDirectory.places
      .filter((place) => place.situations.includes(situation))
      .map((place) => reportPlaceView(place, atMs, registry, language)),
  };
}

/** Every registered line, channel, sender, domain and app, with what is open at the instant. */
export function channelDirectory(
  request: { readonly atMs: number; readonly language: Language },
  deps: Pick<GuidanceDeps, "registry">,
): ChannelDirectory {
  const { atMs, language } = request;
  const { registry } = deps;
  assert(Number.isSafeInteger(atMs), "the directory is asked for an instant in whole milliseconds");
  const domains = (entries: ContactRegistry["webDomains"]) =>
    entries.map((entry) => ({
      domain: entry.domain,
      includeSubdomains: entry.includeSubdomains,
      purpose: entry.purpose[language],
    }));
  return {
    issuer: registry.issuer.name[language],
    language,
    at: new Date(atMs).toISOString(),
    atLocal: localIsoOf(atMs, registry.issuer.timeZone),
    timeZone: registry.issuer.timeZone,
    phones: registry.phones.map((phone) => phoneView(phone, atMs, registry, language)),
    channels: registry.channels.map((channel) => channelView(channel, atMs, registry, language)),
    smsSenders: registry.smsSenders.map((entry) => ({ sender: entry.sender, note: entry.note[language] })),
    webDomains: domains(registry.webDomains),
    emailDomains: domains(registry.emailDomains),
    apps: registry.apps.map((entry) => ({
      name: entry.name,
      platforms: [...entry.platforms],
      purpose: entry.purpose[language],
    })),
  };
}
