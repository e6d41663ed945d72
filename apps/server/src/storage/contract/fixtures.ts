/**
 * Records for storage tests. Times sit past 2^32 ms (2026), so a column that truncated int8 to
 * int4, or a driver that returned int8 as a string, fails the round-trip checks.
 */
import type {
  AuditEntry,
  CardholderRecord,
  CardRecord,
  DecisionRecord,
  DocumentRecord,
  MerchantRecord,
  RulesetRecord,
} from "../records.ts";

export const baseMs = 1_767_225_600_000;

const pad = (n: number): string => String(n).padStart(4, "0");

export function cardholderFixture(n: number, overrides: Partial<CardholderRecord> = {}): CardholderRecord {
  return {
    id: `ch_${pad(n)}`,
    name: `山田 花子 ${n}`,
    phone: `+8190${pad(n)}1234`,
    email: `hanako${n}@example.jp`,
    language: n % 2 === 0 ? "ja" : "en",
    timeZone: "Asia/Tokyo",
    homeCountry: "JP",
    securityPhrase: `さくら みかん ${n % 100}`,
    stepUpChannel: n % 3 === 0 ? "email" : "sms",
    createdAtMs: baseMs + n,
    ...overrides,
  };
}

export function cardFixture(n: number, overrides: Partial<CardRecord> = {}): CardRecord {
  return {
    id: `card_${pad(n)}`,
    cardholderId: `ch_${pad(n)}`,
    panHash: `v1:${n.toString(16).padStart(64, "0")}`,
    panCiphertext: `v1:ciphertext${n}==`,
    panBin: "411111",
    panLast4: pad(n),
    expiry: "2029-12",
    state: "active",
    replacesCardId: null,
    createdAtMs: baseMs + n,
    updatedAtMs: baseMs + n,
    ...overrides,
  };
}

export function merchantFixture(n: number, overrides: Partial<MerchantRecord> = {}): MerchantRecord {
  return { id: `mer_${pad(n)}`, name: `ローソン ${n}`, mcc: "5411", country: "JP", ...overrides };
}

export function rulesetFixture(version: number, overrides: Partial<RulesetRecord> = {}): RulesetRecord {
  return {
    id: `rs_${pad(version)}`,
    version,
    name: `ruleset ${version}`,
    text: 'rule "many_small" when card.count1h >= 5 then score 40',
    status: "draft",
    createdAtMs: baseMs + version,
    updatedAtMs: baseMs + version,
    ...overrides,
  };
}

/** A feature snapshot of about 1.5 KB, the size the scoring path records per decision. */
export function snapshotFixture(n: number): unknown {
  return {
    card: { count1h: n % 7, count24h: n % 31, sum1hMinor: n * 13, sum24hMinor: n * 101, isNewDevice: false },
    merchant: { id: `mer_${pad(n % 50)}`, mcc: "5411", country: "JP", declineRate24h: 0.0123 },
    amount: { minor: 12_500 + n, currency: "JPY", ratioToMedian: 1.37 },
    geo: { country: "JP", distanceKmFromLast: 12.5, speedKmh: 3.2 },
    model: { score: 0.1234, version: "m-2026-01" },
    note: "日本語のメモ 🍣 ".repeat(8),
    trace: Array.from({ length: 16 }, (_, k) => ({
      rule: `r${k}`,
      value: k * 1.5,
      text: `card.count1h >= ${k}`,
    })),
  };
}

export function decisionFixture(n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    authorizationId: `auth_${pad(n)}`,
    externalId: `ext_${pad(n)}`,
    requestHash: n.toString(16).padStart(64, "a"),
    cardId: `card_${pad(n % 10)}`,
    occurredAtMs: baseMs + n * 1_000,
    decidedAtMs: baseMs + n * 1_000 + 3,
    outcome: "approve",
    score: 12.5,
    rulesetId: "rs_0001",
    rulesetVersion: 1,
    authorization: { externalId: `ext_${pad(n)}`, amountMinor: 12_500, currency: "JPY", merchant: "セブン" },
    snapshot: snapshotFixture(n),
    // Keys deliberately out of order: a response must come back byte for byte for a retry.
    response: { outcome: "approve", authorizationId: `auth_${pad(n)}`, reasons: [], zeta: null, alpha: 1 },
    shadow: null,
    ...overrides,
  };
}

/** An audit entry with placeholder hashes: the store checks their shape, not the chain. */
export function auditFixture(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    atMs: baseMs + seq,
    actor: "system",
    action: "card.created",
    subjectId: `card_${pad(seq)}`,
    payload: { seq, note: "カード発行 ✓", nested: { list: [1, 2.5, "three", null, true] } },
    prevHash: (seq - 1).toString(16).padStart(64, "0"),
    hash: seq.toString(16).padStart(64, "0"),
    ...overrides,
  };
}

export function documentFixture(n: number, overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    kind: "hold",
    id: `hold_${pad(n)}`,
    version: 1,
    cardId: `card_${pad(n % 10)}`,
    cardholderId: `ch_${pad(n % 10)}`,
    state: "pending",
    dueAtMs: baseMs + 72 * 3_600_000 + n,
    lookupKey: null,
    createdAtMs: baseMs + n,
    updatedAtMs: baseMs + n,
    body: {
      authorizationIds: [`auth_${pad(n)}`],
      note: "ご利用確認 🔒",
      nested: { zeta: 1, alpha: [true, null] },
    },
    ...overrides,
  };
}
