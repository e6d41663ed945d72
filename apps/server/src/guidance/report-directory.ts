/**
 * Where victims report, outside the issuer: the police, consumer centres, regulators, banks and
 * credit bureaus. A data file per country (Japan's ships), checked like the channel registry, so an
 * operator elsewhere replaces the file, not the code. Hours are optional: a place whose hours the
 * sources do not give has none, rather than invented ones.
 */
import { fileURLToPath } from "node:url";
import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import { limits } from "../config/limits.ts";
import {
  describeProblems,
  isCalendarDate,
  isHostName,
  type Localized,
  LocalizedSchema,
  type OpeningHours,
  OpeningHoursSchema,
  openingHoursProblems,
  type Problem,
  type Provenance,
  ProvenanceSchema,
  readDataFile,
  type Situation,
  SituationSchema,
  schemaProblems,
} from "../contact-check/index.ts";
import { err, ok, type Result } from "../platform/result.ts";

export type ReportPlace = {
  readonly id: string;
  readonly name: Localized;
  /** What the place does for a victim. */
  readonly what: Localized;
  /** What to dial: "#9110", "188", "0570-016811". */
  readonly dial: string | null;
  /** Its page, https only. */
  readonly url: string | null;
  /** How to find it when there is no single number or page. */
  readonly where: Localized | null;
  readonly hours: OpeningHours | null;
  readonly notes: readonly Localized[];
  /** For a step with a cost to the victim (a credit-file warning), what speaks for and against it. */
  readonly pros: readonly Localized[];
  readonly cons: readonly Localized[];
  readonly situations: readonly Situation[];
  readonly provenance: Provenance;
};

export type ReportDirectory = { readonly country: string; readonly places: readonly ReportPlace[] };

const Notes = Type.Array(LocalizedSchema, { maxItems: 10 });

const ReportPlaceEntry = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: "^[a-z0-9][a-z0-9_-]*$",
      description: "an id of lowercase letters, digits, _ and -",
    }),
    name: LocalizedSchema,
    what: LocalizedSchema,
    dial: Type.Optional(
      Type.String({
        pattern: "^#?[0-9][0-9-]{1,15}$",
        description: "digits as dialled, with hyphens or a leading #: #9110, 188, 0570-016811",
      }),
    ),
    url: Type.Optional(Type.String({ maxLength: 500, pattern: "^https://", description: "an https:// URL" })),
    where: Type.Optional(LocalizedSchema),
    hours: Type.Optional(OpeningHoursSchema),
    notes: Type.Optional(Notes),
    pros: Type.Optional(Notes),
    cons: Type.Optional(Notes),
    situations: Type.Array(SituationSchema, { minItems: 1, maxItems: 6 }),
    provenance: ProvenanceSchema,
  },
  { additionalProperties: false },
);

/** The report directory file, version 1. */
export const ReportDirectoryFile = Type.Object(
  {
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    version: Type.Literal(1),
    country: Type.String({ pattern: "^[A-Z]{2}$", description: "an ISO 3166 country code: JP" }),
    places: Type.Array(ReportPlaceEntry, { minItems: 1, maxItems: limits.registryEntriesMax }),
  },
  { additionalProperties: false },
);
type ReportPlaceEntry = Static<typeof ReportPlaceEntry>;

/** The shipped directory of Japan's reporting places (seed 004). */
export const reportDirectoryPaths = {
  japan: fileURLToPath(new URL("../../data/guidance/report-directory.jp.json", import.meta.url)),
} as const;

function placeProblems(entry: ReportPlaceEntry, path: string): Problem[] {
  const problems: Problem[] = [];
  if (entry.url !== undefined) {
    let host = "";
    try {
      host = new URL(entry.url).hostname;
    } catch {
      // Reported below as a URL without a valid host.
    }
    if (!isHostName(host)) {
      problems.push({
        path: `${path}.url`,
        problem: `${JSON.stringify(entry.url)} has no valid lowercase host name`,
      });
    }
  }
  if (entry.dial === undefined && entry.url === undefined && entry.where === undefined) {
    problems.push({ path, problem: "needs a dial, a url or a where: a place nobody can reach helps nobody" });
  }
  if (entry.hours !== undefined) {
    problems.push(...openingHoursProblems(entry.hours, `${path}.hours`));
  }
  if (!isCalendarDate(entry.provenance.checkedOn)) {
    problems.push({
      path: `${path}.provenance.checkedOn`,
      problem: `${JSON.stringify(entry.provenance.checkedOn)} is not a real date`,
    });
  }
  return problems;
}

/** Checks a report directory's content (already JSON-parsed): every problem, each with its path. */
export function parseReportDirectory(raw: unknown): Result<ReportDirectory, "report_directory_invalid"> {
  const problems = schemaProblems(ReportDirectoryFile, raw);
  const places = (typeof raw === "object" && raw !== null && "places" in raw ? raw.places : []) as unknown;
  const accepted =
    Array.isArray(places) && places.length <= limits.registryEntriesMax
      ? places.flatMap((entry: unknown, index) =>
          Value.Check(ReportPlaceEntry, entry) ? [{ entry, path: `$.places[${index}]` }] : [],
        )
      : [];
  const seenIds = new Map<string, string>();
  for (const { entry, path } of accepted) {
    problems.push(...placeProblems(entry, path));
    const earlier = seenIds.get(entry.id);
    if (earlier !== undefined) {
      problems.push({
        path: `${path}.id`,
        problem: `id ${JSON.stringify(entry.id)} is already used at ${earlier}`,
      });
    }
    seenIds.set(entry.id, `${path}.id`);
  }
  if (problems.length > 0) {
    return err("report_directory_invalid", describeProblems("The report directory", problems));
  }
  const file = raw as Static<typeof ReportDirectoryFile>;
  return ok({
    country: file.country,
    places: file.places.map((entry) => ({
      id: entry.id,
      name: entry.name,
      what: entry.what,
      dial: entry.dial ?? null,
      url: entry.url ?? null,
      where: entry.where ?? null,
      hours: entry.hours ?? null,
      notes: entry.notes ?? [],
      pros: entry.pros ?? [],
      cons: entry.cons ?? [],
      situations: entry.situations,
      provenance: entry.provenance,
    })),
  });
}

export async function loadReportDirectory(
  path: string,
): Promise<Result<ReportDirectory, "report_directory_invalid" | "report_directory_unreadable">> {
  const read = await readDataFile(path);
  if (!read.ok) {
    return err(
      read.code === "unreadable" ? "report_directory_unreadable" : "report_directory_invalid",
      read.message,
    );
  }
  const parsed = parseReportDirectory(read.value);
  return parsed.ok ? parsed : err(parsed.code, `${path}: ${parsed.message}`);
}
