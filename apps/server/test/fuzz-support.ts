/**
 * Generators for the fuzz suite (fuzz.test.ts): hostile values of every kind, near-valid bodies
 * derived from the JSON schemas the app itself publishes, and whole requests (method, path,
 * query, headers, body) for one route. Everything generated is something that can arrive over
 * the wire: header values are Latin-1 without control characters and URLs are printable ASCII,
 * because Node's HTTP parser refuses anything else before the app sees it, so a failure found
 * here is one a real client can cause.
 */
import fc from "fast-check";

/** The subset of JSON Schema that TypeBox emits for our contracts (checked: no $ref, no format). */
export type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
};

export type OperatorRole = "analyst" | "supervisor" | "admin";
/** A credential by name: the suite resolves it when the request is sent, since sessions get renewed. */
export type Caller = "apiKey" | "cardholder" | OperatorRole;

export type FuzzRoute = {
  method: string;
  url: string;
  access: "public" | "api_key" | "cardholder" | "operator";
  roles: readonly string[];
  pathParams: string[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body: JsonSchema | null;
};

/** How the Authorization header is made: a real credential (perhaps mangled), raw junk, or none. */
export type AuthChoice =
  | { kind: "absent" }
  | { kind: "raw"; value: string | string[] }
  | {
      kind: "credential";
      caller: Caller;
      mangle: "none" | "lowercase_scheme" | "double_space" | "suffix" | "bare_token" | "duplicated";
    };

export type GeneratedRequest = {
  route: FuzzRoute;
  method: string;
  url: string;
  auth: AuthChoice;
  headers: Record<string, string | string[]>;
  payload: string | Buffer | undefined;
  remoteAddress: string;
};

/** What the generators may draw on besides noise: values harvested from the seeded platform. */
export type FuzzPools = {
  /** Ids, tokens and other strings the platform itself handed out while it was seeded. */
  realStrings: readonly string[];
  /** The subset that names an entity (ids and link tokens): what path parameters and *Id fields get. */
  realIds: readonly string[];
  /** The manual clock's instant, to make timestamps the platform will consider recent. */
  nowMs: number;
};

// --- Hostile scalars ------------------------------------------------------------------------

/** Strings chosen to break naive handling: encodings, Unicode edge cases, lookalikes, injections. */
const oddStrings = [
  "",
  " ",
  "\ud800",
  "\udfff",
  "a\ud800b",
  "\udc00\ud800",
  "\u0000",
  "a\u0000b",
  "\u202eevil\u202c",
  "\u202dLTR\u202c",
  "e\u0301\u0301\u0301\u0301\u0301\u0301",
  "Z̸̡̢̛̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "\ufeff",
  "\u200b\u200c\u200d",
  "\ufffe\uffff",
  "４１１１１１１１１１１１１１１１",
  "１２３",
  "٣٠٠٠",
  "𝟑𝟎𝟎𝟎",
  "ＪＰＹ",
  "Ⅻ",
  "İı",
  "ß",
  "null",
  "undefined",
  "true",
  "NaN",
  "Infinity",
  "-0",
  "0x10",
  "1e3",
  "3000",
  "-1",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "$" + "{7*7}",
  "{{7*7}}",
  "../../../../etc/passwd",
  "%00",
  "%ZZ",
  "\r\n\r\nX-Injected: 1",
  "\t",
  "2026-02-30T25:61:61+99:99",
  "9999-12-31T23:59:59Z",
  "0000-01-01T00:00:00Z",
  "2026-11-20T03:00:00.123456789+09:00",
  "+819012345678",
  "a@b",
  "@",
  "4111111111111111",
  "4111 1111 1111 1111",
  "0000000000000000",
  "Asia/Tokyo",
  "Mars/Olympus",
  "../Tokyo",
];

const oddCharacter = fc.constantFrom(
  "\u0000",
  "\u0007",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u200e",
  "\u202e",
  "\u2028",
  "\u2029",
  "\ud800",
  "\udbff",
  "\udc00",
  "\u0301",
  "\u3000",
  "\uff10",
  "\uff19",
  "\ufeff",
  "\ufffd",
  "😀",
  "\u{10ffff}",
  "漢",
  "ｱ",
  '"',
  "\\",
  "/",
  "%",
  "&",
  "=",
  "#",
  "?",
  ";",
);

/** Sizes around the body limits (64 KiB default, 256 KiB rulesets, 1 KiB link form). */
const bodyEdgeSizes = [1_023, 1_025, 64 * 1024 - 40, 64 * 1024 + 1, 256 * 1024 - 40, 256 * 1024 + 1];

/** Short hostile text, for places where length is not the point (headers, URLs, keys). */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddStrings) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: oddCharacter, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
);

/** Hostile text including, now and then, strings around the body limits. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: shortHostileString },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(200, 1_000, 5_000, ...bodyEdgeSizes), fc.constantFrom("x", "漢", "😀", "\u0301"))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))),
  },
);

/**
 * Numbers at the edges, as JSON text: JSON.stringify cannot write -0 as "-0", 1e309 or
 * 9007199254740993, so these are spliced into the body text with a marker (see toJsonText).
 */
const boundaryNumberTexts = [
  "0",
  "-0",
  "0.0",
  "-0.0",
  "1",
  "-1",
  "1e308",
  "-1e308",
  "1e309",
  "-1e309",
  "5e-324",
  "1e-400",
  "0.000000001",
  "9007199254740991",
  "9007199254740992",
  "9007199254740993",
  "-9007199254740993",
  "4294967296",
  "2147483648",
  "1000000000000",
  "1000000000001",
  "3000.0000000000001",
  "1E2",
  "123456789012345678901234567890",
];
const rawNumberMarker = "\u0000raw-number:";

export const boundaryNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...boundaryNumberTexts).map((text) => `${rawNumberMarker}${text}`),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.constantFrom(...boundaryNumberTexts).map((text) => text),
);

/** Values of every JSON type, shallow or deep, small or huge. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    { weight: 10, arbitrary: hostileString },
    { weight: 8, arbitrary: boundaryNumber },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 4, arbitrary: fc.dictionary(shortHostileString, tie("value"), { maxKeys: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1_000, 20_000, 70_000)
        .chain((length) => fc.constantFrom(0, "x", null, {}).map((item) => Array(length).fill(item))),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 10, max: 600 }).map((depth) => {
        let nested: unknown = 1;
        for (let level = 0; level < depth; level++) {
          nested = { a: nested };
        }
        return nested;
      }),
    },
  ),
})).value;

// --- Near-valid values from a schema --------------------------------------------------------

const isoAround = (pools: FuzzPools) =>
  fc
    .tuple(
      fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
      fc.constantFrom("Z", "+09:00", "-05:00", "+00:00"),
    )
    .map(([offsetMs, zone]) => {
      const iso = new Date(pools.nowMs + offsetMs).toISOString().slice(0, 19);
      return `${iso}${zone}`;
    });

/** Strings matching the pattern where fast-check can invert it (not lookarounds), else any text. */
function patternOrAny(
  pattern: string | undefined,
  minLength: number,
  maxLength: number,
): fc.Arbitrary<string> {
  const anyText = fc.string({ unit: "grapheme", minLength, maxLength: Math.max(minLength, maxLength) });
  if (pattern === undefined) {
    return anyText;
  }
  try {
    return fc.stringMatching(new RegExp(pattern), { maxLength });
  } catch {
    return anyText;
  }
}

/** A value that the schema accepts, most of the time; a real string from the platform some of it. */
export function validFor(schema: JsonSchema, pools: FuzzPools, key = ""): fc.Arbitrary<unknown> {
  const names = /(^id|Id|token)$/.test(key) ? pools.realIds : pools.realStrings;
  const real = names.length > 0 ? fc.constantFrom(...names) : fc.constant("x");
  if (schema.const !== undefined) {
    return fc.constant(schema.const);
  }
  if (schema.enum !== undefined && schema.enum.length > 0) {
    return fc.constantFrom(...schema.enum);
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => validFor(alternative, pools, key)));
  }
  switch (schema.type) {
    case "object": {
      const properties = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) {
        model[key] = validFor(property, pools, key);
      }
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
    }
    case "array":
      return fc.array(schema.items === undefined ? fc.anything() : validFor(schema.items, pools), {
        minLength: Math.min(schema.minItems ?? 0, 5),
        maxLength: Math.max(Math.min(schema.maxItems ?? 5, 5), Math.min(schema.minItems ?? 0, 5)),
      });
    case "integer": {
      const min = Math.max(schema.minimum ?? -1e9, Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? 1e9, Number.MAX_SAFE_INTEGER);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case "number":
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string": {
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 60, 60);
      let own: fc.Arbitrary<string>;
      if (schema.pattern?.includes("T[0-9]{2}")) {
        own = isoAround(pools);
      } else {
        own = patternOrAny(schema.pattern, minLength, maxLength);
      }
      return fc.oneof({ weight: 3, arbitrary: own }, { weight: 2, arbitrary: real });
    }
    default:
      return fc.anything();
  }
}

/** One change that makes a valid body invalid in a single place, as a careless client would. */
type Mutation = { kind: "drop" | "replace" | "add" | "wrap_array" | "stringify"; at: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("drop", "replace", "replace", "add", "wrap_array", "stringify"),
  at: fc.nat(),
  value: hostileValue,
});

function containersOf(value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    into.push(record);
    for (const child of Object.values(record)) {
      containersOf(child, into);
    }
  }
  return into;
}

function applyMutation(body: unknown, change: Mutation, unknownKey: string): unknown {
  const containers = containersOf(body);
  const target = containers[change.at % Math.max(containers.length, 1)];
  if (target === undefined) {
    return change.value;
  }
  const keys = Object.keys(target);
  const key = keys[change.at % Math.max(keys.length, 1)];
  switch (change.kind) {
    case "drop":
      if (key !== undefined) {
        delete target[key];
      }
      break;
    case "replace":
      target[key ?? unknownKey] = change.value;
      break;
    case "add":
      target[unknownKey] = change.value;
      break;
    case "wrap_array":
      if (key !== undefined) {
        target[key] = [target[key]];
      }
      break;
    case "stringify":
      if (key !== undefined) {
        target[key] = typeof target[key] === "string" ? Number(target[key]) : JSON.stringify(target[key]);
      }
      break;
  }
  return body;
}

/** A valid body with zero to three mutations: most requests are close enough to pass a first check. */
export function nearValid(schema: JsonSchema, pools: FuzzPools): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      validFor(schema, pools),
      // Half the bodies stay valid, so the services behind the schema see generated input too.
      fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 3 })),
      fc.constantFrom("surprise", "__proto__", "constructor", "id\u0000", "ＩＤ", ""),
    )
    .map(([body, changes, unknownKey]) =>
      changes.reduce((value, change) => applyMutation(value, change, unknownKey), structuredClone(body)),
    );
}

/** JSON text with the raw-number markers spliced back in as number tokens. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return !text.includes("raw-number:") ? text : text.replace(/"\\u0000raw-number:([^"]*)"/g, "$1");
}

// --- Raw bodies -----------------------------------------------------------------------------

/** Text that is not JSON, or JSON that is nested far past any sane depth. */
const rawBodyText: fc.Arbitrary<string> = fc.oneof(
  { depthSize: "small" },
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[",
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '{"a":1}{"b":2}',
    '{"a":1} trailing',
    "NaN",
    "undefined",
    "-",
    "01",
    "1e309",
    "-0",
    "null",
    "true",
    '"just a string"',
    "\u0000",
    "\ufeff{}",
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"a":"\\x41"}',
    '{"a":1,"a":2}',
    "answer=mine",
    "answer=not_mine&answer=mine",
    "--boundary\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--boundary--",
  ),
  fc.constantFrom(100, 1_000, 10_000, 100_000).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  fc.constantFrom(100, 1_000, 10_000).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  fc.constantFrom(10_000, 60_000).map((depth) => "[".repeat(depth)),
  fc.string({ unit: "binary", maxLength: 200 }),
);

const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=UTF-8",
  "application/json;charset=utf-16le",
  "application/json; charset=latin1",
  'application/json; charset="utf-8"',
  "application/json; charset=",
  "application/json; boundary=x; charset=utf-8; charset=ascii",
  "APPLICATION/JSON",
  "application/jsonx",
  "application/vnd.api+json",
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8",
  "multipart/form-data; boundary=boundary",
  "text/plain",
  "text/html",
  "application/octet-stream",
  "*/*",
  "json",
  ";",
  "",
];

type BodyChoice = { payload: string | Buffer | undefined; contentType: string | undefined };

function bodyFor(route: FuzzRoute, pools: FuzzPools): fc.Arbitrary<BodyChoice> {
  const json = (contentType: fc.Arbitrary<string | undefined>) => (text: fc.Arbitrary<string>) =>
    fc.tuple(text, contentType).map(([payload, type]) => ({ payload, contentType: type }));
  const mostlyJson = fc.oneof(
    { weight: 8, arbitrary: fc.constant("application/json") },
    { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...contentTypes, undefined) },
  );
  const schemaBody =
    route.body === null
      ? hostileValue
      : fc.oneof(
          { weight: 4, arbitrary: nearValid(route.body, pools) },
          { weight: 1, arbitrary: hostileValue },
        );
  const asForm = (value: unknown): string => {
    if (typeof value !== "object" || value === null) {
      return String(value);
    }
    return new URLSearchParams(
      Object.entries(value).map(([key, item]): [string, string] => [
        key,
        typeof item === "string" ? item : toJsonText(item),
      ]),
    ).toString();
  };
  return fc.oneof(
    // Bodies around the limits are few but costly to build and send; each route still gets dozens.
    { weight: 36, arbitrary: json(mostlyJson)(schemaBody.map(toJsonText)) },
    { weight: 6, arbitrary: json(mostlyJson)(rawBodyText) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...bodyEdgeSizes), fc.constantFrom("x", "漢"))
        .map(([size, unit]) => ({
          payload: `{"padding":"${unit.repeat(Math.ceil(size / Buffer.byteLength(unit)))}"}`,
          contentType: "application/json",
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom<string | undefined>(...contentTypes, undefined),
        )
        .map(([bytes, contentType]) => ({ payload: Buffer.from(bytes), contentType })),
    },
    {
      weight: 2,
      arbitrary: schemaBody.map((value) => ({
        payload: asForm(value),
        contentType: "application/x-www-form-urlencoded",
      })),
    },
    { weight: 6, arbitrary: fc.constant({ payload: undefined, contentType: undefined }) },
    {
      weight: 1,
      arbitrary: fc.constant({ payload: undefined, contentType: "application/json" }),
    },
  );
}

// --- URLs -----------------------------------------------------------------------------------

/** Percent-encodes the UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as on the wire). */
export function percentEncode(text: string): string {
  // In a /u pattern a surrogate pair is one code point, so only lone surrogates match.
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, "\ufffd"));
}

/** Path segments and query parts that are not well-formed percent-encoding, sent as they are. */
const rawUrlPieces = [
  "%",
  "%Z",
  "%ZZ",
  "%00",
  "%FF",
  "%C0%AF",
  "%ED%A0%80",
  "%E0%80%80",
  "%2F",
  "%2e%2e",
  "..",
  ".",
  "%252F",
  "a;b",
  "a,b",
  "*",
  "~",
  "%F0%9F%98",
];

function pathValue(name: string, pools: FuzzPools): fc.Arbitrary<string> {
  const real = pools.realIds;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...(real.length > 0 ? real : ["x"])).map(percentEncode) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/) },
    // Longer than the router's 100-character parameter limit and than any id.
    { weight: 1, arbitrary: fc.constantFrom(65, 101, 5_000).map((length) => "i".repeat(length)) },
    { weight: 2, arbitrary: shortHostileString.map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom(...rawUrlPieces) },
    { weight: 1, arbitrary: fc.constant(name === "*" ? "index.js" : "") },
  );
}

function queryFor(route: FuzzRoute, pools: FuzzPools): fc.Arbitrary<string> {
  const known = route.query.map((parameter) =>
    fc
      .oneof(
        { weight: 3, arbitrary: validFor(parameter.schema, pools).map((value) => String(value)) },
        { weight: 1, arbitrary: shortHostileString },
      )
      .map((value) => `${parameter.name}=${percentEncode(value)}`),
  );
  const part = fc.oneof(
    ...(known.length > 0 ? [{ weight: 6, arbitrary: fc.oneof(...known) }] : []),
    {
      weight: 1,
      arbitrary: fc
        .tuple(shortHostileString, fc.oneof(shortHostileString, fc.constant("v".repeat(4_000))))
        .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "a[b][c]=1",
        "__proto__[x]=1",
        "constructor[prototype][x]=1",
        "limit=-1",
        "limit=1e309",
        "limit=9007199254740993",
        "=",
        "&&&",
        "a",
        "a=1=2",
        ...rawUrlPieces,
      ),
    },
  );
  const join = (parts: string[]) => (parts.length === 0 ? "" : `?${parts.join("&")}`);
  // The documented parameters: every required one and some optional ones, mostly valid values.
  const plausible = fc
    .tuple(
      ...route.query.map((parameter, index) =>
        parameter.required
          ? (known[index] as fc.Arbitrary<string>)
          : fc.option(known[index] as fc.Arbitrary<string>, { nil: undefined }),
      ),
    )
    .map((parts) => join(parts.filter((part) => part !== undefined)));
  // Most requests send no query or a plausible one, so the route's own checks are reached.
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant("") },
    ...(known.length > 0 ? [{ weight: 5, arbitrary: plausible }] : []),
    { weight: 3, arbitrary: fc.array(part, { maxLength: 6 }).map(join) },
  );
}

// --- Headers --------------------------------------------------------------------------------

/**
 * A header value as Node's parser would hand it over: the UTF-8 bytes read as Latin-1, without
 * control characters (refused on the wire) and without surrounding whitespace (trimmed there).
 */
export function onTheWire(text: string): string {
  const isRefused = (code: number) => (code < 0x20 && code !== 0x09) || code === 0x7f;
  return [...Buffer.from(text, "utf8").toString("latin1")]
    .map((character) => (isRefused(character.charCodeAt(0)) ? "?" : character))
    .join("")
    .trim();
}

/** Node keeps at most 16 KiB of headers (--max-http-header-size); larger never reaches the app. */
const headerValueMax = 12 * 1024;

const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 40, arbitrary: shortHostileString.map(onTheWire) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 8_000, headerValueMax).map((length) => "A".repeat(length)) },
);

/** The total a request's headers may take: Node refuses more than 16 KiB with a 431 of its own. */
const headersBytesMax = 15 * 1024;

/** Drops the largest headers until the rest fits what Node lets through. */
export function withinHeaderLimit(
  headers: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const size = (value: string | string[]) => [value].flat().join("").length;
  const entries = Object.entries(headers).sort(([, a], [, b]) => size(a) - size(b));
  const kept: Record<string, string | string[]> = {};
  let total = 0;
  for (const [name, value] of entries) {
    total += name.length + size(value) + 4;
    if (total <= headersBytesMax) {
      kept[name] = value;
    }
  }
  return kept;
}

function authFor(route: FuzzRoute): fc.Arbitrary<AuthChoice> {
  const operatorRoles = (["analyst", "supervisor", "admin"] as const).filter((role) =>
    route.roles.includes(role),
  );
  const rightCallers: Caller[] =
    route.access === "api_key"
      ? ["apiKey"]
      : route.access === "cardholder"
        ? ["cardholder"]
        : route.access === "operator"
          ? [...operatorRoles]
          : ["apiKey", "cardholder", "analyst"];
  const credential = (callers: Caller[], mangles: Extract<AuthChoice, { kind: "credential" }>["mangle"][]) =>
    fc
      .tuple(fc.constantFrom(...callers), fc.constantFrom(...mangles))
      .map(([caller, mangle]): AuthChoice => ({ kind: "credential", caller, mangle }));
  return fc.oneof(
    { weight: 12, arbitrary: credential(rightCallers, ["none"]) },
    {
      weight: 2,
      arbitrary: credential(
        ["apiKey", "cardholder", "analyst", "supervisor", "admin"],
        ["none", "lowercase_scheme", "double_space", "suffix", "bare_token", "duplicated"],
      ),
    },
    { weight: 2, arbitrary: fc.constant<AuthChoice>({ kind: "absent" }) },
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          hostileHeaderValue.map((value) => `Bearer ${value}`),
          hostileHeaderValue,
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "Bearer null",
            "Bearer undefined",
            "Digest x",
          ),
          fc.array(hostileHeaderValue, { minLength: 2, maxLength: 3 }),
        )
        .map((value): AuthChoice => ({ kind: "raw", value })),
    },
  );
}

const headerName = fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,40}$/);

const extraHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc
  .record(
    {
      accept: fc.constantFrom(
        "application/json",
        "text/html",
        "*/*",
        "application/json, text/html",
        "x/y;q=2",
      ),
      "sec-fetch-site": fc.constantFrom("same-origin", "none", "cross-site", "same-site", "CROSS-SITE", ""),
      cookie: fc.oneof(
        hostileHeaderValue,
        fc.constantFrom("session=x; session=y", "=;=;", "a=%ZZ", `a=${"b".repeat(8_000)}`, "__proto__=1"),
      ),
      "x-forwarded-for": fc.oneof(hostileHeaderValue, fc.constantFrom("1.2.3.4, 5.6.7.8", "::1", "unknown")),
      "accept-language": fc.oneof(hostileHeaderValue, fc.constantFrom("ja-JP,ja;q=0.9", "*", "xx-YY;q=NaN")),
      "content-encoding": fc.constantFrom("gzip", "br", "identity", "deflate, gzip", "x"),
      "user-agent": hostileHeaderValue,
      "idempotency-key": hostileHeaderValue,
      "x-request-id": hostileHeaderValue,
      host: fc.constantFrom("localhost", "evil.example", "", "a".repeat(300), "[::1]:99999"),
    },
    { requiredKeys: [] },
  )
  .chain((known) =>
    fc
      .dictionary(headerName, hostileHeaderValue, { maxKeys: 2 })
      .map((garbage) => ({ ...garbage, ...known }) as Record<string, string | string[]>),
  );

// --- Whole requests -------------------------------------------------------------------------

const otherMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND"];

const remoteAddress: fc.Arbitrary<string> = fc.oneof(
  // Mostly fresh addresses, so the per-address rate limits of the public routes leave most
  // requests to reach validation; one shared address keeps the limit itself under fire.
  {
    weight: 8,
    arbitrary: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  },
  { weight: 1, arbitrary: fc.constant("203.0.113.7") },
  { weight: 1, arbitrary: fc.nat(65_535).map((word) => `2001:db8::${word.toString(16)}`) },
);

export function requestFor(route: FuzzRoute, pools: FuzzPools): fc.Arbitrary<GeneratedRequest> {
  const method = fc.oneof(
    { weight: 17, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constant(route.method === "GET" ? "HEAD" : route.method) },
    { weight: 2, arbitrary: fc.constantFrom(...otherMethods) },
  );
  const path = fc
    .tuple(...route.pathParams.map((name) => pathValue(name, pools)), fc.constant(""))
    .map((values) => {
      let url = route.url;
      for (const [index, name] of route.pathParams.entries()) {
        url = url.replace(name === "*" ? "*" : `:${name}`, values[index] ?? "");
      }
      return url;
    });
  return fc
    .record({
      method,
      path,
      query: queryFor(route, pools),
      auth: authFor(route),
      body: bodyFor(route, pools),
      // Half the requests carry only what an ordinary client sends, so header refusals do not
      // hide the route behind them.
      headers: fc.oneof(fc.constant({}), extraHeaders),
      remoteAddress,
    })
    .map(({ method: verb, path: pathname, query, auth, body, headers, remoteAddress: address }) => ({
      route,
      method: verb,
      url: `${pathname}${query}`,
      auth,
      headers: {
        ...headers,
        ...(body.contentType === undefined ? {} : { "content-type": body.contentType }),
      },
      payload: body.payload,
      remoteAddress: address,
    }));
}
