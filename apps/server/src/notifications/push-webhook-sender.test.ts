import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { limits } from "../config/limits.ts";
import { createManualClock } from "../platform/clock.ts";
import type { OutboundMessage } from "./message-sender.ts";
import {
  createPushWebhookSender,
  type PushSignatureCheck,
  pushSignatureHeader,
  signPushBody,
  verifyPushSignature,
} from "./push-webhook-sender.ts";

const key = Buffer.alloc(32, 7);
const startMs = Date.UTC(2026, 5, 12, 5, 3);

const message: OutboundMessage = {
  sendKey: "msg_push_1",
  channel: "push",
  to: "ch_1",
  language: "en",
  subject: "Mimamori: was this you?",
  body: "JPY 12,800 at Sakura Store, Jun 12, 14:03 (card ending 1234).",
  cardholderId: "ch_1",
};

type Delivery = { check: PushSignatureCheck; body: unknown; idempotencyKey: string | undefined };

/** A push relay that verifies every request as a real receiver would, against the raw bytes. */
function startRelay(
  nowMs: () => number,
): Promise<{ url: string; deliveries: Delivery[]; close: () => void }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const header = String(request.headers[pushSignatureHeader] ?? "");
      const check = verifyPushSignature(header, raw, key, nowMs(), limits.pushSignatureToleranceMs);
      deliveries.push({
        check,
        body: JSON.parse(raw.toString("utf8")),
        idempotencyKey: request.headers["idempotency-key"] as string | undefined,
      });
      response.writeHead(check.ok ? 200 : 401, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: "push-9" }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/push`, deliveries, close: () => server.close() });
    });
  });
}

describe("createPushWebhookSender", () => {
  test("the relay verifies the signature over the exact body it received", async () => {
    const clock = createManualClock(startMs);
    const relay = await startRelay(() => clock.nowMs());
    try {
      const sender = createPushWebhookSender({ url: relay.url, signingKey: key, clock, timeoutMs: 2_000 });
      assert.deepEqual(await sender.send(message), { ok: true, providerMessageId: "push-9" });
      const delivery = relay.deliveries[0];
      assert.ok(delivery);
      assert.deepEqual(delivery.check, { ok: true });
      assert.equal(delivery.idempotencyKey, "msg_push_1");
      assert.deepEqual(delivery.body, {
        sendKey: "msg_push_1",
        cardholderId: "ch_1",
        title: message.subject,
        body: message.body,
        language: "en",
      });
    } finally {
      relay.close();
    }
  });

  test("a relay refusing the signature is a rejection, not something to retry", async () => {
    const senderClock = createManualClock(startMs);
    const relay = await startRelay(() => startMs + limits.pushSignatureToleranceMs + 60_000);
    try {
      const sender = createPushWebhookSender({
        url: relay.url,
        signingKey: key,
        clock: senderClock,
        timeoutMs: 2_000,
      });
      const result = await sender.send(message);
      assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["provider_rejected", false]);
      const check = relay.deliveries[0]?.check;
      assert.equal(check === undefined || check.ok ? null : check.code, "signature_expired");
    } finally {
      relay.close();
    }
  });
});

describe("verifyPushSignature", () => {
  const body = JSON.stringify({ sendKey: "k", body: "こんにちは" });
  const header = signPushBody(body, key, startMs);
  const tolerance = limits.pushSignatureToleranceMs;

  test("accepts the body it was signed over, within the tolerance either way", () => {
    assert.deepEqual(verifyPushSignature(header, body, key, startMs, tolerance), { ok: true });
    assert.deepEqual(verifyPushSignature(header, Buffer.from(body), key, startMs + tolerance, tolerance), {
      ok: true,
    });
    assert.deepEqual(verifyPushSignature(header, body, key, startMs - tolerance, tolerance), { ok: true });
  });

  test("a tampered body fails", () => {
    const tampered = body.replace("こんにちは", "こんばんは");
    const check = verifyPushSignature(header, tampered, key, startMs, tolerance);
    assert.equal(check.ok ? null : check.code, "signature_mismatch");
  });

  test("another key fails", () => {
    const check = verifyPushSignature(header, body, Buffer.alloc(32, 8), startMs, tolerance);
    assert.equal(check.ok ? null : check.code, "signature_mismatch");
  });

  test("a stale or future timestamp fails, so a captured request cannot be replayed later", () => {
    for (const nowMs of [startMs + tolerance + 1_000, startMs - tolerance - 1_000]) {
      const check = verifyPushSignature(header, body, key, nowMs, tolerance);
      assert.equal(check.ok ? null : check.code, "signature_expired");
    }
  });

  test("a forged time with the old signature fails", () => {
    const signature = header.split(",")[1] ?? "";
    const forged = `t=${Math.floor(startMs / 1_000) + 600},${signature}`;
    const check = verifyPushSignature(forged, body, key, startMs + 600_000, tolerance);
    assert.equal(check.ok ? null : check.code, "signature_mismatch");
  });

  test("a header carrying the old and the new key's signature passes while keys rotate", () => {
    const oldKey = Buffer.alloc(32, 1);
    const rotated = `${header},${signPushBody(body, oldKey, startMs).split(",")[1]}`;
    assert.deepEqual(verifyPushSignature(rotated, body, oldKey, startMs, tolerance), { ok: true });
    assert.deepEqual(verifyPushSignature(rotated, body, key, startMs, tolerance), { ok: true });
  });

  test("malformed headers are refused without throwing", () => {
    for (const bad of ["", "t=abc,v1=00", "v1=zz", `t=1`, "x".repeat(5_000), `t=1,v1=${"0".repeat(63)}`]) {
      const check = verifyPushSignature(bad, body, key, startMs, tolerance);
      assert.equal(check.ok ? null : check.code, "signature_malformed", bad.slice(0, 20));
    }
  });
});
