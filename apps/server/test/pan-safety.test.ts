/**
 * After a demo run on the embedded store, no enrolled card number appears in clear anywhere:
 * not in the data directory's files, not in a log line, not in any response.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createPanVault } from "../src/cards/index.ts";
import { loadSecrets } from "../src/config/config.ts";
import { systemRandom } from "../src/platform/random.ts";
import { authorizationBody, startTestServer } from "./harness.ts";
import {
  createPanScanner,
  describeHits,
  numbered,
  type ScanTally,
  scanDatabaseRows,
  scanDirectory,
  scanTexts,
} from "./pan-scan-support.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mimamori-pan-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test("no PAN appears in clear in the data directory, the logs or any response after a demo run", async () => {
  const pans = ["4111111111111111", "5555555555554444", "378282246310005", "4012888888881881"];
  const server = await startTestServer({ dataDir });
  const responses: string[] = [];
  const replacementIds: string[] = [];
  for (const [index, pan] of pans.entries()) {
    const holder = await server.post("/v1/cardholders", {
      name: `Holder ${index}`,
      phone: "+819012345678",
      email: `h${index}@example.jp`,
      language: "en",
      timeZone: "Asia/Tokyo",
      homeCountry: "JP",
    });
    responses.push(holder.text);
    const card = await server.post("/v1/cards", { cardholderId: holder.json.id, pan, expiry: "2031-01" });
    responses.push(card.text);
    responses.push((await server.get(`/v1/cards/${card.json.id}`)).text);
    // Authorizations by PAN, good and bad, including a rejected body that carries the PAN.
    for (let n = 0; n < 3; n++) {
      const body = authorizationBody({
        id: `pan-${index}-${n}`,
        cardId: "unused",
        occurredAt: "2026-11-20T12:00:00+09:00",
      });
      responses.push((await server.post("/v1/authorizations", { ...body, card: { pan } })).text);
    }
    responses.push((await server.post("/v1/authorizations", { id: "x", card: { pan }, broken: true })).text);
    // A 3-D Secure authentication request names the card by its number, as an ACS does.
    const stepUp = {
      id: `acs-${index}`,
      card: { pan },
      amount: { minor: 120_000, currency: "JPY" },
      merchant: { id: "mer_us_gadgets", name: "US GADGET STORE", mcc: "5732", country: "US" },
      deviceChannel: "browser",
    };
    const authentication = await server.post("/v1/step-up/authentications", stepUp);
    responses.push(authentication.text);
    responses.push(
      (await server.post("/v1/step-up/authentications", { ...stepUp, deviceChannel: "tv" })).text,
    );
    if (typeof authentication.json.challengeId === "string") {
      responses.push((await server.get(`/v1/step-up/challenges/${authentication.json.challengeId}`)).text);
    }
    responses.push(
      (await server.post("/v1/cards", { cardholderId: holder.json.id, pan, expiry: "2031-01" })).text,
    );
    // A reported loss reissues the card: the new number goes sealed to the card host and nowhere else.
    const session = await server.post("/v1/cardholder-sessions", { cardholderId: holder.json.id });
    const reported = await server.app.inject({
      method: "POST",
      url: `/v1/cardholder/cards/${card.json.id as string}/report-lost`,
      headers: {
        authorization: `Bearer ${session.json.token as string}`,
        "content-type": "application/json",
      },
      payload: JSON.stringify({ kind: "stolen" }),
    });
    assert.equal(reported.statusCode, 200, reported.body);
    responses.push(reported.body);
    replacementIds.push((JSON.parse(reported.body) as { replacementCardId: string }).replacementCardId);
    responses.push((await server.get(`/v1/cards?cardholderId=${holder.json.id as string}`)).text);
  }
  await server.platform.dispatcher.drainOnce();
  const vault = createPanVault(loadSecrets(dataDir, {}, systemRandom).panKeys, systemRandom);
  for (const id of replacementIds) {
    const replacement = await server.platform.store.getCard(id);
    assert.ok(replacement !== null);
    pans.push(vault.decrypt(replacement.panCiphertext));
  }
  assert.equal(new Set(pans).size, 8, "four replacement numbers, each new");
  responses.push((await server.get("/v1/audit/verify")).text);
  await server.close();

  const scanner = createPanScanner(pans);
  const files = scanDirectory(scanner, dataDir);
  assert.ok(files.items > 10, "the embedded store wrote its files");
  const tallies: [string, ScanTally][] = [
    ["responses", scanTexts(scanner, numbered("response", responses))],
    ["log", scanTexts(scanner, numbered("log line", server.logLines))],
    ["data directory", files],
    ["database rows", await scanDatabaseRows(scanner, dataDir)],
  ];
  for (const [label, tally] of tallies) {
    assert.deepEqual(tally.hits, [], `${label} holds a card number:\n${describeHits(tally.hits)}`);
  }
});
