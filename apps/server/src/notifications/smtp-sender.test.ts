import assert from "node:assert/strict";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { SMTPServer } from "smtp-server";
import type { OutboundMessage } from "./message-sender.ts";
import { createSmtpSender, messageIdFor } from "./smtp-sender.ts";

type Delivered = { recipients: string[]; raw: string };

/** The RCPT answers the fake relay gives: "busy@" is deferred (450), "nobody@" refused (550). */
function rcptAnswer(address: string): Error | null {
  if (address.startsWith("busy@")) {
    return Object.assign(new Error("mailbox busy, try later"), { responseCode: 450 });
  }
  if (address.startsWith("nobody@")) {
    return Object.assign(new Error("no such user"), { responseCode: 550 });
  }
  return null;
}

async function startRelay(): Promise<{ url: string; delivered: Delivered[]; close: () => Promise<void> }> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(rcptAnswer(address.address));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        delivered.push({
          recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// --- A tiny MIME reader: mailparser is not available, and these are the only parts we need. ---

function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf("\r\n\r\n");
  const unfolded = raw.slice(0, end).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of unfolded.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i] ?? "", "utf8"));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words; whitespace between two adjacent encoded words is not part of the text. */
function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_whole, _charset: string, encoding: string, text: string) =>
        encoding.toUpperCase() === "B"
          ? Buffer.from(text, "base64").toString("utf8")
          : decodeQuotedPrintable(text.replace(/_/g, " ")).toString("utf8"),
    );
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (encoding === "quoted-printable") {
    return decodeQuotedPrintable(body).toString("utf8");
  }
  return body;
}

const message: OutboundMessage = {
  sendKey: "msg_mail_1",
  channel: "email",
  to: "hanako@example.jp",
  language: "ja",
  subject: "【みまもりカード】カードご利用確認のお願い (末尾1234)",
  body: "みまもりカードをご利用いただきありがとうございます。\n\n  ご利用先: さくらストア\n  金額: 12,800円\n合言葉: 青い自転車",
  cardholderId: "ch_1",
};

describe("createSmtpSender", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
  });

  const sender = () =>
    createSmtpSender({ url: relay.url, from: "notice@card.example.co.jp", timeoutMs: 5_000 });

  test("delivers Japanese text intact, to the recipient, with a Message-ID derived from the send key", async () => {
    const result = await sender().send(message);
    assert.deepEqual(result, { ok: true, providerMessageId: "<msg_mail_1@mimamori>" });
    const delivered = relay.delivered.at(-1);
    assert.ok(delivered);
    assert.deepEqual(delivered.recipients, ["hanako@example.jp"]);
    const { headers, body } = splitMessage(delivered.raw);
    assert.equal(headers.get("message-id"), messageIdFor("msg_mail_1"));
    assert.equal(decodeHeader(headers.get("subject") ?? ""), message.subject);
    assert.equal(headers.get("to"), "hanako@example.jp");
    assert.match(headers.get("content-type") ?? "", /^text\/plain; charset=utf-8/i);
    assert.equal(decodeBody(headers, body).replace(/\r\n/g, "\n").trimEnd(), message.body);
  });

  test("a resend after a crash carries the same Message-ID, so the duplicate can be dropped", async () => {
    await sender().send(message);
    await sender().send(message);
    const ids = relay.delivered
      .slice(-2)
      .map((delivered) => splitMessage(delivered.raw).headers.get("message-id"));
    assert.deepEqual(ids, ["<msg_mail_1@mimamori>", "<msg_mail_1@mimamori>"]);
  });

  test("a recipient the relay refuses for good is invalid and not retried", async () => {
    const result = await sender().send({ ...message, to: "nobody@example.jp" });
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["invalid_recipient", false]);
  });

  test("a recipient the relay defers (4xx) is retried later", async () => {
    const result = await sender().send({ ...message, to: "busy@example.jp" });
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["provider_unavailable", true]);
  });
});

describe("createSmtpSender without a relay", () => {
  test("an unreachable SMTP port is a retryable outage", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const sender = createSmtpSender({
      url: `smtp://127.0.0.1:${port}`,
      from: "notice@example.jp",
      timeoutMs: 2_000,
    });
    const result = await sender.send(message);
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["provider_unavailable", true]);
  });
});
