/**
 * Rendering a message from a template set, and reading an issuer's overrides of the defaults.
 * A template names its variables as `{merchant}`; which names a kind may use is declared in
 * message-kinds.ts. Overrides are parsed here (coded errors for a bad file); whether their words
 * are safe to send is template-rules.ts's question.
 */
import { limits } from "../config/limits.ts";
import { assert } from "../platform/assert.ts";
import {
  type Channel,
  isChannel,
  isLanguage,
  isMessageKind,
  isPlaceholder,
  kindAllows,
  kindHasChannel,
  kindSpecs,
  type Language,
  type MessageKind,
  type Placeholder,
  placeholderLengthMax,
  type Template,
  type TemplateSet,
  type TemplateVariables,
} from "./message-kinds.ts";

const placeholderPattern = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a text uses, in order, as written (known or not). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((match) => match[1] ?? "");
}

/** A `{` or `}` that is not part of a placeholder would reach the cardholder as a stray brace. */
function hasStrayBrace(text: string): boolean {
  return /[{}]/.test(text.replace(placeholderPattern, ""));
}

export type RenderedMessage = { readonly subject: string | null; readonly body: string };

export type RenderRequest<K extends MessageKind> = {
  readonly kind: K;
  readonly channel: Channel;
  readonly language: Language;
  readonly variables: TemplateVariables<K>;
};

/**
 * Values come from card networks and cardholders. Control and format characters (line breaks,
 * bidirectional overrides) would let a merchant name forge lines or reorder text in our message,
 * so they become spaces; only the confirmation list keeps its own line breaks.
 */
function cleanValue(placeholder: Placeholder, value: string): string {
  const cleaned = value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (character) =>
    placeholder === "confirmationList" && character === "\n" ? "\n" : " ",
  );
  return placeholder === "confirmationList" ? cleaned : cleaned.trim();
}

function collectValues(kind: MessageKind, variables: Readonly<Record<string, unknown>>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) {
      continue;
    }
    assert(isPlaceholder(name) && kindAllows(kind, name), `${kind} has no variable {${name}}`);
    assert(typeof value === "string", `{${name}} must be a string`);
    assert(
      value.length <= placeholderLengthMax[name],
      `{${name}} is longer than ${placeholderLengthMax[name]}`,
    );
    if (name === "link") {
      assert(value.startsWith("https://"), "an official link is https");
    }
    values.set(name, cleanValue(name, value));
  }
  for (const name of kindSpecs[kind].variables) {
    assert(values.has(name), `${kind} needs the variable {${name}}`);
  }
  return values;
}

function fill(text: string, values: ReadonlyMap<string, string>, where: string): string {
  return text.replace(placeholderPattern, (_whole, name: string) => {
    const value = values.get(name);
    assert(value !== undefined, `template ${where} uses {${name}}, which was not given`);
    return value;
  });
}

/** The text of one message. A missing template or variable is a bug in the caller, not an outcome. */
export function renderMessage<K extends MessageKind>(
  set: TemplateSet,
  request: RenderRequest<K>,
): RenderedMessage {
  const { kind, channel, language } = request;
  const where = `${kind}/${channel}/${language}`;
  const template = set[kind][channel]?.[language];
  assert(template !== undefined, `no template ${where}`);
  const values = collectValues(kind, request.variables);
  // A single pass: a value that looks like "{securityPhrase}" is printed as is, never expanded.
  const subject = template.subject === null ? null : fill(template.subject, values, where);
  const body = fill(template.body, values, where);
  // Validated sets cannot outgrow these at the longest values; see validateTemplateSet.
  if (channel === "sms") {
    assert(body.length <= limits.smsBodyCharactersMax, `${where} is too long for an SMS`);
  }
  return { subject, body };
}

export type TemplateOverride = {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly language: Language;
  readonly template: Template;
};

export type TemplateOverrideErrorCode =
  | "invalid_overrides"
  | "unknown_kind"
  | "unknown_channel"
  | "unknown_language"
  | "unknown_placeholder"
  | "invalid_template";

export type TemplateOverridesResult =
  | { ok: true; overrides: readonly TemplateOverride[] }
  | { ok: false; code: TemplateOverrideErrorCode; message: string };

type Failure = { ok: false; code: TemplateOverrideErrorCode; message: string };

function failure(code: TemplateOverrideErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseText(kind: MessageKind, text: unknown, path: string): Failure | { ok: true; text: string } {
  if (typeof text !== "string" || text.trim() === "") {
    return failure("invalid_template", `${path} must be a non-empty string`);
  }
  if (text.length > limits.templateTextCharactersMax) {
    return failure(
      "invalid_template",
      `${path} is longer than ${limits.templateTextCharactersMax} characters`,
    );
  }
  if (hasStrayBrace(text)) {
    return failure("invalid_template", `${path} has a brace outside a {placeholder}`);
  }
  for (const name of placeholdersIn(text)) {
    if (!isPlaceholder(name)) {
      return failure("unknown_placeholder", `${path} uses {${name}}, which does not exist`);
    }
    if (!kindAllows(kind, name)) {
      return failure("unknown_placeholder", `${path} uses {${name}}, which ${kind} does not have`);
    }
  }
  return { ok: true, text };
}

function parseTemplate(
  kind: MessageKind,
  channel: Channel,
  value: unknown,
  path: string,
): Failure | Template {
  if (!isPlainObject(value)) {
    return failure("invalid_template", `${path} must be an object with a body`);
  }
  const extra = Object.keys(value).find((key) => key !== "subject" && key !== "body");
  if (extra !== undefined) {
    return failure("invalid_template", `${path} has an unknown field "${extra}"`);
  }
  const body = parseText(kind, value.body, `${path}.body`);
  if (!body.ok) {
    return body;
  }
  if (channel === "sms") {
    if (value.subject !== undefined && value.subject !== null) {
      return failure("invalid_template", `${path} is an SMS and has no subject`);
    }
    return { subject: null, body: body.text };
  }
  const subject = parseText(kind, value.subject, `${path}.subject`);
  if (!subject.ok) {
    return subject;
  }
  return { subject: subject.text, body: body.text };
}

/**
 * Reads an issuer's override file (already JSON-parsed), shaped as
 * `{ "<kind>": { "<channel>": { "<language>": { "subject"?: "…", "body": "…" } } } }`.
 * Each template given replaces the default whole; what is not given keeps the default.
 */
export function loadTemplateOverrides(json: unknown): TemplateOverridesResult {
  if (!isPlainObject(json)) {
    return failure("invalid_overrides", "template overrides must be a JSON object keyed by message kind");
  }
  const overrides: TemplateOverride[] = [];
  for (const [kind, byChannel] of Object.entries(json)) {
    if (!isMessageKind(kind)) {
      return failure("unknown_kind", `unknown message kind "${kind}"`);
    }
    if (!isPlainObject(byChannel)) {
      return failure("invalid_overrides", `${kind} must be an object keyed by channel`);
    }
    for (const [channel, byLanguage] of Object.entries(byChannel)) {
      if (!isChannel(channel) || !kindHasChannel(kind, channel)) {
        return failure("unknown_channel", `${kind} is not sent by "${channel}"`);
      }
      if (!isPlainObject(byLanguage)) {
        return failure("invalid_overrides", `${kind}.${channel} must be an object keyed by language`);
      }
      for (const [language, value] of Object.entries(byLanguage)) {
        if (!isLanguage(language)) {
          return failure("unknown_language", `${kind}.${channel} has unknown language "${language}"`);
        }
        const template = parseTemplate(kind, channel, value, `${kind}.${channel}.${language}`);
        if ("ok" in template) {
          return template;
        }
        overrides.push({ kind, channel, language, template });
      }
    }
  }
  return { ok: true, overrides };
}

/** A new set: the base with each override in place of the template it names. */
export function applyTemplateOverrides(
  base: TemplateSet,
  overrides: readonly TemplateOverride[],
): TemplateSet {
  const set = structuredClone(base) as {
    [K in MessageKind]: { [C in Channel]?: Record<Language, Template> };
  };
  for (const { kind, channel, language, template } of overrides) {
    const byLanguage = set[kind][channel];
    assert(byLanguage !== undefined, `the base set has no ${kind}/${channel}`);
    byLanguage[language] = template;
  }
  return set;
}
