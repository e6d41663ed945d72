/**
 * The one-time link's pages: small, self-contained HTML in the cardholder's language. No script,
 * no external resource, one inline stylesheet allowed by its hash, and a form whose only fields
 * are the two answer buttons: the page asks for no credential of any kind, so a copy of it that
 * asked for one would stand out. Pages for unusable links are bilingual and neutral: they never
 * say whether a hold is behind the link.
 */
import { createHash } from "node:crypto";
import type { ConfirmationPage } from "../holds/index.ts";

const css =
  "body{font-family:system-ui,sans-serif;max-width:34rem;margin:0 auto;padding:1rem;line-height:1.6;color:#1a1a1a}" +
  "h1{font-size:1.4rem}.phrase{border:2px solid #1a5;padding:.5rem 1rem;border-radius:6px}" +
  "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd}" +
  "button{display:block;width:100%;font-size:1.1rem;padding:.8rem;margin:.6rem 0;border-radius:6px;border:1px solid #555}" +
  ".mine{background:#e6f4ea}.not-mine{background:#fde8e8}.note{font-size:.9rem;color:#444}";

/**
 * What every link page is sent with: the CSP allows nothing but the inline style above and a form
 * posting back to us; no framing (the buttons cannot be clickjacked), no referrer (the token in the
 * URL goes nowhere else), and no caching or indexing of a page that names a payment.
 */
export const confirmationPageHeaders = {
  "content-security-policy": `default-src 'none'; style-src 'sha256-${createHash("sha256").update(css).digest("base64")}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "x-robots-tag": "noindex, nofollow",
} as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ?? "",
  );
}

function htmlDocument(language: "ja" | "en", title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const words = {
  ja: {
    title: "ご利用確認",
    intro: "次のご利用を一時的に保留しています。ご本人のご利用かどうか、ボタンでお答えください。",
    phrase: "ご登録の合言葉",
    phraseWarning: "合言葉が違う場合、このページは当社のものではありません。何も押さずに閉じてください。",
    time: "日時",
    merchant: "ご利用先",
    amount: "金額",
    card: (last4: string) => `カード: 末尾${last4}`,
    reference: "照会番号",
    mine: "本人の利用です",
    notMine: "身に覚えがありません",
    neverAsk:
      "このページでカード番号・暗証番号・セキュリティコード・パスワード・認証コードを入力いただくことはありません。",
    thanks: "ご回答ありがとうございます",
    answeredMine: (last4: string) =>
      `ご本人のご利用として保留を解除しました。カード(末尾${last4})は引き続きご利用いただけます。お支払いが済んでいない場合は、もう一度お試しください。`,
    answeredNotMine: (last4: string) =>
      `このご利用は承認しません。カード(末尾${last4})を停止し、新しいカードを再発行します。1〜2週間ほどでご登録の住所にお届けします。`,
  },
  en: {
    title: "Was this you?",
    intro: "We have put the purchase below on hold. Please tell us with a button whether you made it.",
    phrase: "Your security phrase",
    phraseWarning: "If this is not your phrase, this page is not ours: close it without pressing anything.",
    time: "Time",
    merchant: "Merchant",
    amount: "Amount",
    card: (last4: string) => `Card ending ${last4}`,
    reference: "Reference",
    mine: "It was me",
    notMine: "It was not me",
    neverAsk: "This page never asks for your card number, PIN, security code, password or any code.",
    thanks: "Thank you for your answer",
    answeredMine: (last4: string) =>
      `The purchase is marked as yours and no longer on hold. You can keep using your card ending ${last4}. If the payment did not go through, please try again.`,
    answeredNotMine: (last4: string) =>
      `We will not approve it. We have blocked your card ending ${last4} and are sending you a new card, which arrives by post in 1 to 2 weeks.`,
  },
} as const;

/** The question: the payment, the phrase that proves the page is ours, and the two buttons. */
export function renderQuestionPage(page: ConfirmationPage): string {
  const text = words[page.language];
  const rows = page.authorizations
    .map(
      (held) =>
        `<tr><td>${escapeHtml(held.localTime)}</td><td>${escapeHtml(held.merchant)}</td><td>${escapeHtml(held.amount)}</td></tr>`,
    )
    .join("\n");
  // No action attribute: the form posts back to the very URL the link opened, whatever its path.
  return htmlDocument(
    page.language,
    `${page.issuerName} ${text.title}`,
    `<h1>${escapeHtml(page.issuerName)} ${text.title}</h1>
<p>${text.intro}</p>
<p class="phrase">${text.phrase}: <strong>${escapeHtml(page.securityPhrase)}</strong><br>${text.phraseWarning}</p>
<table>
<tr><th>${text.time}</th><th>${text.merchant}</th><th>${text.amount}</th></tr>
${rows}
</table>
<p>${escapeHtml(text.card(page.last4))} / ${text.reference}: ${escapeHtml(page.reference)}</p>
<form method="post">
<button class="mine" type="submit" name="answer" value="mine">${text.mine}</button>
<button class="not-mine" type="submit" name="answer" value="not_mine">${text.notMine}</button>
</form>
<p class="note">${text.neverAsk}</p>`,
  );
}

/** The answer taken: what happens to the card now. */
export function renderAnswerPage(page: ConfirmationPage, answer: "mine" | "not_mine"): string {
  const text = words[page.language];
  const result = answer === "mine" ? text.answeredMine(page.last4) : text.answeredNotMine(page.last4);
  return htmlDocument(
    page.language,
    `${page.issuerName} ${text.thanks}`,
    `<h1>${escapeHtml(page.issuerName)} ${text.thanks}</h1>
<p>${escapeHtml(result)}</p>
<p class="note">${text.neverAsk}</p>`,
  );
}

const refusals = {
  confirmation_link_not_found: ["このリンクは無効です。", "This link is not valid."],
  confirmation_link_used: ["このリンクはすでに使われています。", "This link has already been used."],
  confirmation_link_expired: ["このリンクは有効期限が切れています。", "This link has expired."],
  replacement_failed: [
    "ただいま処理できませんでした。しばらくしてから、もう一度お試しください。",
    "We could not complete this just now. Please try again in a moment.",
  ],
} as const;

/** A link that cannot be used, in both languages, since nothing may be read to pick one. */
export function renderRefusalPage(code: keyof typeof refusals): string {
  const [ja, en] = refusals[code];
  return htmlDocument(
    "ja",
    "ご利用確認 / Confirmation",
    `<h1>${ja}</h1>
<p>ご不明な点は、カード裏面の電話番号までお問い合わせください。</p>
<h1 lang="en">${en}</h1>
<p lang="en">If you have questions, call the number on the back of your card.</p>`,
  );
}
