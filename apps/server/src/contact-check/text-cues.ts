/**
 * What the words of a message ask and threaten: the content cues of the contact checker, in
 * Japanese and English. The same reading lints our own templates at start-up, so the hard part
 * is shared: our templates say "we never ask for your card number", so a secret being mentioned
 * is not enough. A sentence asks for a secret when it names the secret together with a request
 * verb ("enter", "返信") that no negation governs. Reading is sentence by sentence, on NFKC-
 * normalised text so that ＣＶＶ, ｐｉｎ and "P I N" are caught.
 */
import { excerptOf, type ReasonMessages, type Signal } from "./signal.ts";

// --- Secrets, requests and negations --------------------------------------------------------

export const secrets = [
  "card_number",
  "expiry",
  "security_code",
  "pin",
  "password",
  "one_time_code",
  "bank_account",
] as const;
export type Secret = (typeof secrets)[number];

/** Separators a sender may slip between the letters of an acronym: "P I N", "C.V.V", "c-v-c". */
const gap = "[\\s.\\-_*]?";

/** An acronym spelled with optional gaps, as a whole word: not the "pin" in "shopping". */
function spelled(letters: string, suffix = ""): string {
  return `(?<![a-z0-9])${[...letters].join(gap)}${suffix}(?![a-z0-9])`;
}

/**
 * Each secret in the two forms text takes: `compact` runs on the sentence with every space and
 * "・" removed (Japanese has no spaces, so "カード 番号" is still a card number); `spaced` runs on
 * the sentence with spaces kept, where English words need their boundaries.
 */
const secretPatterns: Readonly<Record<Secret, { compact: RegExp; spaced: RegExp }>> = {
  card_number: {
    compact: /カード番号|カードの番号|会員番号|カード情報|クレジット番号/,
    spaced: new RegExp(
      [
        "(?<![a-z])card\\s*(?:number|no(?![a-z])|num(?![a-z])|#|details|info(?:rmation)?)",
        "account\\s*number",
        "(?<![a-z0-9])1[56][\\s-]*digits?(?![a-z])",
        spelled("pan"),
      ].join("|"),
    ),
  },
  expiry: {
    // "有効期限10分" in our own code messages is the code's lifetime, not the card's expiry.
    compact: /(?:カードの?)?有効期限(?![0-9０-９]+分)|有効年月/,
    spaced: new RegExp(
      [
        "expir(?:y|ation)\\s*(?:date|month|year)?",
        "exp\\.?\\s*date",
        "(?<![a-z])valid\\s*(?:thru|through|until)(?![a-z])",
        "(?<![a-z0-9])mm\\s*/\\s*yy(?:yy)?(?![a-z0-9])",
      ].join("|"),
    ),
  },
  pin: {
    compact: /暗証/,
    spaced: new RegExp([spelled("pin"), "personal\\s*identification\\s*number"].join("|")),
  },
  security_code: {
    compact: /セキュリティー?コード|(?:裏面|うら)の?[34]桁/,
    spaced: new RegExp(
      [
        spelled("cv", `${gap}[vc](?:${gap}2)?`),
        spelled("csc"),
        "security\\s*code",
        "card\\s*verification",
        "(?<![a-z0-9])(?:3|4|three|four)[\\s-]*digit\\s*(?:security\\s*)?code",
      ].join("|"),
    ),
  },
  password: {
    compact: /(?<!ワンタイム)パスワード/,
    spaced: new RegExp(["(?<!one[\\s-]*time\\s*)pass[\\s\\-_]*word", spelled("pwd")].join("|")),
  },
  bank_account: {
    compact: /口座番号|口座の?(?:下|末尾)?[0-9]桁|口座情報|支店番号/,
    spaced: /bank\s*(?:account|details|login)|routing\s*number|sort\s*code|(?<![a-z])iban(?![a-z])/,
  },
  one_time_code: {
    compact: /ワンタイム(?:パスワード|コード|パス)|認証(?:コード|番号)|確認コード|パスコード|sms認証/,
    spaced: new RegExp(
      [
        "one[\\s-]*time\\s*(?:pass\\s*word|pass\\s*code|code|pin)",
        spelled("otp"),
        "verification\\s*code",
        "auth(?:entication|orization)?\\s*code",
        "pass\\s*code",
        "(?:sms|text|login)\\s*code",
        "(?<![a-z0-9])(?:4|6|8|four|six|eight)[\\s-]*digit\\s*code",
      ].join("|"),
    ),
  },
};

/** Japanese request verbs (stems, so that 教えて and 教えない both count and negation decides). */
const requestCompact =
  /入力|記入|教え|知らせ|返信|送信|送付|送って|送り|確認|回答|伝え|登録|提供|提出|打ち込|書き込|書いて/g;
const requestSpaced = new RegExp(
  "(?<![a-z])(?:re-?)?(?:enter|provide|reply|respond|send|sent|confirm|verify|update|type|share|tell|give|" +
    "submit|input|disclose|validate|text\\s+us|key\\s+in|fill\\s+in|write)(?:s|ed|ing|d)?(?![a-z])",
  "g",
);

/** Japanese negations close the predicate, so they govern a verb that comes before them. */
const negationCompact =
  /こと[はも](?:一切|決して|絶対に)?(?:ありません|ございません|いたしません|しません|ない)|伺いません|うかがいません|しません|聞きません|尋ねません|求めません|ないで|ないよう|禁止|お控えください|控えて/g;
/** English negations come first, so they govern a verb that comes after them. */
const negationSpaced =
  /(?<![a-z])(?:never|not|cannot|dont|wont|cant|no\s+one|nobody)(?![a-z])|n['’]t(?![a-z])/g;

type ClauseReading = {
  readonly secrets: ReadonlySet<Secret>;
  readonly hasRequest: boolean;
  readonly hasNegation: boolean;
  /** A request verb that no negation governs: the clause asks for something. */
  readonly hasOpenRequest: boolean;
};

function indicesOf(pattern: RegExp, text: string): number[] {
  return [...text.matchAll(pattern)].map((match) => match.index);
}

function readClause(text: string): ClauseReading {
  const compact = text.replace(/[\s・]/g, "");
  const spaced = text.replace(/\s+/g, " ");
  const secrets = new Set<Secret>();
  for (const [secret, pattern] of Object.entries(secretPatterns) as [
    Secret,
    { compact: RegExp; spaced: RegExp },
  ][]) {
    if (pattern.compact.test(compact) || pattern.spaced.test(spaced)) {
      secrets.add(secret);
    }
  }
  const requestsJa = indicesOf(requestCompact, compact);
  const requestsEn = indicesOf(requestSpaced, spaced);
  const negationsJa = indicesOf(negationCompact, compact);
  const negationsEn = indicesOf(negationSpaced, spaced);
  const hasOpenRequest =
    requestsJa.some((at) => !negationsJa.some((negation) => negation > at)) ||
    requestsEn.some((at) => !negationsEn.some((negation) => negation < at));
  return {
    secrets,
    hasRequest: requestsJa.length + requestsEn.length > 0,
    hasNegation: negationsJa.length + negationsEn.length > 0,
    hasOpenRequest,
  };
}

/**
 * The secrets one sentence asks for. Without any negation, a request verb makes every secret
 * named in the sentence a request. With one, the sentence is read clause by clause, so "do not
 * share your PIN, but confirm your password" still asks for the password. Clauses with neither
 * verb nor negation (a list: "カード番号、暗証番号を入力") count with the clause that follows.
 */
export function requestedSecrets(sentence: string): Set<Secret> {
  const whole = readClause(sentence);
  if (whole.secrets.size === 0 || !whole.hasRequest) {
    return new Set();
  }
  if (!whole.hasNegation) {
    return new Set(whole.secrets);
  }
  const requested = new Set<Secret>();
  let listed: Secret[] = [];
  for (const clause of sentence.split(/[、,;；]/)) {
    const reading = readClause(clause);
    if (reading.hasOpenRequest) {
      for (const secret of [...listed, ...reading.secrets]) {
        requested.add(secret);
      }
      listed = [];
    } else if (!reading.hasRequest && !reading.hasNegation) {
      listed.push(...reading.secrets);
    } else {
      listed = [];
    }
  }
  return requested;
}

/** Case, width and invisible characters must not change what a rule sees. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "");
}

export function sentencesOf(normalized: string): string[] {
  return normalized
    .split(/[。!?\n]|\.(?=\s|$)/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

// --- Threats, pressure and scripts ----------------------------------------------------------

/**
 * Claims and pressure that phishing uses and a genuine notice does not need. Each pattern runs
 * on one sentence, NFKC-normalised and lowercased: `compact` with spaces removed (Japanese),
 * `spaced` with spaces kept (English). A sentence with a negation ("当社が「警察から電話がある」と
 * ご案内することはありません") states what we never do, so it is not read as the claim itself.
 */
type Cue = {
  readonly severity: "suspicious" | "caution";
  readonly compact: RegExp | null;
  readonly spaced: RegExp | null;
};

export const textCueCodes = [
  "police_will_contact",
  "threatens_legal_action",
  "asks_to_hand_over_card_or_money",
  "asks_for_remote_access",
  "claims_account_suspension",
  "demands_overdue_payment",
  "urgency",
  "deadline",
] as const;
export type TextCueCode = (typeof textCueCodes)[number];

const cues: Readonly<Record<TextCueCode, Cue>> = {
  // Seed 000: a card company never says the police will call; the "theatre" scam starts that way.
  police_will_contact: {
    severity: "suspicious",
    compact:
      /(?:警察|警視庁|県警|府警|道警|捜査員|刑事)(?:署|官|本部)?(?:の[^。]{0,8})?(?:から|より)[^。]{0,12}(?:電話|連絡|訪問|伺)|(?:警察|警視庁|県警|府警|捜査員|刑事)(?:署|官)?が[^。]{0,12}(?:電話|連絡|訪問|伺|確認)|捜査(?:のため|に協力|へのご協力)|警察に(?:引き継|つなぎ|転送)/,
    spaced:
      /(?:police|law\s+enforcement|detective|investigator|officer)s?\b[^.]{0,40}\b(?:will|shall|is\s+going\s+to|are\s+going\s+to)\s+(?:call|contact|visit|reach)|(?:contacted|called|visited)\s+by\s+(?:the\s+)?(?:police|law\s+enforcement|an?\s+officer)|(?:transfer|connect)\w*\s+(?:you\s+)?to\s+(?:the\s+)?police/,
  },
  threatens_legal_action: {
    severity: "suspicious",
    compact: /法的(?:措置|手続|処置)|訴訟|提訴|裁判|差し?押さ?え|強制執行|刑事告訴|告訴/,
    spaced:
      /legal\s+action|legal\s+proceedings|lawsuit|take\s+you\s+to\s+court|court\s+order|(?<![a-z])sue\s+you|garnish|arrest\s+warrant|criminal\s+charges/,
  },
  // The follow-up of the same script: a fake officer collects the card or "protects" the money.
  asks_to_hand_over_card_or_money: {
    severity: "suspicious",
    compact:
      /(?:キャッシュ)?カードを?(?:お?預か|回収|受け取りに|取りに|封筒に)|(?:保護|安全|返金|還付)[^。]{0,16}(?:振り?込|送金|入金|引き出)|(?:振り?込|送金)[^。]{0,16}(?:保護|安全な口座|返金|還付)|(?:ギフト|プリペイド|電子マネー)(?:カード|券)?[^。]{0,10}(?:購入|支払|買って)/,
    spaced:
      /(?:hand\s+over|give|send)\s+(?:us\s+|the\s+officer\s+)?your\s+(?:bank\s+)?card|(?:collect|pick\s+up)\s+your\s+card|safe\s+account|(?:buy|pay\s+(?:with|in))\s+(?:\w+\s+)?gift\s+cards?|transfer\s+(?:your\s+)?(?:money|funds|savings)\s+to\s+(?:a\s+)?(?:safe|secure|protected)/,
  },
  asks_for_remote_access: {
    severity: "suspicious",
    compact: /遠隔操作|リモート(?:操作|サポート|アクセス)|anydesk|teamviewer|quicksupport/,
    spaced: /remote\s+(?:access|control|support)|anydesk|teamviewer|quick\s*support/,
  },
  claims_account_suspension: {
    severity: "caution",
    compact:
      /(?:アカウント|カード|ご利用|口座|サービス|お取引)(?:を|の|が)?(?:一部|一時的に|一時)?(?:停止|制限|凍結|ロック)(?:され|させ|いたし|となり|になり|します|しました|しており|しています|中)|強制解約|(?:ご?利用|アカウント)(?:が|を)?(?:できなく|停止)/,
    spaced:
      /(?:account|card|access)\s+(?:has\s+been|will\s+be|is|was|have\s+been)\s+(?:temporarily\s+)?(?:suspended|locked|restricted|limited|closed|frozen|terminated|disabled|blocked)/,
  },
  demands_overdue_payment: {
    severity: "caution",
    compact: /未納|未払い?(?:料金|金|分)|滞納|延滞(?:料|金)|遅延損害金|回収(?:業者|代行)/,
    spaced: /unpaid|overdue|outstanding\s+(?:balance|amount|payment|fee)|debt\s+collect|late\s+fees?\s+will/,
  },
  urgency: {
    severity: "caution",
    compact: /至急|緊急|大至急|今すぐ|ただちに|直ちに|最終(?:警告|通知|通告|案内)|【重要】|重要なお知らせ/,
    spaced:
      /urgent|immediately|right\s+away|act\s+now|final\s+(?:notice|warning|reminder)|as\s+soon\s+as\s+possible|asap/,
  },
  // Hours and days only: "有効期限10分" is how long a genuine one-time code lives.
  deadline: {
    severity: "caution",
    compact:
      /[0-9]+時間以内|[0-9]+日以内|本日中|本日(?:[0-9]+時|まで)|期限(?:まで|内)に|[0-9]+時間(?:後|で)(?:に)?(?:停止|無効|削除|失効)/,
    spaced:
      /within\s+[0-9]+\s*(?:hours?|days?|hrs?)|by\s+(?:today|tonight|midnight|end\s+of\s+(?:the\s+)?day)|(?:expires?|expire)\s+in\s+[0-9]+\s*(?:hours?|days?)/,
  },
};

/** A sentence that says what we never do: the Japanese closing negation, or an English "never". */
function isNegated(text: string): boolean {
  const compact = text.replace(/[\s・]/g, "");
  const spaced = text.replace(/\s+/g, " ");
  return (
    /こと[はも](?:一切|決して|絶対に)?(?:ありません|ございません|いたしません|しません|ない)|(?:ありません|いたしません)(?:ので|。|$)|絶対にない/.test(
      compact,
    ) || /(?<![a-z])(?:never|not|no\s+one|nobody|won['’]?t|don['’]?t|doesn['’]?t)(?![a-z])/.test(spaced)
  );
}

// --- Brands ----------------------------------------------------------------------------------

/**
 * Japanese card issuers' names, one group per issuer, for brand mixing: a "楽天カード" notice that
 * also speaks as "三井住友カード" was assembled from two templates. Card networks (Visa,
 * Mastercard) are left out, since a genuine notice names the network printed on the card.
 */
const issuerBrandGroups: readonly (readonly string[])[] = [
  ["楽天カード", "rakuten card", "楽天e-navi"],
  ["三井住友カード", "smbcカード", "vpass", "smbc card"],
  ["jcbカード", "myjcb", "ジェーシービー"],
  ["アメリカン・エキスプレス", "アメックス", "american express", "amexカード"],
  ["セゾンカード", "クレディセゾン", "saison card", "netアンサー"],
  ["エポスカード", "epos card"],
  ["イオンカード", "aeon card", "暮らしのマネーサイト"],
  ["dカード", "d card"],
  ["paypayカード", "paypay card"],
  ["au payカード", "au pay card"],
  ["三菱ufjニコス", "mufgカード", "ニコスカード", "dcカード"],
  ["ucカード", "uc card"],
  ["ダイナースクラブ", "diners club"],
  ["ビューカード", "view card"],
  ["オリコカード", "orico card"],
  ["ジャックス", "jaccs"],
  ["ライフカード", "life card"],
];

function brandGroupsIn(compact: string, spaced: string, ownBrands: readonly string[]): Set<number> {
  const groups = [ownBrands.map((name) => name.normalize("NFKC").toLowerCase()), ...issuerBrandGroups];
  const found = new Set<number>();
  groups.forEach((names, index) => {
    if (
      names.some(
        (name) => name !== "" && (compact.includes(name.replace(/\s/g, "")) || spaced.includes(name)),
      )
    ) {
      found.add(index);
    }
  });
  // Our own names may also sit in the table (the Rakuten example registry): count them once.
  if (found.has(0)) {
    issuerBrandGroups.forEach((names, index) => {
      if (names.some((name) => ownBrands.some((own) => own.normalize("NFKC").toLowerCase() === name))) {
        found.delete(index + 1);
      }
    });
  }
  return found;
}

/** Whether a text speaks in our name: any of the issuer's brand names appears in it. */
export function namesIssuer(text: string, ownBrands: readonly string[]): boolean {
  const normalized = normalizeText(text).toLowerCase();
  return brandGroupsIn(normalized.replace(/[\s・]/g, ""), normalized.replace(/\s+/g, " "), ownBrands).has(0);
}

// --- Signals ---------------------------------------------------------------------------------

export type TextSignalCode = `asks_for_${Secret}` | TextCueCode | "brand_mixing";

export type TextContext = {
  /** The issuer's names (registry brandNames), so that our own name is not "another brand". */
  readonly ownBrands: readonly string[];
};

/**
 * Every content cue of a text, at most one signal per code (the first sentence that shows it),
 * so that a long e-mail repeating "urgent" weighs as much as one that says it once.
 */
export function textSignals(text: string, context: TextContext): Signal<TextSignalCode>[] {
  const found = new Map<TextSignalCode, Signal<TextSignalCode>>();
  const add = (code: TextSignalCode, severity: Signal["severity"], sentence: string, params = {}) => {
    if (!found.has(code)) {
      found.set(code, { code, severity, excerpt: excerptOf(sentence), params });
    }
  };
  const normalized = normalizeText(text);
  for (const sentence of sentencesOf(normalized)) {
    const lower = sentence.toLowerCase();
    for (const secret of requestedSecrets(lower)) {
      add(`asks_for_${secret}`, "suspicious", sentence);
    }
    // A negation governs its own clause: "if you do not pay, we will take legal action" threatens.
    const parts = isNegated(lower) ? lower.split(/[、,;；]/).filter((clause) => !isNegated(clause)) : [lower];
    for (const part of parts) {
      const compact = part.replace(/[\s・]/g, "");
      const spaced = part.replace(/\s+/g, " ");
      for (const code of textCueCodes) {
        const cue = cues[code];
        if (cue.compact?.test(compact) || cue.spaced?.test(spaced)) {
          add(code, cue.severity, sentence);
        }
      }
    }
  }
  const lower = normalized.toLowerCase();
  const groups = brandGroupsIn(lower.replace(/[\s・]/g, ""), lower.replace(/\s+/g, " "), context.ownBrands);
  if (groups.size >= 2) {
    add("brand_mixing", "caution", text, { count: String(groups.size) });
  }
  return [...found.values()];
}

const secretNames: Readonly<Record<Secret, { ja: string; en: string }>> = {
  card_number: { ja: "カード番号", en: "your card number" },
  expiry: { ja: "カードの有効期限", en: "your card's expiry date" },
  security_code: { ja: "セキュリティコード", en: "your security code (CVV)" },
  pin: { ja: "暗証番号", en: "your PIN" },
  password: { ja: "パスワード", en: "your password" },
  one_time_code: { ja: "認証コード(ワンタイムパスワード)", en: "a one-time code" },
  bank_account: { ja: "口座情報", en: "your bank account details" },
};

function askMessages(secret: Secret) {
  const name = secretNames[secret];
  return {
    ja: () => `${name.ja}を求めています。カード会社がメール・SMS・電話で${name.ja}を伺うことはありません。`,
    en: () =>
      `It asks for ${name.en}. A card company never asks for ${name.en} by e-mail, text message or phone.`,
  };
}

export const textReasonMessages: ReasonMessages<TextSignalCode> = {
  asks_for_card_number: askMessages("card_number"),
  asks_for_expiry: askMessages("expiry"),
  asks_for_security_code: askMessages("security_code"),
  asks_for_pin: askMessages("pin"),
  asks_for_password: askMessages("password"),
  asks_for_one_time_code: askMessages("one_time_code"),
  asks_for_bank_account: askMessages("bank_account"),
  police_will_contact: {
    ja: () =>
      "「警察から連絡がある」と言っています。カード会社が警察からの電話を予告することはありません。これは詐欺の決まり文句です。",
    en: () =>
      "It says the police will contact you. A card company never tells you the police will call: this is a scam script.",
  },
  threatens_legal_action: {
    ja: () => "法的措置や差し押さえをほのめかして不安をあおっています。",
    en: () => "It threatens legal action or seizure to frighten you into acting.",
  },
  asks_to_hand_over_card_or_money: {
    ja: () =>
      "カードを預ける、お金を「保護」のために振り込む、ギフトカードで払う、といった指示があります。警察もカード会社もこうした依頼はしません。",
    en: () =>
      "It asks you to hand over your card, move money to a 'safe' account or pay with gift cards. Neither the police nor a card company ever asks this.",
  },
  asks_for_remote_access: {
    ja: () => "スマートフォンやパソコンの遠隔操作を求めています。応じないでください。",
    en: () => "It asks for remote access to your phone or computer. Do not allow it.",
  },
  claims_account_suspension: {
    ja: () =>
      "カードやアカウントの停止・制限を告げています。本当かどうかは、ブックマークや公式アプリから会員サイトを開いて確かめてください。",
    en: () =>
      "It says your card or account is suspended or restricted. Check this by opening the member site from your bookmark or our official app.",
  },
  demands_overdue_payment: {
    ja: () => "未納・延滞の支払いを求めています。請求は会員サイトの明細で確かめられます。",
    en: () => "It demands an overdue payment. Your statement in the member site shows what you really owe.",
  },
  urgency: {
    ja: () => "「至急」「最終警告」などの言葉で急がせています。急がせるのは詐欺の典型的な手口です。",
    en: () =>
      "It pushes you to act at once ('urgent', 'final warning'). Pressure is a classic scam technique.",
  },
  deadline: {
    ja: () => "「24時間以内」などの期限を切って判断を急がせています。",
    en: () => "It sets a deadline ('within 24 hours') to rush your decision.",
  },
  brand_mixing: {
    ja: (params) =>
      `複数のカード会社の名前(${params.count ?? "2"}社)が混在しています。偽のメッセージによくある特徴です。`,
    en: (params) =>
      `It names ${params.count ?? "two"} different card companies. Forged messages are often pieced together this way.`,
  },
};
