/**
 * The PAN scanner the leak tests share (issue #9, PAN safety). Given every card number that
 * exists, it searches text and bytes for each one: in clear, split into groups by spaces or
 * dashes, inside a longer run of digits, and as a Luhn-valid candidate (findPanCandidates) equal
 * to a known number. Each hit says where it was, and names the card only by BIN and last four,
 * so that a failing test does not print the number it caught. It reads text and bytes as they
 * are: a number written as UTF-16, base64 or compressed is not seen, which is why an embedded
 * store's rows are scanned as PostgreSQL prints them as well as its files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { findPanCandidates, maskPan, type PanVault } from "../src/cards/index.ts";
import { limits } from "../src/config/limits.ts";
import type { CardRecord, DocumentRecord, Store } from "../src/storage/index.ts";

export type PanHit = {
  /** A file path, `log line 12`, `response 3`, `message msg_…`: where to look. */
  readonly where: string;
  /** Where in that file or text the number starts (a character offset; bytes for files). */
  readonly offset: number;
  /** The card, masked as BIN + last four. */
  readonly card: string;
  /** How it was written: plain digits, digits broken by spaces or dashes, or found only as a Luhn candidate. */
  readonly form: "clear" | "grouped" | "luhn_candidate";
};

export type PanScanner = {
  /** How many distinct card numbers the scanner looks for. */
  readonly knownCount: number;
  scanText(where: string, text: string): PanHit[];
  /** Bytes read as latin1, so every byte stays one character and offsets are byte offsets. */
  scanBytes(where: string, bytes: Buffer): PanHit[];
};

/** A digit, then digits each after at most one space or dash: plain, and as cards print it (4111 1111 …). */
const digitRun = /[0-9](?:[ -]?[0-9])*/g;
const panDigitsMin = 13;

export function createPanScanner(pans: Iterable<string>): PanScanner {
  const known = [...new Set(pans)];
  for (const pan of known) {
    if (!/^[0-9]{13,19}$/.test(pan)) {
      throw new Error("the scanner is given card numbers of 13 to 19 digits");
    }
  }
  const knownSet = new Set(known);
  const masked = (pan: string) => maskPan(pan.slice(0, 6), pan.slice(-4));

  const scanText = (where: string, text: string): PanHit[] => {
    const hits: PanHit[] = [];
    const found = new Set<string>();
    for (const match of text.matchAll(digitRun)) {
      const run = match[0];
      if (run.length < panDigitsMin) {
        continue;
      }
      // Where each digit of the run sits in the text, so a hit inside the run has its own offset.
      const positions: number[] = [];
      for (let i = 0; i < run.length; i++) {
        if (run[i] !== " " && run[i] !== "-") {
          positions.push((match.index ?? 0) + i);
        }
      }
      if (positions.length < panDigitsMin) {
        continue;
      }
      const digits = run.replace(/[ -]/g, "");
      for (const pan of known) {
        for (let at = digits.indexOf(pan); at !== -1; at = digits.indexOf(pan, at + 1)) {
          const start = positions[at] ?? 0;
          const end = positions[at + pan.length - 1] ?? start;
          found.add(pan);
          hits.push({
            where,
            offset: start,
            card: masked(pan),
            form: end - start + 1 === pan.length ? "clear" : "grouped",
          });
        }
      }
    }
    // The Luhn pass finds nothing the digit runs missed today; it stays as the issue's own
    // definition of a leak, so a change to either pass cannot quietly narrow the search.
    for (const candidate of findPanCandidates(text)) {
      if (knownSet.has(candidate) && !found.has(candidate)) {
        found.add(candidate);
        hits.push({ where, offset: -1, card: masked(candidate), form: "luhn_candidate" });
      }
    }
    return hits;
  };

  return {
    knownCount: known.length,
    scanText,
    scanBytes: (where, bytes) => scanText(where, bytes.toString("latin1")),
  };
}

export type ScanTally = { hits: PanHit[]; items: number; chars: number };

/** Scans texts, each with its name (`log line 3`, `response 12`, `opened message msg_…`). */
export function scanTexts(scanner: PanScanner, texts: readonly (readonly [string, string])[]): ScanTally {
  const hits = texts.flatMap(([where, text]) => scanner.scanText(where, text));
  return { hits, items: texts.length, chars: texts.reduce((sum, [, text]) => sum + text.length, 0) };
}

/** Names each text by its place in a list: `log line 1`, `log line 2`… */
export function numbered(prefix: string, texts: readonly string[]): [string, string][] {
  return texts.map((text, index) => [`${prefix} ${index + 1}`, text]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file under a directory, byte for byte: the store's pages and WAL, secrets.json, anything else. */
export function scanDirectory(scanner: PanScanner, dir: string): ScanTally {
  const hits: PanHit[] = [];
  let items = 0;
  let chars = 0;
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    items += 1;
    chars += bytes.length;
    hits.push(...scanner.scanBytes(file, bytes));
  }
  return { hits, items, chars };
}

/**
 * Every row of every table of an embedded store, as PostgreSQL prints it. The files alone are not
 * enough: PostgreSQL compresses a large value before it writes it (TOAST), and a number inside a
 * compressed document is not in the bytes on disk. Opens the directory itself, so the platform
 * that wrote it must be closed.
 */
export async function scanDatabaseRows(scanner: PanScanner, dataDir: string): Promise<ScanTally> {
  const db = await PGlite.create(dataDir);
  try {
    const tables = await db.query<{ name: string }>(
      "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    const hits: PanHit[] = [];
    let items = 0;
    let chars = 0;
    for (const { name } of tables.rows) {
      const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      for (const [index, { row }] of rows.rows.entries()) {
        items += 1;
        chars += row.length;
        hits.push(...scanner.scanText(`table ${name} row ${index}`, row));
      }
    }
    return { hits, items, chars };
  } finally {
    await db.close();
  }
}

/** Every card in a store, enrolled or replacement. */
export async function allCards(store: Store): Promise<CardRecord[]> {
  const cards: CardRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listCards(cursor, limits.storePageRowsMax);
    cards.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return cards;
}

/** Every outbox message in a store, whatever its state. */
export async function allOutboxMessages(store: Store): Promise<DocumentRecord[]> {
  const documents: DocumentRecord[] = [];
  for (const state of ["pending", "sent", "failed"]) {
    let cursor: string | null = null;
    do {
      const page = await store.listDocumentsInState("outbox_message", state, cursor, limits.storePageRowsMax);
      documents.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return documents;
}

/** The number of every card in a store, recovered from its ciphertext with the platform's keys. */
export async function knownPans(store: Store, vault: PanVault): Promise<string[]> {
  return (await allCards(store)).map((card) => vault.decrypt(card.panCiphertext));
}

/** One line per hit, for an assertion's message. */
export function describeHits(hits: readonly PanHit[]): string {
  return hits
    .slice(0, 20)
    .map(
      (hit) => `${hit.card} (${hit.form}) at ${hit.where}${hit.offset >= 0 ? ` offset ${hit.offset}` : ""}`,
    )
    .join("\n");
}
