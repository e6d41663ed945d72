/**
 * The official channel registry as the issuer writes it (a JSON file), checked as a whole. The
 * schema says what may be written; the checks after it say what must be true: numbers are real
 * numbers of the issuer's country with the cost their type implies, times and dates exist, ids and
 * numbers are not listed twice, every entry says where it came from. Every problem is reported
 * with its JSON path, so the issuer fixes the file in one pass instead of one error at a time.
 */
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { type Static, type TSchema, Type } from "typebox";
import { Value } from "typebox/value";
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import { err, ok, type Result } from "../platform/result.ts";
import { costOfNumber, normalizeSenderId, parsePhone, senderCandidates } from "./phone.ts";
import type {
  ContactRegistry,
  OpeningHours,
  RegistryDomain,
  RegistryPhone,
  RegistrySmsSender,
} from "./registry-types.ts";

// --- The file format --------------------------------------------------------------------------

const Id = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: "^[a-z0-9][a-z0-9_-]*$",
  description: "an id of lowercase letters, digits, _ and -",
});
const Text = Type.String({ minLength: 1, maxLength: 1_000 });
export const LocalizedSchema = Type.Object({ ja: Text, en: Text }, { additionalProperties: false });
export const DateSchema = Type.String({
  pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
  description: "a date as YYYY-MM-DD",
});
export const ProvenanceSchema = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: 500 }), checkedOn: DateSchema },
  { additionalProperties: false },
);
const Weekday = Type.Union([
  Type.Literal("mon"),
  Type.Literal("tue"),
  Type.Literal("wed"),
  Type.Literal("thu"),
  Type.Literal("fri"),
  Type.Literal("sat"),
  Type.Literal("sun"),
]);
const Time = Type.String({
  pattern: "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
  description: "a time as HH:MM on a 24-hour clock (a period may close at 24:00)",
});
export const OpeningHoursSchema = Type.Union([
  Type.Object({ kind: Type.Literal("always") }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal("unpublished") }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal("weekly"),
      periods: Type.Array(
        Type.Object(
          { days: Type.Array(Weekday, { minItems: 1, maxItems: 7 }), open: Time, close: Time },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: limits.openingPeriodsMax },
      ),
      publicHolidays: Type.Union([Type.Literal("closed"), Type.Literal("open")]),
    },
    { additionalProperties: false },
  ),
]);
export const SituationSchema = Type.Union([
  Type.Literal("suspicious_charge"),
  Type.Literal("card_lost_or_stolen"),
  Type.Literal("unrequested_code"),
  Type.Literal("entered_card_on_fake_site"),
  Type.Literal("payment_reminder_call"),
  Type.Literal("romance_or_investment_scam"),
]);
const Situations = Type.Array(SituationSchema, { maxItems: 6 });
const PhoneCostSchema = Type.Union([
  Type.Literal("free_dial"),
  Type.Literal("navi_dial"),
  Type.Literal("geographic"),
  Type.Literal("mobile"),
  Type.Literal("ip_phone"),
  Type.Literal("international"),
]);
const HostName = Type.String({ minLength: 1, maxLength: 253 });
const list = <T extends TSchema>(item: T) => Type.Array(item, { maxItems: limits.registryEntriesMax });

const PhoneEntry = Type.Object(
  {
    id: Id,
    number: Type.String({ minLength: 1, maxLength: 40, description: "as published: 0570-66-6910" }),
    purpose: LocalizedSchema,
    direction: Type.Union([Type.Literal("we_call_you"), Type.Literal("you_call_us"), Type.Literal("both")]),
    sendsSms: Type.Boolean(),
    hours: OpeningHoursSchema,
    cost: PhoneCostSchema,
    callersFrom: Type.Union([Type.Literal("domestic"), Type.Literal("abroad"), Type.Literal("any")]),
    situations: Situations,
    retired: Type.Optional(
      Type.Object({ on: DateSchema, note: LocalizedSchema }, { additionalProperties: false }),
    ),
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);
const SmsSenderEntry = Type.Object(
  {
    sender: Type.String({ minLength: 1, maxLength: 20 }),
    note: LocalizedSchema,
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);
const DomainEntry = Type.Object(
  {
    domain: HostName,
    includeSubdomains: Type.Boolean(),
    purpose: LocalizedSchema,
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);
const AppEntry = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    platforms: Type.Array(Type.Union([Type.Literal("ios"), Type.Literal("android"), Type.Literal("web")]), {
      minItems: 1,
      maxItems: 3,
    }),
    purpose: LocalizedSchema,
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);
const ChannelEntry = Type.Object(
  {
    id: Id,
    kind: Type.Union([
      Type.Literal("chat"),
      Type.Literal("web_form"),
      Type.Literal("app"),
      Type.Literal("email"),
    ]),
    name: LocalizedSchema,
    where: LocalizedSchema,
    hours: OpeningHoursSchema,
    situations: Situations,
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);

const IssuerSchema = Type.Object(
  {
    id: Id,
    name: LocalizedSchema,
    brandNames: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 }),
    domainTokens: Type.Array(
      Type.String({
        minLength: 3,
        maxLength: 63,
        pattern: "^[a-z0-9-]+$",
        description: "a lowercase label",
      }),
      { maxItems: 20 },
    ),
    country: Type.String({ pattern: "^[A-Z]{2}$", description: "an ISO 3166 country code: JP" }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    holidayCalendar: Type.Union([Type.Literal("JP"), Type.Literal("none")]),
    closedDates: Type.Array(DateSchema, { maxItems: limits.registryEntriesMax }),
  },
  { additionalProperties: false },
);

/** The registry file, version 1. `registry-types.ts` is what it becomes once checked. */
export const ContactRegistryFile = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    version: Type.Literal(1),
    issuer: IssuerSchema,
    phones: list(PhoneEntry),
    smsSenders: list(SmsSenderEntry),
    emailDomains: list(DomainEntry),
    webDomains: list(DomainEntry),
    apps: list(AppEntry),
    channels: list(ChannelEntry),
  },
  { additionalProperties: false },
);
export type ContactRegistryFile = Static<typeof ContactRegistryFile>;

// --- Problems, with the JSON path they are at -------------------------------------------------

/** One thing wrong with a data file: where (a JSON path such as `$.phones[2].cost`) and what. */
export type Problem = { readonly path: string; readonly problem: string };

/** The subset of JSON Schema the data files use, as TypeBox builds it. */
type JsonSchema = {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly description?: string;
};

export function pathOfKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  return typeof value === "string" ? "text" : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every way `value` breaks `schema`. TypeBox's own error list stops inside the first bad list item
 * and reports each union branch it tried, so the walk is done here: into every property and every
 * item, with unions of literals named as their choices and unions of objects chosen by `kind`.
 */
export function schemaProblems(schema: TSchema, value: unknown, path = "$"): Problem[] {
  const problems: Problem[] = [];
  collectProblems(schema as JsonSchema, value, path, problems);
  if (problems.length === 0 && !Value.Check(schema, value)) {
    // A keyword the walk does not know: TypeBox's words are still better than silence.
    for (const error of Value.Errors(schema, value)) {
      const path = error.instancePath.split("/").slice(1).reduce(pathOfKey, "$");
      problems.push({ path, problem: error.message });
    }
  }
  return problems;
}

function collectProblems(schema: JsonSchema, value: unknown, path: string, problems: Problem[]): void {
  if (schema.anyOf !== undefined) {
    collectUnionProblems(schema.anyOf, value, path, problems);
    return;
  }
  if (schema.const !== undefined) {
    if (value !== schema.const) {
      problems.push({ path, problem: `must be ${JSON.stringify(schema.const)}` });
    }
    return;
  }
  switch (schema.type) {
    case "object":
      collectObjectProblems(schema, value, path, problems);
      return;
    case "array":
      if (!Array.isArray(value)) {
        problems.push({ path, problem: `must be a list, found ${describeValue(value)}` });
        return;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        problems.push({ path, problem: `must have at least ${schema.minItems} item(s)` });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        problems.push({ path, problem: `must have at most ${schema.maxItems} items, found ${value.length}` });
        return;
      }
      if (schema.items !== undefined) {
        for (const [index, item] of value.entries()) {
          collectProblems(schema.items, item, `${path}[${index}]`, problems);
        }
      }
      return;
    case "string":
      collectStringProblems(schema, value, path, problems);
      return;
    case "boolean":
      if (typeof value !== "boolean") {
        problems.push({ path, problem: `must be true or false, found ${describeValue(value)}` });
      }
      return;
    default:
      if (!Value.Check(schema as TSchema, value)) {
        problems.push({ path, problem: "is not allowed here" });
      }
  }
}

function collectObjectProblems(schema: JsonSchema, value: unknown, path: string, problems: Problem[]): void {
  if (!isRecord(value)) {
    problems.push({ path, problem: `must be an object, found ${describeValue(value)}` });
    return;
  }
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) {
      problems.push({ path: pathOfKey(path, key), problem: "is missing" });
    }
  }
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (property !== undefined) {
      collectProblems(property, item, pathOfKey(path, key), problems);
    } else if (schema.additionalProperties === false) {
      problems.push({ path: pathOfKey(path, key), problem: "is not a field this file knows" });
    }
  }
}

function collectStringProblems(schema: JsonSchema, value: unknown, path: string, problems: Problem[]): void {
  if (typeof value !== "string") {
    problems.push({ path, problem: `must be text, found ${describeValue(value)}` });
    return;
  }
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    problems.push({
      path,
      problem:
        schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`,
    });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    problems.push({ path, problem: `must be at most ${schema.maxLength} characters, found ${length}` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    problems.push({
      path,
      problem: `must be ${schema.description ?? `text matching ${schema.pattern}`}, found ${JSON.stringify(value)}`,
    });
  }
}

function collectUnionProblems(
  branches: readonly JsonSchema[],
  value: unknown,
  path: string,
  problems: Problem[],
): void {
  const constants = branches.map((branch) => branch.const);
  if (constants.every((constant) => constant !== undefined)) {
    if (!constants.some((constant) => constant === value)) {
      const choices = constants.map((constant) => JSON.stringify(constant)).join(", ");
      problems.push({ path, problem: `must be one of ${choices}, found ${JSON.stringify(value)}` });
    }
    return;
  }
  const kinds = branches.map((branch) => branch.properties?.kind?.const);
  if (kinds.every((kind) => kind !== undefined)) {
    if (!isRecord(value)) {
      problems.push({ path, problem: `must be an object, found ${describeValue(value)}` });
      return;
    }
    const branch = branches.find((candidate) => candidate.properties?.kind?.const === value.kind);
    if (branch === undefined) {
      const choices = kinds.map((kind) => JSON.stringify(kind)).join(", ");
      problems.push({
        path: `${path}.kind`,
        problem: `must be one of ${choices}, found ${JSON.stringify(value.kind)}`,
      });
      return;
    }
    collectProblems(branch, value, path, problems);
    return;
  }
  if (!branches.some((branch) => Value.Check(branch as TSchema, value))) {
    problems.push({ path, problem: "matches none of the allowed forms" });
  }
}

/** All problems as one message: a line per problem, each naming its path. */
export function describeProblems(what: string, problems: readonly Problem[]): string {
  const lines = problems.map(({ path, problem }) => `  ${path}: ${problem}`);
  return `${what} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${lines.join("\n")}`;
}

// --- Checks beyond the schema -----------------------------------------------------------------

/** A real day of the Gregorian calendar written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A lowercase ASCII host name (an IDN in its punycode form) of at least two labels. The URL
 * parser's canonical form must equal it, which rules out upper case, Unicode and IP addresses.
 */
export function isHostName(domain: string): boolean {
  const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  if (!new RegExp(`^${label}(?:\\.${label})+$`).test(domain) || /^[0-9.]+$/.test(domain)) {
    return false;
  }
  try {
    return new URL(`https://${domain}/`).hostname === domain;
  } catch {
    return false;
  }
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** What the schema cannot say about opening hours: a period opens before it closes, days once each. */
export function openingHoursProblems(hours: OpeningHours, path: string): Problem[] {
  if (hours.kind !== "weekly") {
    return [];
  }
  const problems: Problem[] = [];
  for (const [index, period] of hours.periods.entries()) {
    const at = `${path}.periods[${index}]`;
    if (period.open === "24:00") {
      problems.push({
        path: `${at}.open`,
        problem: "a period opens at 23:59 at the latest; 24:00 is only a closing time",
      });
    } else if (minutesOf(period.open) >= minutesOf(period.close)) {
      problems.push({
        path: at,
        problem: `opens at ${period.open} but closes at ${period.close}: open must be before close (a period cannot cross midnight; split it in two)`,
      });
    }
    if (new Set(period.days).size !== period.days.length) {
      problems.push({ path: `${at}.days`, problem: "lists a day twice" });
    }
  }
  return problems;
}

/** Guidance lists what is open now, so a line without published hours cannot serve a situation. */
function unpublishedHoursProblems(
  entry: { readonly hours: { readonly kind: string }; readonly situations: readonly string[] },
  path: string,
): Problem[] {
  return entry.hours.kind === "unpublished" && entry.situations.length > 0
    ? [
        {
          path: `${path}.situations`,
          problem:
            "must be empty while the hours are unpublished: guidance only lists lines whose hours it knows",
        },
      ]
    : [];
}

function provenanceProblems(checkedOn: string, path: string): Problem[] {
  return isCalendarDate(checkedOn)
    ? []
    : [{ path: `${path}.provenance.checkedOn`, problem: `${JSON.stringify(checkedOn)} is not a real date` }];
}

type Placed<T> = { readonly entry: T; readonly path: string };

/**
 * The items of a list that the schema accepts, with their paths. The checks below run on these
 * even when other items are broken, so one pass reports what is wrong everywhere.
 */
function acceptedItems<T extends TSchema>(raw: unknown, key: string, schema: T): Placed<Static<T>>[] {
  const items = isRecord(raw) ? raw[key] : undefined;
  if (!Array.isArray(items) || items.length > limits.registryEntriesMax) {
    return [];
  }
  return items.flatMap((entry: unknown, index) =>
    Value.Check(schema, entry) ? [{ entry: entry as Static<T>, path: `$.${key}[${index}]` }] : [],
  );
}

function phoneProblems(
  phones: readonly Placed<Static<typeof PhoneEntry>>[],
  country: string | null,
): Problem[] {
  const problems: Problem[] = [];
  const seenNumbers = new Map<string, string>();
  for (const { entry: phone, path } of phones) {
    problems.push(...openingHoursProblems(phone.hours, `${path}.hours`));
    problems.push(...unpublishedHoursProblems(phone, path));
    problems.push(...provenanceProblems(phone.provenance.checkedOn, path));
    if (phone.retired !== undefined && !isCalendarDate(phone.retired.on)) {
      problems.push({
        path: `${path}.retired.on`,
        problem: `${JSON.stringify(phone.retired.on)} is not a real date`,
      });
    }
    if (country === null) {
      // Numbers are read in the issuer's country: without a valid one, none can be judged.
      continue;
    }
    const parsed = parsePhone(phone.number, country);
    if (parsed === undefined || !parsed.isValid()) {
      problems.push({
        path: `${path}.number`,
        problem: `${JSON.stringify(phone.number)} is not a valid phone number in ${country}`,
      });
      continue;
    }
    const earlier = seenNumbers.get(parsed.number);
    if (earlier !== undefined) {
      problems.push({ path: `${path}.number`, problem: `${parsed.number} is already listed at ${earlier}` });
    }
    seenNumbers.set(parsed.number, path);
    const cost = costOfNumber(parsed, country);
    const type =
      parsed.country === country
        ? (parsed.getType() ?? "unknown-type")
        : `${parsed.country ?? "non-geographic"}`;
    if (cost === null) {
      problems.push({
        path: `${path}.number`,
        problem: `${phone.number} is a ${type} number, which no cost type describes`,
      });
    } else if (cost !== phone.cost) {
      problems.push({
        path: `${path}.cost`,
        problem: `is ${JSON.stringify(phone.cost)}, but ${phone.number} is a ${type} number, so its cost is ${JSON.stringify(cost)}`,
      });
    }
  }
  return problems;
}

function duplicateProblems(keys: readonly { key: string; path: string }[], what: string): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { key, path } of keys) {
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, path);
    } else {
      problems.push({ path, problem: `${what} ${JSON.stringify(key)} is already used at ${earlier}` });
    }
  }
  return problems;
}

function domainProblems(domains: readonly Placed<Static<typeof DomainEntry>>[]): Problem[] {
  const problems: Problem[] = [];
  for (const { entry, path } of domains) {
    if (!isHostName(entry.domain)) {
      problems.push({
        path: `${path}.domain`,
        problem: `${JSON.stringify(entry.domain)} is not a lowercase ASCII host name (write an IDN in its xn-- form)`,
      });
    }
    problems.push(...provenanceProblems(entry.provenance.checkedOn, path));
  }
  problems.push(
    ...duplicateProblems(
      domains.map(({ entry, path }) => ({ key: entry.domain, path: `${path}.domain` })),
      "domain",
    ),
  );
  return problems;
}

/**
 * The issuer's facts the schema cannot check, field by field so a broken neighbour hides nothing.
 * The country is returned when numbers can be read in it.
 */
function issuerProblems(raw: unknown): { problems: Problem[]; country: string | null } {
  const issuer = isRecord(raw) && isRecord(raw.issuer) ? raw.issuer : {};
  const problems: Problem[] = [];
  const { country, timeZone, closedDates } = issuer;
  const isCountryKnown =
    typeof country === "string" && /^[A-Z]{2}$/.test(country) && isSupportedCountry(country);
  if (typeof country === "string" && /^[A-Z]{2}$/.test(country) && !isCountryKnown) {
    problems.push({
      path: "$.issuer.country",
      problem: `${JSON.stringify(country)} is not a country with a numbering plan`,
    });
  }
  if (typeof timeZone === "string" && timeZone !== "" && !isTimeZone(timeZone)) {
    problems.push({
      path: "$.issuer.timeZone",
      problem: `${JSON.stringify(timeZone)} is not an IANA time zone`,
    });
  }
  if (Array.isArray(closedDates) && closedDates.length <= limits.registryEntriesMax) {
    for (const [index, date] of closedDates.entries()) {
      if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) && !isCalendarDate(date)) {
        problems.push({
          path: `$.issuer.closedDates[${index}]`,
          problem: `${JSON.stringify(date)} is not a real date`,
        });
      }
    }
  }
  return { problems, country: isCountryKnown ? country : null };
}

/** Everything the schema cannot check, on every part of the file the schema accepts. */
function registryProblems(raw: unknown): Problem[] {
  const { problems, country } = issuerProblems(raw);
  const phones = acceptedItems(raw, "phones", PhoneEntry);
  const senders = acceptedItems(raw, "smsSenders", SmsSenderEntry);
  const channels = acceptedItems(raw, "channels", ChannelEntry);
  problems.push(...phoneProblems(phones, country));
  for (const { entry, path } of senders) {
    problems.push(...provenanceProblems(entry.provenance.checkedOn, path));
  }
  problems.push(
    ...duplicateProblems(
      senders.map(({ entry, path }) => ({ key: normalizeSenderId(entry.sender), path: `${path}.sender` })),
      "sender",
    ),
  );
  problems.push(...domainProblems(acceptedItems(raw, "webDomains", DomainEntry)));
  problems.push(...domainProblems(acceptedItems(raw, "emailDomains", DomainEntry)));
  for (const { entry, path } of acceptedItems(raw, "apps", AppEntry)) {
    problems.push(...provenanceProblems(entry.provenance.checkedOn, path));
  }
  for (const { entry, path } of channels) {
    problems.push(...openingHoursProblems(entry.hours, `${path}.hours`));
    problems.push(...unpublishedHoursProblems(entry, path));
    problems.push(...provenanceProblems(entry.provenance.checkedOn, path));
  }
  // Phones and channels share one id space: the channel directory lists both by id.
  problems.push(
    ...duplicateProblems(
      [
        ...phones.map(({ entry, path }) => ({ key: entry.id, path: `${path}.id` })),
        ...channels.map(({ entry, path }) => ({ key: entry.id, path: `${path}.id` })),
      ],
      "id",
    ),
  );
  return problems;
}

// --- Parsing, loading, indexing ---------------------------------------------------------------

function registryOf(file: ContactRegistryFile): ContactRegistry {
  const { country } = file.issuer;
  return {
    issuer: file.issuer,
    phones: file.phones.map((phone): RegistryPhone => {
      const parsed = parsePhone(phone.number, country);
      // registryProblems parsed every number already; failing now is a bug in the checks.
      assert(parsed !== undefined, `registry number ${phone.number} was checked but does not parse`);
      return {
        id: phone.id,
        display: phone.number.trim(),
        e164: parsed.number,
        purpose: phone.purpose,
        direction: phone.direction,
        sendsSms: phone.sendsSms,
        hours: phone.hours,
        cost: phone.cost,
        callersFrom: phone.callersFrom,
        situations: phone.situations,
        retired: phone.retired ?? null,
        provenance: phone.provenance,
      };
    }),
    // A numeric sender is kept as its digits ("0570069101"); a named one as the issuer wrote it.
    smsSenders: file.smsSenders.map((entry) => {
      const sender = normalizeSenderId(entry.sender);
      return { ...entry, sender: /^\+?\d+$/.test(sender) ? sender : entry.sender.trim() };
    }),
    emailDomains: file.emailDomains,
    webDomains: file.webDomains,
    apps: file.apps,
    channels: file.channels,
  };
}

/** Checks a registry file's content (already JSON-parsed) and builds the registry from it. */
export function parseContactRegistry(raw: unknown): Result<ContactRegistry, "registry_invalid"> {
  const problems = [...schemaProblems(ContactRegistryFile, raw), ...registryProblems(raw)];
  if (problems.length > 0) {
    return err("registry_invalid", describeProblems("The channel registry", problems));
  }
  return ok(registryOf(raw as ContactRegistryFile));
}

export type DataFileResult = Result<unknown, "unreadable" | "invalid">;

/** Reads a JSON data file no larger than the limit: I/O failure and bad JSON are told apart. */
export async function readDataFile(path: string): Promise<DataFileResult> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > limits.contactDataFileBytesMax) {
      return err(
        "invalid",
        `${path} is ${info.size} bytes, more than the ${limits.contactDataFileBytesMax} a data file may be`,
      );
    }
    text = await readFile(path, "utf8");
  } catch (error) {
    return err(
      "unreadable",
      `${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return err("invalid", `${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function loadContactRegistry(
  path: string,
): Promise<Result<ContactRegistry, "registry_invalid" | "registry_unreadable">> {
  const read = await readDataFile(path);
  if (!read.ok) {
    return err(read.code === "unreadable" ? "registry_unreadable" : "registry_invalid", read.message);
  }
  const parsed = parseContactRegistry(read.value);
  return parsed.ok ? parsed : err(parsed.code, `${path}: ${parsed.message}`);
}

/** The registries shipped with mimamori: the demo issuer's, and Rakuten Card's as a worked example. */
export const registryPaths = {
  demoIssuer: fileURLToPath(new URL("../../data/contact-registry/demo-issuer.json", import.meta.url)),
  rakutenCardExample: fileURLToPath(
    new URL("../../data/contact-registry/rakuten-card.example.json", import.meta.url),
  ),
} as const;

/** The registry with the lookups every check makes, built once at start-up. */
export type RegistryIndex = {
  readonly registry: ContactRegistry;
  /** A current or retired line with this E.164 number. */
  phoneByE164(e164: string): RegistryPhone | null;
  /** The registered sender shown on an SMS, in any form a phone shows it ("+81…", full-width digits). */
  smsSender(rawSender: string): RegistrySmsSender | null;
  /** The official web domain a host is, or is a subdomain of (where the entry allows subdomains). */
  webDomainOf(host: string): RegistryDomain | null;
  /** The same for the domain of an e-mail sender. */
  emailDomainOf(host: string): RegistryDomain | null;
};

function domainLookup(domains: readonly RegistryDomain[]): (host: string) => RegistryDomain | null {
  const byDomain = new Map(domains.map((entry) => [entry.domain, entry]));
  return (host) => {
    const name = host.toLowerCase().replace(/\.$/, "");
    const exact = byDomain.get(name);
    if (exact !== undefined) {
      return exact;
    }
    // Walk up the labels: "www.mail.example.co.jp" is under "example.co.jp" if that entry allows it.
    let rest = name;
    for (let dot = rest.indexOf("."); dot !== -1; dot = rest.indexOf(".")) {
      rest = rest.slice(dot + 1);
      const parent = byDomain.get(rest);
      if (parent !== undefined) {
        return parent.includeSubdomains ? parent : null;
      }
    }
    return null;
  };
}

export function indexRegistry(registry: ContactRegistry): RegistryIndex {
  const { country } = registry.issuer;
  const phones = new Map(registry.phones.map((phone) => [phone.e164, phone]));
  const senders = new Map(registry.smsSenders.map((entry) => [normalizeSenderId(entry.sender), entry]));
  for (const phone of registry.phones) {
    // A line that sends our SMS is a sender too, shown as its national digits or in E.164.
    if (phone.sendsSms && phone.retired === null) {
      const nationalDigits = (parsePhoneNumberFromString(phone.e164)?.formatNational() ?? phone.e164).replace(
        /\D/g,
        "",
      );
      const sender = senders.get(nationalDigits) ?? {
        sender: nationalDigits,
        note: phone.purpose,
        provenance: phone.provenance,
      };
      senders.set(nationalDigits, sender);
      senders.set(phone.e164, sender);
    }
  }
  return {
    registry,
    phoneByE164: (e164) => phones.get(e164) ?? null,
    smsSender(rawSender) {
      const candidates = [normalizeSenderId(rawSender), ...senderCandidates(rawSender, country)];
      for (const candidate of candidates) {
        const sender = senders.get(candidate);
        if (sender !== undefined) {
          return sender;
        }
      }
      return null;
    },
    webDomainOf: domainLookup(registry.webDomains),
    emailDomainOf: domainLookup(registry.emailDomains),
  };
}
