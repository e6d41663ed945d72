/**
 * Recursive-descent parser for ruleset text: syntax only, types are the checker's job. On an
 * error it records a diagnostic, skips to the next `rule`, and goes on, so one typo does not hide
 * the errors in every rule after it.
 */
import { type Diagnostic, type Outcome, outcomes, type ParseResult, type Span } from "./api.ts";
import { assert } from "./assert.ts";
import {
  type ArithmeticOperator,
  type ComparisonOperator,
  type Expression,
  type ListLiteral,
  measureExpression,
  type NumberLiteral,
  type RuleAst,
  type RulesetAst,
  type StringLiteral,
  type ThresholdsAst,
} from "./ast.ts";
import { type Keyword, type Token, type TokenSymbol, tokenize } from "./lexer.ts";

/**
 * Every pass over the tree (checker, printer, compiler, explain) is recursive, so the parser
 * refuses conditions nested deeper than this, whatever the policy. It is a guard against stack
 * overflow on hostile text, not a rule of the language: the caller's `StructureLimits.depthMax`
 * is the real limit and must not exceed this one (the checker asserts it).
 */
export const expressionDepthCeiling = 256;

/** Rule ids and reason codes are stable, lowercase snake_case codes. */
const codePattern = /^[a-z][a-z0-9_]*$/;

/**
 * Thrown inside the parser only, to unwind the recursive descent to the rule being parsed,
 * where it becomes a diagnostic. It never leaves `parseRuleset`.
 */
class SyntaxFailure extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.diagnostic = diagnostic;
  }
}

function isOutcome(text: string): text is Outcome {
  return (outcomes as readonly string[]).includes(text);
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the text";
    case "string":
      return `the string ${token.text}`;
    case "keyword":
      return `the keyword \`${token.text}\``;
    default:
      return `\`${token.text}\``;
  }
}

/** `-0` is read as 0, so that the printed form of every parsed number parses back to itself. */
function numberLiteral(value: number, span: Span): NumberLiteral {
  return { kind: "number", value: value === 0 ? 0 : value, span };
}

function spanning(first: Span, last: Span): Span {
  return { start: first.start, end: last.end };
}

export function parseRuleset(text: string): ParseResult<RulesetAst> {
  const lexed = tokenize(text);
  const parser = new Parser(lexed.tokens);
  const ruleset = parser.parseRuleset();
  const diagnostics = [...lexed.diagnostics, ...parser.diagnostics].sort(
    (first, second) => first.span.start.offset - second.span.start.offset,
  );
  if (diagnostics.length > 0) {
    return { ok: false, diagnostics };
  }
  return { ok: true, value: ruleset };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly tokens: readonly Token[];
  private index = 0;
  /** Open parentheses, calls and prefix operators around the token being parsed. */
  private nesting = 0;

  constructor(tokens: readonly Token[]) {
    assert(tokens.at(-1)?.kind === "end", "the lexer ends every token stream with an end token");
    this.tokens = tokens;
  }

  parseRuleset(): RulesetAst {
    const first = this.peek();
    let thresholds: ThresholdsAst | null = null;
    const rules: RuleAst[] = [];
    while (this.peek().kind !== "end") {
      const itemStart = this.index;
      try {
        if (this.isKeyword("thresholds")) {
          const parsed = this.parseThresholds();
          if (thresholds !== null || rules.length > 0) {
            this.diagnostics.push({
              code: "syntax_error",
              message: "a ruleset has at most one `thresholds` line, and it comes before the first rule",
              span: parsed.span,
            });
          }
          thresholds ??= parsed;
        } else if (this.isKeyword("rule")) {
          rules.push(this.parseRule());
        } else {
          this.fail(this.peek(), `expected \`rule\` or \`thresholds\`, found ${describe(this.peek())}`);
        }
      } catch (error) {
        if (!(error instanceof SyntaxFailure)) {
          throw error;
        }
        this.diagnostics.push(error.diagnostic);
        this.synchronize(itemStart);
      }
    }
    return { kind: "ruleset", thresholds, rules, span: spanning(first.span, this.peek().span) };
  }

  /** Skips to the next `rule` or `thresholds`, always moving past the token that started the item. */
  private synchronize(itemStart: number): void {
    if (this.index === itemStart) {
      this.advance();
    }
    while (this.peek().kind !== "end" && !this.isKeyword("rule") && !this.isKeyword("thresholds")) {
      this.advance();
    }
  }

  private parseThresholds(): ThresholdsAst {
    const start = this.expectKeyword("thresholds", "expected `thresholds`");
    this.expectKeyword("step_up", "expected `step_up` first in the thresholds line");
    const stepUp = this.parseSignedNumber("the step_up threshold");
    this.expectKeyword("hold", "expected `hold` after the step_up threshold");
    const hold = this.parseSignedNumber("the hold threshold");
    // `decline N` is optional: without it, only rules that force `decline` decline.
    if (!this.isKeyword("decline")) {
      return {
        kind: "thresholds",
        step_up: stepUp.value,
        hold: hold.value,
        decline: null,
        span: spanning(start.span, hold.span),
      };
    }
    this.expectKeyword("decline", "expected `decline` after the hold threshold");
    const decline = this.parseSignedNumber("the decline threshold");
    return {
      kind: "thresholds",
      step_up: stepUp.value,
      hold: hold.value,
      decline: decline.value,
      span: spanning(start.span, decline.span),
    };
  }

  private parseRule(): RuleAst {
    this.nesting = 0;
    const start = this.expectKeyword("rule", "expected `rule`");
    const id = this.parseCode("a rule id after `rule`");
    const message = this.peek();
    if (message.kind !== "string") {
      return this.fail(
        message,
        `expected the rule's message in double quotes after its id, found ${describe(message)}`,
      );
    }
    this.advance();
    this.expectKeyword("when", "expected `when` and the rule's condition after its message");
    const condition = this.parseExpression();
    if (measureExpression(condition).depth > expressionDepthCeiling) {
      this.fail(condition, `the condition nests deeper than ${expressionDepthCeiling} levels`);
    }
    this.expectKeyword("then", "expected `then` after the condition");
    let score: number | null = null;
    if (this.isKeyword("score")) {
      this.advance();
      const literal = this.parseSignedNumber("a score");
      if (!Number.isInteger(literal.value) || literal.value < 0 || literal.value > 100) {
        this.fail(literal, `a score is a whole number from 0 to 100, found ${literal.value}`);
      }
      score = literal.value;
    }
    let outcome: Outcome | null = null;
    const outcomeToken = this.peek();
    if (outcomeToken.kind === "keyword" && isOutcome(outcomeToken.text)) {
      this.advance();
      outcome = outcomeToken.text;
    }
    if (score === null && outcome === null) {
      this.fail(
        this.peek(),
        `expected \`score\` or an outcome (${outcomes.join(", ")}) after \`then\`, found ${describe(this.peek())}`,
      );
    }
    this.expectKeyword("reason", "expected `reason` and a reason code at the end of the rule");
    const reason = this.parseCode("a reason code after `reason`");
    return {
      kind: "rule",
      id: id.text,
      idSpan: id.span,
      message: message.value,
      condition,
      score,
      outcome,
      reasonCode: reason.text,
      span: spanning(start.span, reason.span),
    };
  }

  /** A rule id or reason code: an identifier in lowercase snake_case. */
  private parseCode(what: string): Token {
    const token = this.peek();
    if (token.kind !== "identifier") {
      const reserved = token.kind === "keyword" ? " (keywords are reserved)" : "";
      return this.fail(token, `expected ${what}, found ${describe(token)}${reserved}`);
    }
    if (!codePattern.test(token.text)) {
      this.fail(
        token,
        `\`${token.text}\` must be lowercase letters, digits and \`_\`, starting with a letter`,
      );
    }
    return this.advance();
  }

  private parseSignedNumber(what: string): NumberLiteral {
    const start = this.peek();
    const isNegative = start.kind === "symbol" && start.text === "-";
    if (isNegative) {
      this.advance();
    }
    const token = this.peek();
    if (token.kind !== "number") {
      return this.fail(token, `expected a number for ${what}, found ${describe(token)}`);
    }
    this.advance();
    return numberLiteral(isNegative ? -token.value : token.value, spanning(start.span, token.span));
  }

  private parseExpression(): Expression {
    return this.parseOr();
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      this.advance();
      const right = this.parseAnd();
      left = { kind: "logical", operator: "or", left, right, span: spanning(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    while (this.isKeyword("and")) {
      this.advance();
      const right = this.parseNot();
      left = { kind: "logical", operator: "and", left, right, span: spanning(left.span, right.span) };
    }
    return left;
  }

  private parseNot(): Expression {
    if (!this.isKeyword("not")) {
      return this.parseComparison();
    }
    const start = this.advance();
    this.enterNesting();
    const operand = this.parseNot();
    this.nesting -= 1;
    return { kind: "not", operand, span: spanning(start.span, operand.span) };
  }

  private parseComparison(): Expression {
    const left = this.parseAdditive();
    const operator = this.comparisonOperator();
    if (operator === null) {
      return left;
    }
    const comparison = this.finishComparison(left, operator);
    if (this.comparisonOperator() !== null) {
      this.fail(this.peek(), "comparisons do not chain: join them with `and`");
    }
    return comparison;
  }

  /** What follows a comparison's left operand, if anything: an operator, `in` or `not in`. */
  private comparisonOperator(): ComparisonOperator | "in" | "not in" | null {
    const token = this.peek();
    if (token.kind === "keyword" && token.text === "in") {
      return "in";
    }
    if (token.kind === "keyword" && token.text === "not") {
      const next = this.peek(1);
      return next.kind === "keyword" && next.text === "in" ? "not in" : null;
    }
    if (token.kind !== "symbol") {
      return null;
    }
    switch (token.text) {
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        return token.text;
      default:
        return null;
    }
  }

  private finishComparison(left: Expression, operator: ComparisonOperator | "in" | "not in"): Expression {
    this.advance();
    if (operator === "not in") {
      this.advance();
    }
    const right = this.parseAdditive();
    const span = spanning(left.span, right.span);
    if (operator === "in" || operator === "not in") {
      return { kind: "in", value: left, list: right, isNegated: operator === "not in", span };
    }
    return { kind: "comparison", operator, left, right, span };
  }

  private parseAdditive(): Expression {
    let left = this.parseMultiplicative();
    for (let operator = this.arithmeticOperator("+", "-"); operator !== null; ) {
      this.advance();
      const right = this.parseMultiplicative();
      left = { kind: "arithmetic", operator, left, right, span: spanning(left.span, right.span) };
      operator = this.arithmeticOperator("+", "-");
    }
    return left;
  }

  private parseMultiplicative(): Expression {
    let left = this.parseUnary();
    for (let operator = this.arithmeticOperator("*", "/"); operator !== null; ) {
      this.advance();
      const right = this.parseUnary();
      left = { kind: "arithmetic", operator, left, right, span: spanning(left.span, right.span) };
      operator = this.arithmeticOperator("*", "/");
    }
    return left;
  }

  private arithmeticOperator(...accepted: readonly ArithmeticOperator[]): ArithmeticOperator | null {
    const token = this.peek();
    if (token.kind !== "symbol") {
      return null;
    }
    return accepted.find((operator) => operator === token.text) ?? null;
  }

  private parseUnary(): Expression {
    const start = this.peek();
    if (start.kind !== "symbol" || start.text !== "-") {
      return this.parsePrimary();
    }
    // A minus sign written before a number is part of the literal, so `[-1, 2]` and `-5` are
    // constants; the meaning is the same either way because negation binds tightest.
    if (this.peek(1).kind === "number") {
      return this.parseSignedNumber("a negative number");
    }
    this.advance();
    this.enterNesting();
    const operand = this.parseUnary();
    this.nesting -= 1;
    return { kind: "negate", operand, span: spanning(start.span, operand.span) };
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    switch (token.kind) {
      case "number":
        this.advance();
        return numberLiteral(token.value, token.span);
      case "string":
        this.advance();
        return { kind: "string", value: token.value, span: token.span };
      case "identifier":
        return this.parseFieldOrCall();
      case "keyword":
        if (token.text === "true" || token.text === "false") {
          this.advance();
          return { kind: "bool", value: token.text === "true", span: token.span };
        }
        break;
      case "symbol":
        if (token.text === "(") {
          this.advance();
          this.enterNesting();
          const inner = this.parseExpression();
          this.nesting -= 1;
          this.expectSymbol(")", "expected `)` to close the `(`");
          return inner;
        }
        if (token.text === "[") {
          return this.parseList();
        }
        break;
      case "end":
        break;
    }
    return this.fail(
      token,
      `expected an expression (a number, string, field, function call, list or \`(\`), found ${describe(token)}`,
    );
  }

  private parseFieldOrCall(): Expression {
    const name = this.advance();
    const open = this.peek();
    if (open.kind !== "symbol" || open.text !== "(") {
      return { kind: "field", name: name.text, span: name.span };
    }
    this.advance();
    this.enterNesting();
    const callArguments: Expression[] = [];
    if (!this.isSymbol(")")) {
      callArguments.push(this.parseExpression());
      while (this.isSymbol(",")) {
        this.advance();
        callArguments.push(this.parseExpression());
      }
    }
    this.nesting -= 1;
    const close = this.expectSymbol(")", `expected \`,\` or \`)\` in the arguments of \`${name.text}\``);
    return { kind: "call", name: name.text, arguments: callArguments, span: spanning(name.span, close.span) };
  }

  private parseList(): ListLiteral {
    const open = this.advance();
    if (this.isSymbol("]")) {
      return this.fail(this.peek(), "a list needs at least one item");
    }
    const items: (NumberLiteral | StringLiteral)[] = [this.parseListItem()];
    while (this.isSymbol(",")) {
      this.advance();
      items.push(this.parseListItem());
    }
    const close = this.expectSymbol("]", "expected `,` or `]` in the list");
    return { kind: "list", items, span: spanning(open.span, close.span) };
  }

  private parseListItem(): NumberLiteral | StringLiteral {
    const token = this.peek();
    if (token.kind === "string") {
      this.advance();
      return { kind: "string", value: token.value, span: token.span };
    }
    if (token.kind === "number" || (token.kind === "symbol" && token.text === "-")) {
      return this.parseSignedNumber("a list item");
    }
    return this.fail(token, `a list holds number or string literals, found ${describe(token)}`);
  }

  private enterNesting(): void {
    this.nesting += 1;
    if (this.nesting > expressionDepthCeiling) {
      this.fail(this.peek(), `the condition nests deeper than ${expressionDepthCeiling} levels`);
    }
  }

  private peek(ahead = 0): Token {
    const token = this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
    assert(token !== undefined, "the token stream is never empty");
    return token;
  }

  /** Returns the current token and moves past it; the end token is never passed. */
  private advance(): Token {
    const token = this.peek();
    if (token.kind !== "end") {
      this.index += 1;
    }
    return token;
  }

  private isKeyword(keyword: Keyword): boolean {
    const token = this.peek();
    return token.kind === "keyword" && token.text === keyword;
  }

  private isSymbol(symbol: TokenSymbol): boolean {
    const token = this.peek();
    return token.kind === "symbol" && token.text === symbol;
  }

  private expectKeyword(keyword: Keyword, message: string): Token {
    if (!this.isKeyword(keyword)) {
      this.fail(this.peek(), `${message}, found ${describe(this.peek())}`);
    }
    return this.advance();
  }

  private expectSymbol(symbol: TokenSymbol, message: string): Token {
    if (!this.isSymbol(symbol)) {
      this.fail(this.peek(), `${message}, found ${describe(this.peek())}`);
    }
    return this.advance();
  }

  private fail(at: { readonly span: Span }, message: string): never {
    throw new SyntaxFailure({ code: "syntax_error", message, span: at.span });
  }
}
