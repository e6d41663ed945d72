import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createDevOutboxSender, type OutboundMessage } from "./message-sender.ts";
import { createSmsHttpSender } from "./sms-http-sender.ts";

type Received = { headers: IncomingHttpHeaders; body: string; path: string };

/** A gateway whose answer each test chooses by path: /ok, /ok-no-id, /400, /429, /503, /hang. */
function startGateway(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const answer = (path: string, response: ServerResponse): void => {
    if (path === "/hang") {
      return;
    }
    if (path === "/ok") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "gw-123" }));
    } else if (path === "/ok-no-id") {
      response.writeHead(202).end("accepted");
    } else {
      response.writeHead(Number(path.slice(1))).end(JSON.stringify({ error: "to +81 90 0000 0000 refused" }));
    }
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), path });
      answer(path, response);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        received,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const message: OutboundMessage = {
  sendKey: "msg_0001",
  channel: "sms",
  to: "+819012345678",
  language: "ja",
  body: "【みまもりカード】ご利用確認 6/12 14:03 さくらストア 12,800円 (末尾1234)。",
  cardholderId: "ch_1",
};

describe("createSmsHttpSender", () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway.close();
  });

  const sender = (path: string, timeoutMs = 2_000) =>
    createSmsHttpSender({ url: `${gateway.url}${path}`, apiKey: "key-1", timeoutMs });

  test("posts the recipient, body and send key as JSON, with the send key as Idempotency-Key", async () => {
    const result = await sender("/ok").send(message);
    assert.deepEqual(result, { ok: true, providerMessageId: "gw-123" });
    const request = gateway.received.at(-1);
    assert.ok(request);
    assert.equal(request.headers["idempotency-key"], "msg_0001");
    assert.equal(request.headers.authorization, "Bearer key-1");
    assert.match(request.headers["content-type"] ?? "", /application\/json/);
    assert.deepEqual(JSON.parse(request.body), { to: message.to, body: message.body, sendKey: "msg_0001" });
  });

  test("a 2xx without an id in the answer is still sent, under the send key", async () => {
    assert.deepEqual(await sender("/ok-no-id").send(message), { ok: true, providerMessageId: "msg_0001" });
  });

  test("a 4xx is a rejection that retrying would not change", async () => {
    const result = await sender("/400").send(message);
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["provider_rejected", false]);
    assert.ok(!result.ok && !result.message.includes("+81"), "the error body is not echoed into messages");
  });

  test("429 (slow down) and 5xx are worth retrying with the same key", async () => {
    for (const path of ["/429", "/503"]) {
      const result = await sender(path).send(message);
      assert.deepEqual(
        result.ok ? null : [result.code, result.retryable],
        ["provider_unavailable", true],
        path,
      );
    }
  });

  test("a gateway that does not answer in time is a retryable timeout", async () => {
    const result = await sender("/hang", 100).send(message);
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["timeout", true]);
  });

  test("a gateway that cannot be reached is retryable", async () => {
    const closed = await startGateway();
    await closed.close();
    const result = await createSmsHttpSender({ url: `${closed.url}/ok`, timeoutMs: 1_000 }).send(message);
    assert.deepEqual(result.ok ? null : [result.code, result.retryable], ["provider_unavailable", true]);
  });
});

describe("createDevOutboxSender", () => {
  test("accepts every message, with an id that a resend repeats", async () => {
    const sender = createDevOutboxSender();
    const first = await sender.send(message);
    assert.deepEqual(first, await sender.send(message));
    assert.deepEqual(first, { ok: true, providerMessageId: "dev_msg_0001" });
  });
});
