import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { generateIssuerHistory, type SyntheticAuthorization } from "../simulation/index.ts";
import {
  isReplayRowError,
  ReplayInputError,
  type ReplayInputOptions,
  type ReplayRow,
  type ReplayRowError,
  readReplayInput,
} from "./index.ts";

const directory = mkdtempSync(join(tmpdir(), "mimamori-replay-"));
after(() => rmSync(directory, { recursive: true, force: true }));

const defaults = { currency: "JPY", homeCountry: "JP", timeZone: "Asia/Tokyo", channel: "pos" };

function fixture(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(
  options: Omit<ReplayInputOptions, "defaults"> & { defaults?: ReplayInputOptions["defaults"] },
) {
  const items: (ReplayRow | ReplayRowError)[] = [];
  for await (const item of readReplayInput({ defaults, ...options })) {
    items.push(item);
  }
  return {
    items,
    rows: items.filter((item): item is ReplayRow => !isReplayRowError(item)),
    errors: items.filter(isReplayRowError),
  };
}

/** Reads until the input throws, and says how many items came before the throw. */
async function readUntilThrow(options: ReplayInputOptions): Promise<{ yielded: number; error: unknown }> {
  let yielded = 0;
  try {
    for await (const _item of readReplayInput(options)) {
      yielded += 1;
    }
  } catch (error) {
    return { yielded, error };
  }
  return { yielded, error: null };
}

function csvCell(value: unknown): string {
  const text = value === null ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  return `${[columns.join(","), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(","))].join("\n")}\n`;
}

const simulated: SyntheticAuthorization[] = [
  ...generateIssuerHistory({ seed: 21, cardholders: 40, days: 4, startMs: Date.UTC(2026, 10, 1) }),
];

function assertReplaysSimulated(rows: readonly ReplayRow[]): void {
  assert.equal(rows.length, simulated.length);
  rows.forEach((row, index) => {
    const source = simulated[index];
    assert.ok(source !== undefined);
    assert.equal(row.id, source.id);
    assert.equal(row.occurredAtMs, Date.parse(source.occurredAt));
    assert.equal(row.cardRef, source.cardRef);
    assert.equal(row.amountMinor, source.amountMinor);
    assert.equal(row.currency, source.currency);
    assert.deepEqual(row.merchant, {
      id: source.merchantId,
      name: source.merchantName,
      mcc: source.mcc,
      country: source.merchantCountry,
      terminalId: source.terminalId,
    });
    assert.equal(row.channel, source.channel);
    assert.deepEqual(row.device, { fingerprint: source.deviceFingerprint, ip: source.ip });
    assert.equal(row.label, source.isFraud);
    assert.equal(row.homeCountry, source.homeCountry);
    assert.equal(row.timeZone, source.timeZone);
  });
}

describe("readReplayInput: the synthetic issuer's output replays with the default mapping", () => {
  test("as NDJSON, every row is read back field for field", async () => {
    const path = fixture("simulated.ndjson", `${simulated.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const { rows, errors } = await readAll({ path });
    assert.deepEqual(errors, []);
    assertReplaysSimulated(rows);
  });

  test("as CSV, every row is read back field for field, with offsets and line numbers", async () => {
    const path = fixture("simulated.csv", toCsv(simulated));
    const { rows, errors } = await readAll({ path });
    assert.deepEqual(errors, []);
    assertReplaysSimulated(rows);
    assert.equal(rows[0]?.line, 2, "the header is line 1");
    assert.ok(rows.some((row) => row.occurredAtOffsetMinutes === 540));
  });

  test("reports bytes read, never decreasing, ending at the file size", async () => {
    const path = fixture("progress.ndjson", `${simulated.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const reports: [number, number][] = [];
    await readAll({ path, onProgress: (bytesRead, bytesTotal) => reports.push([bytesRead, bytesTotal]) });
    const size = statSync(path).size;
    assert.ok(reports.length >= 1);
    assert.deepEqual(reports.at(-1), [size, size]);
    assert.ok(
      reports.every(([bytesRead], index) => index === 0 || bytesRead >= (reports[index - 1]?.[0] ?? 0)),
    );
  });

  test("stops cleanly when the caller stops reading early", async () => {
    const path = fixture("early.csv", toCsv(simulated));
    let taken = 0;
    for await (const _item of readReplayInput({ path, defaults })) {
      taken += 1;
      if (taken === 3) {
        break;
      }
    }
    assert.equal(taken, 3);
  });
});

describe("readReplayInput: custom mappings and defaults", () => {
  test("a CSV with its own column names and only the required columns takes the defaults", async () => {
    const path = fixture("custom.csv", "txn,ts,token,amt,mid\nt-1,2026-11-20T14:03:11,tok-9,1500,shop-1\n");
    const columns = { id: "txn", time: "ts", card: "token", amount: "amt", merchant: "mid" };
    const { rows, errors } = await readAll({ path, columns });
    assert.deepEqual(errors, []);
    assert.deepEqual(rows, [
      {
        line: 2,
        id: "t-1",
        occurredAtMs: Date.UTC(2026, 10, 20, 14, 3, 11),
        occurredAtOffsetMinutes: 0,
        cardRef: "tok-9",
        amountMinor: 1500,
        currency: "JPY",
        merchant: { id: "shop-1", name: "shop-1", mcc: "5999", country: "JP", terminalId: null },
        channel: "pos",
        device: { fingerprint: null, ip: null },
        label: null,
        homeCountry: "JP",
        timeZone: "Asia/Tokyo",
      },
    ]);
  });

  test("an NDJSON file with its own keys, epoch numbers, numeric MCCs and boolean labels", async () => {
    const lines = [
      {
        ref: 1,
        when: 1_795_000_000,
        who: "c1",
        cents: 999,
        cur: "usd",
        where: "m1",
        kind: "ECOMMERCE",
        mcc: 742,
        fraud: true,
      },
      {
        ref: 2,
        when: 1_795_000_000_250,
        who: "c1",
        cents: 5,
        cur: "USD",
        where: "m1",
        kind: "ecommerce",
        mcc: "5816",
        fraud: "genuine",
      },
    ];
    const path = fixture("custom.jsonl", `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const columns = {
      id: "ref",
      time: "when",
      card: "who",
      amount: "cents",
      currency: "cur",
      merchant: "where",
      channel: "kind",
      label: "fraud",
    };
    const { rows, errors } = await readAll({ path, columns });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((row) => [
        row.id,
        row.occurredAtMs,
        row.currency,
        row.amountMinor,
        row.channel,
        row.merchant.mcc,
        row.label,
      ]),
      [
        ["1", 1_795_000_000_000, "USD", 999, "ecommerce", "0742", true],
        ["2", 1_795_000_000_250, "USD", 5, "ecommerce", "5816", false],
      ],
    );
  });

  test("amountIsMajor scales decimal amounts by each row's currency", async () => {
    const path = fixture(
      "major.csv",
      "id,occurredAt,cardRef,amountMinor,currency,merchantId\na,1795000000,c,12.34,USD,m\nb,1795000000,c,1500,JPY,m\nc,1795000000,c,1500.5,JPY,m\n",
    );
    const { rows, errors } = await readAll({ path, amountIsMajor: true });
    assert.deepEqual(
      rows.map((row) => [row.id, row.amountMinor]),
      [
        ["a", 1234],
        ["b", 1500],
      ],
    );
    assert.deepEqual(
      errors.map((error) => [error.line, error.code]),
      [[4, "invalid_amount"]],
    );
  });

  test("the format can be given when the extension does not tell it", async () => {
    const path = fixture("history.txt", `${JSON.stringify(simulated[0])}\n`);
    const { rows } = await readAll({ path, format: "ndjson" });
    assert.equal(rows.length, 1);
  });
});

describe("readReplayInput: bad rows are reported and skipped", () => {
  const header = "id,occurredAt,cardRef,amountMinor,currency,merchantId,channel,mcc\n";
  const good = (id: string) => `${id},2026-11-20T14:03:11+09:00,c,100,JPY,m,pos,5411\n`;

  test("each kind of bad CSV row yields its code, and the rows around it still replay", async () => {
    const path = fixture(
      "errors.csv",
      [
        header,
        good("ok-1"),
        "e-1,2026-11-20T14:03:11+09:00,,100,JPY,m,pos,5411\n",
        "e-2,next tuesday,c,100,JPY,m,pos,5411\n",
        "e-3,2026-11-20T14:03:11+09:00,c,12.5,JPY,m,pos,5411\n",
        "e-4,2026-11-20T14:03:11+09:00,c,100,XXX,m,pos,5411\n",
        "e-5,2026-11-20T14:03:11+09:00,c,100,JPY,m,teleport,5411\n",
        "e-6,2026-11-20T14:03:11+09:00,c,100,JPY,m,pos,shop\n",
        "e-7,2026-11-20T14:03:11+09:00,c,100\n",
        good("ok-2"),
      ].join(""),
    );
    const { items } = await readAll({ path });
    assert.deepEqual(
      items.map((item) => (isReplayRowError(item) ? [item.line, item.code] : [item.line, item.id])),
      [
        [2, "ok-1"],
        [3, "missing_column"],
        [4, "invalid_time"],
        [5, "invalid_amount"],
        [6, "unknown_currency"],
        [7, "invalid_channel"],
        [8, "invalid_row"],
        [9, "invalid_row"],
        [10, "ok-2"],
      ],
    );
    assert.ok(items.filter(isReplayRowError).every((error) => error.message.length > 0));
  });

  test("a quote inside an unquoted field is kept as text", async () => {
    const path = fixture(
      "inch.csv",
      'id,occurredAt,cardRef,amountMinor,merchantId,merchantName\na,1795000000,c,1,m,TV 55" Store\n',
    );
    const { rows } = await readAll({ path });
    assert.equal(rows[0]?.merchant.name, 'TV 55" Store');
  });

  test("a quote left open takes the rest of the file into one reported invalid_row", async () => {
    const path = fixture(
      "quote.csv",
      `${header}${good("ok-1")}bad,"2026,c,100,JPY,m,pos,5411\n${good("lost")}`,
    );
    const { items } = await readAll({ path });
    const [first, error] = items;
    assert.equal(items.length, 2);
    assert.ok(first !== undefined && !isReplayRowError(first) && first.id === "ok-1");
    assert.ok(error !== undefined && isReplayRowError(error) && error.code === "invalid_row");
    assert.match(error.message, /quote/i);
  });

  test("a CSV record over the size bound is an invalid_row that says the rest of the file is not read", async () => {
    const path = fixture("huge.csv", `${header}${good("ok-1")}huge,${"x".repeat(70_000)}\n${good("lost")}`);
    const { items } = await readAll({ path });
    const last = items.at(-1);
    assert.ok(last !== undefined && isReplayRowError(last) && last.line === 3, JSON.stringify(last));
    assert.match(last.message, /rest of the file is not read/);
  });

  test("bad NDJSON lines (not JSON, not an object, a missing value, a bad label) yield errors", async () => {
    const row = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        id,
        occurredAt: "2026-11-20T14:03:11Z",
        cardRef: "c",
        amountMinor: 100,
        merchantId: "m",
        ...extra,
      });
    const path = fixture(
      "errors.ndjson",
      [
        row("ok-1"),
        "{not json",
        "[1,2]",
        "",
        row("e-1", { cardRef: null }),
        row("e-2", { isFraud: "perhaps" }),
        row("ok-2"),
      ].join("\n"),
    );
    const { items } = await readAll({ path });
    assert.deepEqual(
      items.map((item) => (isReplayRowError(item) ? [item.line, item.code] : [item.line, item.id])),
      [
        [1, "ok-1"],
        [2, "invalid_row"],
        [3, "invalid_row"],
        [5, "missing_column"],
        [6, "invalid_row"],
        [7, "ok-2"],
      ],
    );
  });

  test("NDJSON errors before the first complete row are held back, then released in order", async () => {
    const path = fixture(
      "late.ndjson",
      [
        "{oops",
        JSON.stringify({
          id: "ok",
          occurredAt: 1_795_000_000,
          cardRef: "c",
          amountMinor: 1,
          merchantId: "m",
        }),
      ].join("\n"),
    );
    const { items } = await readAll({ path });
    assert.deepEqual(
      items.map((item) => (isReplayRowError(item) ? item.code : item.id)),
      ["invalid_row", "ok"],
    );
  });
});

describe("readReplayInput: input that cannot be replayed at all", () => {
  test("a CSV header without a required column throws missing_column before any row", async () => {
    const path = fixture("no-card.csv", "id,occurredAt,amountMinor,merchantId\na,2026-11-20T14:03:11Z,1,m\n");
    const { yielded, error } = await readUntilThrow({ path, defaults });
    assert.equal(yielded, 0);
    assert.ok(error instanceof ReplayInputError);
    assert.equal(error.code, "missing_column");
    assert.deepEqual(error.columns, ["cardRef"]);
  });

  test("a mapping that names a column the header lacks throws missing_column", async () => {
    const path = fixture(
      "mapped.csv",
      "id,occurredAt,cardRef,amountMinor,merchantId\na,2026-11-20T14:03:11Z,c,1,m\n",
    );
    const { error } = await readUntilThrow({ path, defaults, columns: { time: "timestamp" } });
    assert.ok(error instanceof ReplayInputError);
    assert.deepEqual(error.columns, ["timestamp"]);
  });

  test("an NDJSON file whose rows all lack a required key throws missing_column before any row", async () => {
    const line = JSON.stringify({
      id: "a",
      occurredAt: "2026-11-20T14:03:11Z",
      cardRef: "c",
      merchantId: "m",
    });
    const path = fixture("no-amount.ndjson", `${line}\n${line}\n{broken\n`);
    const { yielded, error } = await readUntilThrow({ path, defaults });
    assert.equal(yielded, 0);
    assert.ok(error instanceof ReplayInputError);
    assert.equal(error.code, "missing_column");
    assert.deepEqual(error.columns, ["amountMinor"]);
  });

  test("NDJSON rows that lack a required key through the first 1,000 lines throw, even if a later row has it", async () => {
    const partial = { id: "a", occurredAt: "2026-11-20T14:03:11Z", cardRef: "c", merchantId: "m" };
    const lines = Array.from({ length: 1_200 }, () => JSON.stringify(partial));
    lines.push(JSON.stringify({ ...partial, amountMinor: 5 }));
    const { yielded, error } = await readUntilThrow({
      path: fixture("late-amount.ndjson", lines.join("\n")),
      defaults,
    });
    assert.equal(yielded, 0);
    assert.ok(error instanceof ReplayInputError && error.code === "missing_column");
  });

  test("an NDJSON file of nothing but unreadable lines yields row errors, not a missing column", async () => {
    const { errors, rows } = await readAll({ path: fixture("garbage.ndjson", "nope\n[1]\n42\n") });
    assert.equal(rows.length, 0);
    assert.deepEqual(
      errors.map((error) => [error.line, error.code]),
      [
        [1, "invalid_row"],
        [2, "invalid_row"],
        [3, "invalid_row"],
      ],
    );
  });

  test("an empty file throws missing_column", async () => {
    for (const name of ["empty.csv", "empty.ndjson"]) {
      const { error } = await readUntilThrow({ path: fixture(name, ""), defaults });
      assert.ok(error instanceof ReplayInputError, name);
      assert.equal(error.code, "missing_column");
    }
  });

  test("bad defaults and an unknown extension throw invalid_option", async () => {
    const path = fixture("fine.csv", "id,occurredAt,cardRef,amountMinor,merchantId\n");
    for (const bad of [
      { ...defaults, currency: "XYZ" },
      { ...defaults, homeCountry: "Japan" },
      { ...defaults, timeZone: "Mars/Olympus" },
      { ...defaults, channel: "fax" },
    ]) {
      const { error } = await readUntilThrow({ path, defaults: bad });
      assert.ok(error instanceof ReplayInputError && error.code === "invalid_option", JSON.stringify(bad));
    }
    const { error } = await readUntilThrow({ path: fixture("history.xlsx", ""), defaults });
    assert.ok(error instanceof ReplayInputError && error.code === "invalid_option");
  });
});
