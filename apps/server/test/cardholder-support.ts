/**
 * A cardholder for cross-module tests: enrolled with an ordinary Tokyo history, a purchase that
 * the default ruleset holds, and the cardholder's own session to call the portal API with.
 */
import assert from "node:assert/strict";
import { authorizationBody, type TestServer } from "./harness.ts";

export const pan = "4111111111111111";
export const phone = "+819011112222";
export const usShop = { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US" };

/** A Tokyo cardholder with a card and an ordinary history, including card-on-file merchants. */
export async function enrollWithHistory(server: TestServer, cardPan: string, holderPhone = phone) {
  const cardholder = await server.post("/v1/cardholders", {
    name: "山田 花子",
    phone: holderPhone,
    email: "hanako@example.jp",
    language: "ja",
    timeZone: "Asia/Tokyo",
    homeCountry: "JP",
    securityPhrase: "さくら もみじ 42",
  });
  assert.equal(cardholder.status, 201, cardholder.text);
  const cardholderId = cardholder.json.id as string;
  const card = await server.post("/v1/cards", { cardholderId, pan: cardPan, expiry: "2030-12" });
  assert.equal(card.status, 201, card.text);
  const cardId = card.json.id as string;
  const history: [string, { id: string; name: string; mcc: string; country: string }, string, number][] = [
    [
      "recurring",
      { id: "mer_music_sub", name: "音楽サブスク", mcc: "5815", country: "JP" },
      "2026-11-05",
      980,
    ],
    ["ecommerce", { id: "mer_books_web", name: "本の通販", mcc: "5942", country: "JP" }, "2026-11-07", 2_400],
    ["ecommerce", { id: "mer_books_web", name: "本の通販", mcc: "5942", country: "JP" }, "2026-11-12", 1_800],
    [
      "ecommerce",
      { id: "mer_once_web", name: "一度だけの店", mcc: "5942", country: "JP" },
      "2026-11-13",
      1_500,
    ],
    ["pos", { id: "mer_super_01", name: "スーパー青葉", mcc: "5411", country: "JP" }, "2026-11-14", 3_200],
  ];
  for (const [index, [channel, merchant, day, amountMinor]] of history.entries()) {
    const response = await server.post(
      "/v1/authorizations",
      authorizationBody({
        id: `${cardId}-history-${index}`,
        cardId,
        channel,
        merchant,
        amountMinor,
        occurredAt: `${day}T12:30:00+09:00`,
      }),
    );
    assert.equal(response.json.outcome, "approve", response.text);
  }
  return { cardholderId, cardId };
}

/** ¥89,000 of electronics from a US online shop at 03:00 Tokyo time. */
export function suspicious(cardId: string, id: string) {
  return authorizationBody({
    id,
    cardId,
    amountMinor: 89_000,
    merchant: usShop,
    channel: "ecommerce",
    occurredAt: "2026-11-20T03:00:00+09:00",
  });
}

export async function sessionFor(
  server: TestServer,
  cardholderId: string,
): Promise<{ authorization: string }> {
  const session = await server.post("/v1/cardholder-sessions", { cardholderId });
  assert.equal(session.status, 201, session.text);
  return { authorization: `Bearer ${session.json.token as string}` };
}

export async function asCardholder(
  server: TestServer,
  session: { authorization: string },
  method: "GET" | "POST",
  url: string,
  body?: unknown,
) {
  const response = await server.app.inject({
    method,
    url,
    headers: { ...session, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, unknown> };
}
