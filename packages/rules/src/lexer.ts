/**
 * Turns ruleset text into tokens. It never stops at a bad character: it records a diagnostic and
 * goes on, so the analyst sees every lexical error at once and the parser still gets a stream it
 * can recover from. Columns count UTF-16 code units, as JavaScript strings and code editors do.
 */
import type { Diagnostic, Position, Span } from "./api.ts";

/** Reserved words. Lowercase only: `AND` is an ordinary (and probably unknown) field name. */
export const keywords = [
  "rule",
  "when",
  "then",
  "score",
  "reason",
  "thresholds",
  "and",
  "or",
  "not",
  "in",
  "true",
  "false",
  "approve",
  "step_up",
  "hold",
  "decline",
] as const;
export type Keyword = (typeof keywords)[number];

/** Longer symbols first, so `<=` is never read as `<` then `=`. */
const symbols = ["==", "!=", "<=", ">=", "(", ")", "[", "]", ",", "<", ">", "+", "-", "*", "/"] as const;
export type TokenSymbol = (typeof symbols)[number];

export type Token =
  | { readonly kind: "identifier"; readonly text: string; readonly span: Span }
  | { readonly kind: "keyword"; readonly text: Keyword; readonly span: Span }
  | { readonly kind: "number"; readonly text: string; readonly value: number; readonly span: Span }
  | { readonly kind: "string"; readonly text: string; readonly value: string; readonly span: Span }
  | { readonly kind: "symbol"; readonly text: TokenSymbol; readonly span: Span }
  | { readonly kind: "end"; readonly text: ""; readonly span: Span };

export type LexResult = { readonly tokens: readonly Token[]; readonly diagnostics: readonly Diagnostic[] };

const keywordSet: ReadonlySet<string> = new Set(keywords);

function isKeyword(text: string): text is Keyword {
  return keywordSet.has(text);
}

/** Digits with `_` only between digits, then an optional decimal part written the same way. */
const numberPattern = /^[0-9]+(_[0-9]+)*(\.[0-9]+(_[0-9]+)*)?$/;

const escapes: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["\\", "\\"],
  ["n", "\n"],
]);

function isDigit(char: string): boolean {
  return char >= "0" && char <= "9";
}

function isIdentifierStart(char: string): boolean {
  return (char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || char === "_";
}

function isIdentifierPart(char: string): boolean {
  return isIdentifierStart(char) || isDigit(char);
}

export function tokenize(text: string): LexResult {
  const lexer = new Lexer(text);
  lexer.scanAll();
  return { tokens: lexer.tokens, diagnostics: lexer.diagnostics };
}

class Lexer {
  readonly tokens: Token[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly text: string;
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(text: string) {
    this.text = text;
  }

  scanAll(): void {
    while (this.offset < this.text.length) {
      const char = this.peek();
      if (char === " " || char === "\t" || char === "\r" || char === "\n") {
        this.advance();
      } else if (char === "#") {
        this.advanceWhile((next) => next !== "\n");
      } else if (isIdentifierStart(char)) {
        this.scanIdentifier(this.here());
      } else if (isDigit(char)) {
        this.scanNumber(this.here());
      } else if (char === '"') {
        this.scanString(this.here());
      } else {
        this.scanSymbol(this.here());
      }
    }
    this.tokens.push({ kind: "end", text: "", span: { start: this.here(), end: this.here() } });
  }

  /** A dotted name (`card.count1h`) is one token; it is a keyword only without dots. */
  private scanIdentifier(start: Position): void {
    this.advanceWhile(isIdentifierPart);
    while (this.peek() === ".") {
      const dot = this.here();
      this.advance();
      if (!isIdentifierStart(this.peek())) {
        this.report(dot, "a field name cannot end with `.`: write the next part of the name after it");
        break;
      }
      this.advanceWhile(isIdentifierPart);
    }
    const word = this.text.slice(start.offset, this.offset);
    const span = this.spanFrom(start);
    this.tokens.push(
      isKeyword(word) ? { kind: "keyword", text: word, span } : { kind: "identifier", text: word, span },
    );
  }

  private scanNumber(start: Position): void {
    // Take the whole run of word characters, so `12abc` or `1__0` is one bad number, not a
    // number followed by a surprise identifier.
    this.advanceWhile((char) => isIdentifierPart(char) || char === ".");
    const word = this.text.slice(start.offset, this.offset);
    const value = Number(word.replaceAll("_", ""));
    if (!numberPattern.test(word)) {
      this.report(
        start,
        `bad number \`${word}\`: write digits with an optional decimal part, and \`_\` only between digits (10_000, 0.5)`,
      );
    } else if (!Number.isFinite(value)) {
      this.report(start, `number \`${word}\` is too large`);
    }
    const numberValue = Number.isFinite(value) ? value : 0;
    this.tokens.push({ kind: "number", text: word, value: numberValue, span: this.spanFrom(start) });
  }

  /** A string ends at its closing quote; one left open ends at the end of its line. */
  private scanString(start: Position): void {
    this.advance();
    let value = "";
    for (let char = this.peek(); char !== '"'; char = this.peek()) {
      if (this.offset >= this.text.length || char === "\n") {
        this.report(start, 'unterminated string: close it with `"` on the same line');
        break;
      }
      if (char === "\\") {
        value += this.scanEscape();
      } else {
        value += char;
        this.advance();
      }
    }
    if (this.peek() === '"') {
      this.advance();
    }
    const text = this.text.slice(start.offset, this.offset);
    this.tokens.push({ kind: "string", text, value, span: this.spanFrom(start) });
  }

  /** Reads a backslash and what it escapes; a backslash at the end of a line escapes nothing. */
  private scanEscape(): string {
    const start = this.here();
    this.advance();
    const escaped = this.peek();
    if (escaped === "\n" || this.offset >= this.text.length) {
      return "";
    }
    this.advance();
    const replacement = escapes.get(escaped);
    if (replacement === undefined) {
      this.report(start, `unknown escape \`\\${escaped}\`: a string may use \\", \\\\ and \\n`);
      return escaped;
    }
    return replacement;
  }

  private scanSymbol(start: Position): void {
    const symbol = symbols.find((candidate) => this.text.startsWith(candidate, this.offset));
    const char = symbol ?? String.fromCodePoint(this.text.codePointAt(this.offset) ?? 0);
    for (let index = 0; index < char.length; index += 1) {
      this.advance();
    }
    if (symbol !== undefined) {
      this.tokens.push({ kind: "symbol", text: symbol, span: this.spanFrom(start) });
    } else if (char === "=") {
      this.report(start, "`=` is not an operator: compare with `==`");
      // Read it as the `==` that was almost certainly meant, so the parser reports what follows.
      this.tokens.push({ kind: "symbol", text: "==", span: this.spanFrom(start) });
    } else if (char === "!") {
      this.report(start, "`!` is not an operator: use `not` or `!=`");
    } else {
      this.report(start, `unexpected character \`${char}\``);
    }
  }

  private here(): Position {
    return { line: this.line, column: this.column, offset: this.offset };
  }

  private spanFrom(start: Position): Span {
    return { start, end: this.here() };
  }

  private peek(): string {
    return this.text.charAt(this.offset);
  }

  private advance(): void {
    if (this.peek() === "\n") {
      this.line += 1;
      this.column = 1;
    } else {
      this.column += 1;
    }
    this.offset += 1;
  }

  private advanceWhile(predicate: (char: string) => boolean): void {
    while (this.offset < this.text.length && predicate(this.peek())) {
      this.advance();
    }
  }

  private report(start: Position, message: string): void {
    this.diagnostics.push({ code: "syntax_error", message, span: this.spanFrom(start) });
  }
}
