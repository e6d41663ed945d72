/**
 * The typed syntax tree of the rule language: one node kind per construct, each carrying the span
 * of text it came from, so every later pass (checker, explain, editor feedback) can point at it.
 * Parentheses leave no node: the printer puts back the ones precedence needs.
 */
import type { Outcome, Span, Thresholds } from "./api.ts";

export type NumberLiteral = { readonly kind: "number"; readonly value: number; readonly span: Span };
export type StringLiteral = { readonly kind: "string"; readonly value: string; readonly span: Span };
export type BoolLiteral = { readonly kind: "bool"; readonly value: boolean; readonly span: Span };

/** Items are literals, so a list is a constant the compiler turns into a set once. */
export type ListLiteral = {
  readonly kind: "list";
  readonly items: readonly (NumberLiteral | StringLiteral)[];
  readonly span: Span;
};

/** A feature of the snapshot, by its dotted name (`card.count1h`). */
export type FieldReference = { readonly kind: "field"; readonly name: string; readonly span: Span };

export type NotExpression = { readonly kind: "not"; readonly operand: Expression; readonly span: Span };
export type NegateExpression = { readonly kind: "negate"; readonly operand: Expression; readonly span: Span };

export type ArithmeticOperator = "+" | "-" | "*" | "/";
export type ArithmeticExpression = {
  readonly kind: "arithmetic";
  readonly operator: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
};

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type ComparisonExpression = {
  readonly kind: "comparison";
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
};

export type LogicalOperator = "and" | "or";
export type LogicalExpression = {
  readonly kind: "logical";
  readonly operator: LogicalOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
};

/** `value in list`, or `value not in list` when `isNegated`. */
export type InExpression = {
  readonly kind: "in";
  readonly value: Expression;
  readonly list: Expression;
  readonly isNegated: boolean;
  readonly span: Span;
};

export type CallExpression = {
  readonly kind: "call";
  readonly name: string;
  readonly arguments: readonly Expression[];
  readonly span: Span;
};

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BoolLiteral
  | ListLiteral
  | FieldReference
  | NotExpression
  | NegateExpression
  | ArithmeticExpression
  | ComparisonExpression
  | LogicalExpression
  | InExpression
  | CallExpression;

export type ThresholdsAst = Thresholds & { readonly kind: "thresholds"; readonly span: Span };

export type RuleAst = {
  readonly kind: "rule";
  readonly id: string;
  /** Where the id is written, so a duplicate id can be pointed at exactly. */
  readonly idSpan: Span;
  readonly message: string;
  readonly condition: Expression;
  /** Null when the rule only forces an outcome. */
  readonly score: number | null;
  /** Null when the rule only adds to the score. */
  readonly outcome: Outcome | null;
  readonly reasonCode: string;
  readonly span: Span;
};

export type RulesetAst = {
  readonly kind: "ruleset";
  /** Null when the text has no `thresholds` line and the defaults apply. */
  readonly thresholds: ThresholdsAst | null;
  readonly rules: readonly RuleAst[];
  readonly span: Span;
};

/** The direct sub-expressions of a node, in source order. List items count: they are nodes too. */
export function childrenOf(expression: Expression): readonly Expression[] {
  switch (expression.kind) {
    case "number":
    case "string":
    case "bool":
    case "field":
      return [];
    case "list":
      return expression.items;
    case "not":
    case "negate":
      return [expression.operand];
    case "arithmetic":
    case "comparison":
    case "logical":
      return [expression.left, expression.right];
    case "in":
      return [expression.value, expression.list];
    case "call":
      return expression.arguments;
  }
}

export type ExpressionSize = { readonly nodeCount: number; readonly depth: number };

/**
 * Counts nodes and the longest root-to-leaf path (a leaf has depth 1). It walks with an explicit
 * stack rather than recursion because it is what protects the recursive passes: it must not
 * overflow on a pathologically long chain like `1 + 1 + … + 1` before anyone has refused it.
 */
export function measureExpression(root: Expression): ExpressionSize {
  let nodeCount = 0;
  let depth = 0;
  const pending: { expression: Expression; depth: number }[] = [{ expression: root, depth: 1 }];
  for (let entry = pending.pop(); entry !== undefined; entry = pending.pop()) {
    nodeCount += 1;
    depth = Math.max(depth, entry.depth);
    for (const child of childrenOf(entry.expression)) {
      pending.push({ expression: child, depth: entry.depth + 1 });
    }
  }
  return { nodeCount, depth };
}

/**
 * The operands of a chain of the same logical operator, left to right: `a and (b and c) and d`
 * gives [a, b, c, d]. Regrouping does not change the meaning of `and` or `or`, and parentheses
 * leave no node, so a chain is one decision however it was written.
 */
export function chainOperands(chain: LogicalExpression): readonly Expression[] {
  const operands: Expression[] = [];
  const pending: Expression[] = [chain];
  for (let expression = pending.pop(); expression !== undefined; expression = pending.pop()) {
    if (expression.kind === "logical" && expression.operator === chain.operator) {
      pending.push(expression.right, expression.left);
    } else {
      operands.push(expression);
    }
  }
  return operands;
}
