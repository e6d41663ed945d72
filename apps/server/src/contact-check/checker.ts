/**
 * "Is this really us?": one answer for a phone number, an SMS sender, an e-mail address, a URL
 * or a whole message. Each part reports signals (registry matches, lookalike links, requests for
 * secrets, threats, our own records); this module weighs them into a verdict, says why in the
 * cardholder's language, and adds what to do next.
 *
 * The weighing is deliberately simple and explainable: one suspicious signal, or two different
 * cautions, make the input suspicious. Only our registry (for a number, sender or address) or our
 * own exact wording (for a message) makes it official, and a genuine number or domain inside a
 * message never does: phishers paste real numbers into fake messages (research §6.1 item 6).
 */
import { limits } from "../config/limits.ts";
import { redactPans } from "../observability/index.ts";
import {
  analyzeEmailAddress,
  analyzeLink,
  emailSignals,
  linkReasonMessages,
  linkSignals,
} from "./domains.ts";
import { findLinks } from "./links.ts";
import { describeLocalTime } from "./opening-hours.ts";
import { analyzePhoneNumber, findPhoneNumbers, phoneReasonMessages, phoneSignals } from "./phone.ts";
import type { ContactFacts } from "./records.ts";
import { indexRegistry, type RegistryIndex } from "./registry.ts";
import type { ContactRegistry, RegistryPhone } from "./registry-types.ts";
import { type Language, type ReasonMessages, type Severity, type Signal, signalOf } from "./signal.ts";
import { namesIssuer, normalizeText, textReasonMessages, textSignals } from "./text-cues.ts";

export type InputKind = "phone_number" | "sms_sender" | "email_address" | "url" | "text";

export type ContactCheckInput = {
  /** What the cardholder pastes: a number, an address, a URL or a whole message. */
  readonly text: string;
  /** Who sent the message, when the cardholder knows: a number, a sender id or an address. */
  readonly from?: string | null;
};

/** Our own wording, recognised by the notifications module from the templates in force. */
export type OwnMessageMatch = {
  readonly kind: string;
  readonly channel: string;
  readonly language: Language;
  readonly values: Readonly<Record<string, string | undefined>>;
};

export type ContactCheckerDeps = {
  readonly registry: ContactRegistry;
  readonly recognizeOwnMessage: (text: string) => OwnMessageMatch | null;
};

export type Verdict = "official" | "suspicious" | "unknown";

export type ContactReason = {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly excerpt: string;
};

export type ContactCheck = {
  readonly verdict: Verdict;
  readonly inputKind: InputKind;
  readonly reasons: readonly ContactReason[];
  readonly advice: readonly string[];
  /** The guidance situation to offer next (GET /v1/guidance?situation=…); null when none is needed. */
  readonly situation: "entered_card_on_fake_site" | null;
  readonly language: Language;
};

type CheckerSignalCode =
  | "own_message"
  | "number_does_not_vouch"
  | "brand_with_foreign_link"
  | "sender_not_registered"
  | "input_truncated"
  | "pending_confirmation"
  | "no_pending_confirmation"
  | "we_sent_message"
  | "we_did_not_send_message"
  | "call_task_open"
  | "we_did_not_call";

const kindNames: Readonly<Record<string, { ja: string; en: string }>> = {
  confirmation_request: { ja: "ご利用確認のお願い", en: "request to confirm a purchase" },
  hold_expired_call_notice: { ja: "お電話のご案内", en: "notice that we will call you" },
  step_up_code: { ja: "認証コードのお知らせ", en: "one-time code message" },
};

function kindName(params: Readonly<Record<string, string>>, language: Language): string {
  const known = kindNames[params.kind ?? ""];
  return known === undefined ? (language === "ja" ? "お知らせ" : "notice") : known[language];
}

const channelNames: Readonly<Record<string, { ja: string; en: string }>> = {
  sms: { ja: "SMS", en: "text message" },
  email: { ja: "メール", en: "e-mail" },
  push: { ja: "アプリの通知", en: "app notification" },
  phone: { ja: "お電話", en: "phone call" },
};

const checkerReasonMessages: ReasonMessages<CheckerSignalCode> = {
  own_message: {
    ja: (p) =>
      `当社の「${kindName(p, "ja")}」の文面と一致し、当社のもの以外のリンクや電話番号は含まれていません。回答はアプリ・会員サイト、または当社の登録番号へのSMS返信で行ってください。`,
    en: (p) =>
      `This is the wording of our ${kindName(p, "en")} and it carries no link or number but ours. Answer in the app or member site, or by replying to one of our registered numbers.`,
  },
  number_does_not_vouch: {
    ja: () =>
      "文中の電話番号や送信元は当社の本物ですが、それだけでメッセージが本物だとは言えません。偽のメッセージに本物の番号が書かれていることがあります。",
    en: () =>
      "A number or sender in it is genuinely ours, but that does not make the message genuine: fake messages often quote real numbers.",
  },
  brand_with_foreign_link: {
    ja: () => "当社の名前を名乗りながら、当社のものではないリンクを含んでいます。",
    en: () => "It speaks in our name but links to a site that is not ours.",
  },
  sender_not_registered: {
    ja: () =>
      "送信元は当社の登録済みの番号・アドレスではありません。文面が当社のものでも、送信元が違えば当社からではありません。",
    en: () =>
      "The sender is not one of our registered numbers or addresses. Even with our wording, it did not come from us.",
  },
  input_truncated: {
    ja: () => "入力が長すぎるため、先頭の部分だけを確認しました。",
    en: () => "The input was too long: only its beginning was checked.",
  },
  pending_confirmation: {
    ja: (p) =>
      `お客様に確認をお願いしているご利用が${p.count}件あります。アプリまたは会員サイトでご回答ください。`,
    en: (p) => `We are waiting for your answer on ${p.count} purchase(s). Answer in the app or member site.`,
  },
  no_pending_confirmation: {
    ja: () => "現在、当社からお客様にご利用確認をお願いしているものはありません。",
    en: () => "We are not asking you to confirm any purchase right now.",
  },
  we_sent_message: {
    ja: (p) => `当社は${p.time}ごろ、お客様に${channelNames[p.channel ?? ""]?.ja ?? p.channel}を送りました。`,
    en: (p) => `We sent you a ${channelNames[p.channel ?? ""]?.en ?? p.channel} around ${p.time}.`,
  },
  we_did_not_send_message: {
    ja: (p) =>
      `当社の記録では、${p.time}の前後15分にお客様へ${channelNames[p.channel ?? ""]?.ja ?? "ご連絡"}を送っていません。`,
    en: (p) =>
      `Our records show no ${channelNames[p.channel ?? ""]?.en ?? "message"} from us to you within 15 minutes of ${p.time}.`,
  },
  call_task_open: {
    ja: (p) =>
      `保留中のご利用について、当社の担当者がお電話する予定があります(${p.since}から)。発信元は当社の登録番号です。`,
    en: (p) =>
      `Our staff are due to call you about a purchase on hold (since ${p.since}), from one of our registered numbers.`,
  },
  we_did_not_call: {
    ja: () => "当社の記録では、現在お客様にお電話する予定はありません。",
    en: () => "Our records show no reason for us to call you now.",
  },
};

const reasonMessages: ReasonMessages<string> = {
  ...textReasonMessages,
  ...phoneReasonMessages,
  ...linkReasonMessages,
  ...checkerReasonMessages,
};

const signal = (code: CheckerSignalCode, severity: Severity, excerpt: string, params = {}): Signal =>
  signalOf(code, severity, excerpt, params);

// --- Classifying the input ---------------------------------------------------------------------

const phoneLike = /^[+]?[\d\s\-()#.]{2,30}$/;
const emailLike = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function classify(text: string, index: RegistryIndex): InputKind {
  const normalized = normalizeText(text).trim();
  if (phoneLike.test(normalized) && /\d/.test(normalized)) {
    const analysis = analyzePhoneNumber(normalized, index);
    return analysis.valid || analysis.smsSender === null ? "phone_number" : "sms_sender";
  }
  if (emailLike.test(normalized) && !/[/?#]/.test(normalized)) {
    return "email_address";
  }
  if (!/\s/.test(normalized)) {
    const links = findLinks(normalized);
    if (links.length === 1) {
      return "url";
    }
  }
  return "text";
}

// --- Weighing ----------------------------------------------------------------------------------

const severityOrder: Readonly<Record<Severity, number>> = { suspicious: 0, caution: 1, official: 2, info: 3 };

export function verdictOf(signals: readonly Signal[]): Verdict {
  const cautions = new Set(signals.filter((s) => s.severity === "caution").map((s) => s.code));
  if (signals.some((s) => s.severity === "suspicious") || cautions.size >= 2) {
    return "suspicious";
  }
  return signals.some((s) => s.severity === "official") && cautions.size === 0 ? "official" : "unknown";
}

function localize(found: readonly Signal[], language: Language): ContactReason[] {
  return [...found]
    .sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity])
    .map((s) => {
      const messages = reasonMessages[s.code];
      return {
        code: s.code,
        severity: s.severity,
        message: messages === undefined ? s.code : messages[language](s.params),
        // A pasted phishing text may hold the card number it was answered with: never echo it.
        excerpt: redactPans(s.excerpt),
      };
    });
}

// --- Advice ------------------------------------------------------------------------------------

function lineFor(
  registry: ContactRegistry,
  situation: RegistryPhone["situations"][number],
): RegistryPhone | null {
  return (
    registry.phones.find(
      (phone) =>
        phone.retired === null &&
        phone.direction !== "we_call_you" &&
        phone.callersFrom !== "abroad" &&
        phone.situations.includes(situation),
    ) ?? null
  );
}

function adviceFor(
  verdict: Verdict,
  kind: InputKind,
  registry: ContactRegistry,
  language: Language,
): string[] {
  const name = registry.issuer.name[language];
  const lost = lineFor(registry, "card_lost_or_stolen");
  const main = lineFor(registry, "suspicious_charge");
  const ja = language === "ja";
  const advice: string[] = [];
  if (verdict === "suspicious") {
    advice.push(
      ja
        ? "リンクを開かず、書かれた番号に電話せず、返信もしないでください。"
        : "Do not open its links, call its numbers or reply to it.",
      ja
        ? `カード情報や認証コードを入力してしまった場合は、今すぐ${name}のアプリ・会員サイトでカードをロックし(24時間)${lost === null ? "" : `、${lost.display} にお電話ください`}。`
        : `If you entered card details or a code, lock your card now in the ${name} app or member site (24/7)${lost === null ? "" : ` and call ${lost.display}`}.`,
    );
  } else if (verdict === "official") {
    advice.push(
      kind === "text"
        ? ja
          ? "回答はアプリ・会員サイト(ブックマークまたは公式アプリから)で行うのが確実です。"
          : "The surest way to answer is in the app or member site, opened from your bookmark or our official app."
        : ja
          ? "当社のものです。それでも、当社が暗証番号・セキュリティコード・認証コードを伺うことはありません。"
          : "This is ours. Even so, we never ask for your PIN, security code or one-time codes.",
    );
  } else {
    advice.push(
      ja
        ? `当社からのものか確認できませんでした。書かれたリンクや番号は使わず、ブックマークまたは公式アプリから${name}の会員サイトを開くか、カード裏面の番号${main === null ? "" : `(${main.display})`}にお電話ください。`
        : `We could not confirm this is from us. Do not use its links or numbers: open the ${name} member site from your bookmark or our official app, or call the number on the back of your card${main === null ? "" : ` (${main.display})`}.`,
    );
  }
  return advice;
}

// --- Records ------------------------------------------------------------------------------------

/** Words of a message that says a purchase is waiting for the cardholder's confirmation. */
const claimsConfirmation =
  /ご?利用(?:内容の)?確認|心当たり|覚えの?(?:ない|あり|なし)|不正利用の(?:可能性|疑い)|was\s+this\s+you|confirm\s+(?:a|the|your|this|recent)\s+(?:purchase|transaction|payment|activity)|unusual\s+activity|suspicious\s+(?:activity|transaction)/i;

function recordSignals(
  facts: ContactFacts,
  text: string,
  channel: string | null,
  timeZone: string,
  language: Language,
): Signal[] {
  const found: Signal[] = [];
  const pending = facts.pendingConfirmationsAtMs.length;
  if (pending > 0) {
    found.push(signal("pending_confirmation", "info", "", { count: String(pending) }));
  } else {
    // Seed 000: with no red banner in the app, a message about a confirmation is likely fake.
    const claims = claimsConfirmation.test(normalizeText(text));
    found.push(signal("no_pending_confirmation", claims ? "caution" : "info", ""));
  }
  const formatTime = (atMs: number) => describeLocalTime(atMs, timeZone, language);
  if (facts.askedAtMs !== null && channel !== null) {
    const time = formatTime(facts.askedAtMs);
    if (channel === "phone") {
      const since = facts.callTasksOpenSinceMs[0];
      found.push(
        since === undefined
          ? signal("we_did_not_call", "caution", "", { time })
          : signal("call_task_open", "info", "", { since: formatTime(since) }),
      );
    } else {
      const sent = facts.contactsNear.find((contact) => contact.channel === channel);
      found.push(
        sent === undefined
          ? signal("we_did_not_send_message", "caution", "", { time, channel })
          : signal("we_sent_message", "info", "", { time: formatTime(sent.atMs), channel }),
      );
    }
  }
  return found;
}

// --- The checker ----------------------------------------------------------------------------------

export type ContactChecker = {
  /** Checks one input; `facts` come from our records when the cardholder is signed in. */
  check(
    input: ContactCheckInput,
    language: Language,
    own?: { readonly facts: ContactFacts; readonly channel: string | null } | null,
  ): ContactCheck;
  /** The signals alone, without our own wording being recognised: how templates are linted. */
  signalsOfText(text: string): Signal[];
};

export function createContactChecker(deps: ContactCheckerDeps): ContactChecker {
  const { registry } = deps;
  const index = indexRegistry(registry);
  const ownBrands = registry.issuer.brandNames;

  const senderSignals = (from: string): Signal[] => {
    const normalized = normalizeText(from).trim();
    if (emailLike.test(normalized)) {
      return emailSignals(analyzeEmailAddress(normalized, registry), "input");
    }
    return phoneSignals(analyzePhoneNumber(normalized, index), "input");
  };

  /** Every signal of a message's links, numbers and words; `words` may be only the untrusted part. */
  const messageSignals = (text: string, words: string): Signal[] => {
    const found: Signal[] = [...textSignals(words, { ownBrands })];
    const links = findLinks(text).map((link) => analyzeLink(link, registry));
    for (const link of links) {
      found.push(...linkSignals(link, "in_text"));
    }
    if (links.some((link) => link.official === null) && namesIssuer(text, ownBrands)) {
      found.push(signal("brand_with_foreign_link", "suspicious", text));
    }
    const phones = findPhoneNumbers(text, index).map((raw) => analyzePhoneNumber(raw, index));
    for (const phone of phones) {
      found.push(...phoneSignals(phone, "in_text"));
    }
    if (phones.some((phone) => phone.registered !== null || phone.smsSender !== null)) {
      found.push(signal("number_does_not_vouch", "info", text));
    }
    return found;
  };

  const signalsOf = (text: string, kind: InputKind, from: string | null): Signal[] => {
    switch (kind) {
      case "phone_number":
      case "sms_sender":
        return phoneSignals(analyzePhoneNumber(text, index), "input");
      case "email_address":
        return emailSignals(analyzeEmailAddress(text, registry), "input");
      case "url":
        return linkSignals(analyzeLink(text, registry), "input");
      case "text": {
        const own = deps.recognizeOwnMessage(text);
        if (own === null) {
          return messageSignals(text, text);
        }
        // Our wording was linted at start-up; what was filled in is read like any stranger's words.
        const filled = Object.values(own.values)
          .filter((value) => value !== undefined)
          .join("\n");
        const found = messageSignals(text, filled);
        const fromSignals = from === null ? [] : senderSignals(from);
        if (from !== null && !fromSignals.some((s) => s.severity === "official")) {
          found.push(signal("sender_not_registered", "suspicious", from));
        }
        found.push(signal("own_message", "official", text, { kind: own.kind }));
        return found.filter((s) => s.code !== "number_does_not_vouch");
      }
    }
  };

  return {
    check(input, language, own = null) {
      const truncated = input.text.length > limits.contactCheckTextLengthMax;
      const text = input.text.slice(0, limits.contactCheckTextLengthMax);
      const kind = classify(text, index);
      const from = input.from?.trim() || null;
      const found = signalsOf(kind === "text" ? text : normalizeText(text).trim(), kind, from);
      if (from !== null && kind === "text" && !found.some((s) => s.code === "own_message")) {
        // A genuine sender does not vouch for words it did not write: senders can be spoofed.
        const fromSignals = senderSignals(from);
        found.push(
          ...fromSignals.map((s) => (s.severity === "official" ? { ...s, severity: "info" as const } : s)),
        );
        const isOurs = fromSignals.some((s) => s.severity === "official");
        if (isOurs && !found.some((s) => s.code === "number_does_not_vouch")) {
          found.push(signal("number_does_not_vouch", "info", from));
        }
      }
      if (truncated) {
        found.push(signal("input_truncated", "info", ""));
      }
      if (own !== null) {
        found.push(...recordSignals(own.facts, text, own.channel, registry.issuer.timeZone, language));
      }
      const verdict = verdictOf(found);
      return {
        verdict,
        inputKind: kind,
        reasons: localize(found, language),
        advice: adviceFor(verdict, kind, registry, language),
        situation: verdict === "suspicious" ? "entered_card_on_fake_site" : null,
        language,
      };
    },
    signalsOfText(text) {
      return messageSignals(text, text);
    },
  };
}
