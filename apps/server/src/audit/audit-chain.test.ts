import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AssertionError } from "../platform/assert.ts";
import type { AuditEntry } from "../storage/index.ts";
import { openStore } from "../storage/index.ts";
import {
  canonicalJson,
  genesisHash,
  hashAuditEntry,
  loadAuditHead,
  readAuditEntries,
  verifyAuditChain,
} from "./index.ts";

function buildChain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = genesisHash;
  for (let seq = 1; seq <= length; seq++) {
    const fields = {
      seq,
      atMs: 1_767_225_600_000 + seq,
      actor: "api_key",
      action: "card.blocked",
      subjectId: `card_${seq}`,
      payload: { reason: "紛失", amounts: [seq, seq * 1.5] },
    };
    const hash = hashAuditEntry(prevHash, fields);
    entries.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe("canonicalJson", () => {
  test("sorts keys at every depth and writes no whitespace", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } }),
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  test("equal values built in a different key order give equal text", () => {
    assert.equal(canonicalJson({ x: 1, y: "日本" }), canonicalJson({ y: "日本", x: 1 }));
  });

  test("strings and numbers print as JSON.stringify prints them", () => {
    assert.equal(canonicalJson(['\u2028"\\', 1e21, -0, 0.1]), '["\u2028\\"\\\\",1e+21,0,0.1]');
  });

  test("refuses what JSON cannot carry exactly", () => {
    for (const value of [
      undefined,
      { a: undefined },
      [1, undefined],
      () => 1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      10n,
      new Date(0),
      new Map(),
      // biome-ignore lint/suspicious/noSparseArray: a hole must be refused like undefined
      [1, , 3],
    ]) {
      assert.throws(() => canonicalJson(value), AssertionError);
    }
  });
});

describe("audit chain", () => {
  test("hashAuditEntry depends on every field and on prevHash", () => {
    const [entry] = buildChain(1);
    assert.ok(entry !== undefined);
    const base = hashAuditEntry(genesisHash, entry);
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(hashAuditEntry("1".repeat(64), entry), base);
    for (const change of [
      { seq: 2 },
      { atMs: 1 },
      { actor: "x" },
      { action: "x" },
      { subjectId: "x" },
      { payload: {} },
    ]) {
      assert.notEqual(hashAuditEntry(genesisHash, { ...entry, ...change }), base, JSON.stringify(change));
    }
  });

  test("a chain built in order verifies, also from an async source", async () => {
    const entries = buildChain(5);
    assert.deepEqual(await verifyAuditChain(entries), { ok: true, entries: 5 });
    async function* fromAsync() {
      yield* entries;
    }
    assert.deepEqual(await verifyAuditChain(fromAsync()), { ok: true, entries: 5 });
    assert.deepEqual(await verifyAuditChain([]), { ok: true, entries: 0 });
  });

  test("a tampered payload is found at its seq", async () => {
    const entries = buildChain(5);
    const target = entries[2];
    assert.ok(target !== undefined);
    entries[2] = { ...target, payload: { reason: "盗難", amounts: [3, 4.5] } };
    const result = await verifyAuditChain(entries);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.brokenAtSeq, 3);
  });

  test("a removed entry and a relinked entry are found", async () => {
    const gap = buildChain(5);
    gap.splice(1, 1);
    assert.deepEqual(await verifyAuditChain(gap), {
      ok: false,
      brokenAtSeq: 3,
      reason: "expected seq 2, found 3",
    });

    const relinked = buildChain(3);
    const second = relinked[1];
    assert.ok(second !== undefined);
    // A forger who recomputes the entry's own hash still breaks the link to the next entry.
    const forged = { ...second, payload: { reason: "forged" } };
    relinked[1] = { ...forged, hash: hashAuditEntry(forged.prevHash, forged) };
    const result = await verifyAuditChain(relinked);
    assert.equal(!result.ok && result.brokenAtSeq, 3);
  });

  test("loadAuditHead gives genesis for an empty log and the last entry otherwise", async () => {
    const store = await openStore({ kind: "memory" });
    assert.deepEqual(await loadAuditHead(store), { seq: 0, hash: genesisHash });
    const entries = buildChain(3);
    await store.commit([entries.map((entry) => ({ kind: "appendAudit", entry }) as const)]);
    const last = entries[2];
    assert.deepEqual(await loadAuditHead(store), { seq: 3, hash: last?.hash });
    assert.deepEqual(await verifyAuditChain(readAuditEntries(store, 2)), { ok: true, entries: 3 });
  });

  test("loadAuditHead refuses a head that does not match its hash", async () => {
    const store = await openStore({ kind: "memory" });
    const [entry] = buildChain(1);
    assert.ok(entry !== undefined);
    await store.commit([[{ kind: "appendAudit", entry: { ...entry, payload: { changed: true } } }]]);
    await assert.rejects(loadAuditHead(store), AssertionError);
  });
});
