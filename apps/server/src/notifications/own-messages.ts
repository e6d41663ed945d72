/**
 * Recognises our own wording: whether a text is one of our templates with its placeholders
 * filled in, and with what. The contact checker calls a text whose every word is ours (and whose
 * filled-in values carry no link, number or cue of their own) our message. A verbatim copy of a
 * genuine notice is therefore "ours" too, which is harmless: our wording asks for nothing but a
 * reply of 1 or 2 or an answer in the app, and the checker still says the sender proves nothing.
 */
import { limits } from "../config/limits.ts";
import {
  type Channel,
  kindSpecs,
  type Language,
  languages,
  type MessageKind,
  messageKinds,
  type Placeholder,
  placeholderLengthMax,
  type TemplateSet,
} from "./message-kinds.ts";

export type OwnMessageMatch = {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly language: Language;
  /** What each placeholder held in the text, for the checker to read as untrusted input. */
  readonly values: Readonly<Partial<Record<Placeholder, string>>>;
};

export type OwnMessageRecognizer = (text: string) => OwnMessageMatch | null;

/** Values that are the same in every message we send, written into the pattern as text. */
export type FixedValues = { readonly issuerName: string; readonly officialDomain: string };

/** Pasting reflows text: line breaks, indentation and width must not decide whether it is ours. */
function flatten(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The shape each filled-in value may take; the loose ones are bounded by their longest value. */
function valuePattern(name: Placeholder): string {
  switch (name) {
    case "last4":
      return "([0-9]{4})";
    case "code":
      return `([0-9]{${limits.challengeCodeDigits}})`;
    case "validMinutes":
      return "([0-9]{1,2})";
    case "reference":
      return "([A-Z0-9]{3})";
    // The shapes `formatLocalTime` and `formatAmount` write: "11/21 14:03", "Nov 21, 14:03",
    // "12,800円", "JPY 12,800". Exact shapes keep a merchant name from swallowing them.
    case "localTime":
      return "([0-9]{1,2}/[0-9]{1,2} [0-9]{2}:[0-9]{2}|[A-Z][a-z]{2} [0-9]{1,2}, [0-9]{2}:[0-9]{2})";
    case "amount":
      return "([^\\s0-9]{0,3}[0-9][0-9,.]*[^\\s0-9,.]{0,3}|[A-Z]{3} [0-9][0-9,.]*)";
    case "link":
      return `(https://[^\\s]{1,${limits.linkLengthMax}})`;
    default:
      return `(.{1,${placeholderLengthMax[name]}}?)`;
  }
}

type Shape = {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly language: Language;
  readonly pattern: RegExp;
  readonly names: readonly Placeholder[];
};

function shapeOf(text: string, fixed: FixedValues): { source: string; names: Placeholder[] } {
  const names: Placeholder[] = [];
  const flat = flatten(text);
  let source = "";
  let last = 0;
  for (const match of flat.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)) {
    source += escapeRegExp(flat.slice(last, match.index));
    const name = match[1] as Placeholder;
    if (name === "issuerName" || name === "officialDomain") {
      source += escapeRegExp(flatten(fixed[name]));
    } else {
      source += valuePattern(name);
      names.push(name);
    }
    last = match.index + match[0].length;
  }
  source += escapeRegExp(flat.slice(last));
  return { source, names };
}

/**
 * Compiles every template of the set once. A text matches a template when it is the whole body,
 * or the subject and body together (how an e-mail is pasted), with any spacing.
 */
export function createOwnMessageRecognizer(set: TemplateSet, fixed: FixedValues): OwnMessageRecognizer {
  const shapes: Shape[] = [];
  for (const kind of messageKinds) {
    for (const channel of kindSpecs[kind].channels) {
      for (const language of languages) {
        const template = set[kind][channel]?.[language];
        if (template === undefined) {
          continue;
        }
        const forms =
          template.subject === null
            ? [template.body]
            : [template.body, `${template.subject}\n${template.body}`];
        for (const form of forms) {
          const { source, names } = shapeOf(form, fixed);
          shapes.push({ kind, channel, language, pattern: new RegExp(`^${source}$`, "su"), names });
        }
      }
    }
  }
  return (text) => {
    const flat = flatten(text);
    if (flat.length > limits.contactCheckTextLengthMax) {
      return null;
    }
    for (const shape of shapes) {
      const match = shape.pattern.exec(flat);
      if (match === null) {
        continue;
      }
      const values: Partial<Record<Placeholder, string>> = {};
      shape.names.forEach((name, index) => {
        values[name] = match[index + 1] ?? "";
      });
      return { kind: shape.kind, channel: shape.channel, language: shape.language, values };
    }
    return null;
  };
}

export type SampleMessage = {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly language: Language;
  /** Subject and body together, as a cardholder would paste them. */
  readonly text: string;
};

/**
 * Every template rendered with ordinary values, so that start-up can run each through the
 * contact checker's cues exactly as a cardholder's paste would be read.
 */
export function sampleMessages(set: TemplateSet, fixed: FixedValues): SampleMessage[] {
  const values: Readonly<Record<Placeholder, string>> = {
    issuerName: fixed.issuerName,
    officialDomain: fixed.officialDomain,
    merchant: "SAMPLE STORE",
    amount: "12,800円",
    localTime: "11/21 14:03",
    last4: "1234",
    securityPhrase: "さくら もみじ",
    reference: "A7K",
    confirmationList: "・A7K: 11/21 14:03 SAMPLE STORE 12,800円\n・B2M: 11/21 14:05 SAMPLE STORE 3,000円",
    link: `https://${fixed.officialDomain}/c/SAMPLE0000000000000000`,
    code: "0".repeat(limits.challengeCodeDigits),
    validMinutes: "10",
  };
  const fill = (text: string) =>
    text.replace(
      /\{([A-Za-z][A-Za-z0-9]*)\}/g,
      (whole, name: string) => values[name as Placeholder] ?? whole,
    );
  const samples: SampleMessage[] = [];
  for (const kind of messageKinds) {
    for (const channel of kindSpecs[kind].channels) {
      for (const language of languages) {
        const template = set[kind][channel]?.[language];
        if (template !== undefined) {
          const text = template.subject === null ? template.body : `${template.subject}\n${template.body}`;
          samples.push({ kind, channel, language, text: fill(text) });
        }
      }
    }
  }
  return samples;
}
