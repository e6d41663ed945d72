/**
 * Prints the canonical text of a ruleset or expression: one layout, only the parentheses that
 * precedence needs, no comments. Parsing the printed text gives back the same tree (spans aside),
 * which the property tests check; stored rulesets and diffs rely on it.
 */
import { assert } from "./assert.ts";
import type { Expression, RuleAst, RulesetAst } from "./ast.ts";

/** Binding strength, loosest first: or < and < not < comparison < + - < * / < unary minus < atoms. */
function precedenceOf(expression: Expression): number {
  switch (expression.kind) {
    case "logical":
      return expression.operator === "or" ? 1 : 2;
    case "not":
      return 3;
    case "comparison":
    case "in":
      return 4;
    case "arithmetic":
      return expression.operator === "+" || expression.operator === "-" ? 5 : 6;
    case "negate":
      return 7;
    case "number":
      // A negative literal is written with a leading minus, so it binds like a negation.
      return expression.value < 0 ? 7 : 8;
    case "string":
    case "bool":
    case "list":
    case "field":
    case "call":
      return 8;
  }
}

/** Prints an operand, in parentheses when it binds more loosely than its position requires. */
function printOperand(expression: Expression, precedenceMin: number): string {
  const text = printExpression(expression);
  return precedenceOf(expression) < precedenceMin ? `(${text})` : text;
}

/**
 * Writes a number in plain decimal, never in exponent form (`1e+21`, `1e-7`), which the
 * language does not read. The digits are JavaScript's shortest round-trip digits, so reading
 * the text back gives exactly the same double.
 */
export function formatNumber(value: number): string {
  assert(Number.isFinite(value), "number literals are finite");
  const sign = value < 0 ? "-" : "";
  const text = String(Math.abs(value));
  const [mantissa = "", exponentText] = text.split("e");
  if (exponentText === undefined) {
    return `${sign}${text}`;
  }
  const [integerPart = "", fractionPart = ""] = mantissa.split(".");
  const digits = `${integerPart}${fractionPart}`;
  const pointIndex = integerPart.length + Number(exponentText);
  if (pointIndex <= 0) {
    return `${sign}0.${"0".repeat(-pointIndex)}${digits}`;
  }
  if (pointIndex >= digits.length) {
    return `${sign}${digits}${"0".repeat(pointIndex - digits.length)}`;
  }
  return `${sign}${digits.slice(0, pointIndex)}.${digits.slice(pointIndex)}`;
}

function quoteString(value: string): string {
  const escaped = value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
  return `"${escaped}"`;
}

export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case "number":
      return formatNumber(expression.value);
    case "string":
      return quoteString(expression.value);
    case "bool":
      return expression.value ? "true" : "false";
    case "list":
      return `[${expression.items.map(printExpression).join(", ")}]`;
    case "field":
      return expression.name;
    case "not":
      return `not ${printOperand(expression.operand, 3)}`;
    case "negate": {
      // `-5` reads back as the literal -5, not as `-` applied to 5, so a negated literal keeps
      // its parentheses; `-(-x)` is also clearer than `--x`.
      const operand = printOperand(expression.operand, 7);
      const isAmbiguous = expression.operand.kind === "number" || operand.startsWith("-");
      return isAmbiguous ? `-(${operand})` : `-${operand}`;
    }
    case "arithmetic": {
      const isAdditive = expression.operator === "+" || expression.operator === "-";
      const precedence = isAdditive ? 5 : 6;
      // Left-associative: an equal-strength operand on the right needs parentheses, on the left not.
      return `${printOperand(expression.left, precedence)} ${expression.operator} ${printOperand(expression.right, precedence + 1)}`;
    }
    case "comparison":
      // Comparisons do not chain, so both operands must bind tighter than a comparison.
      return `${printOperand(expression.left, 5)} ${expression.operator} ${printOperand(expression.right, 5)}`;
    case "in": {
      const operator = expression.isNegated ? "not in" : "in";
      return `${printOperand(expression.value, 5)} ${operator} ${printOperand(expression.list, 5)}`;
    }
    case "logical": {
      const precedence = expression.operator === "or" ? 1 : 2;
      return `${printOperand(expression.left, precedence)} ${expression.operator} ${printOperand(expression.right, precedence + 1)}`;
    }
    case "call":
      return `${expression.name}(${expression.arguments.map(printExpression).join(", ")})`;
  }
}

function printRule(rule: RuleAst): string {
  const consequences = [
    ...(rule.score === null ? [] : [`score ${formatNumber(rule.score)}`]),
    ...(rule.outcome === null ? [] : [rule.outcome]),
    `reason ${rule.reasonCode}`,
  ];
  return [
    `rule ${rule.id} ${quoteString(rule.message)}`,
    `  when ${printExpression(rule.condition)}`,
    `  then ${consequences.join(" ")}`,
  ].join("\n");
}

export function printRuleset(ruleset: RulesetAst): string {
  const blocks: string[] = [];
  if (ruleset.thresholds !== null) {
    const { step_up, hold, decline } = ruleset.thresholds;
    const declinePart = decline === null ? "" : ` decline ${formatNumber(decline)}`;
    blocks.push(`thresholds step_up ${formatNumber(step_up)} hold ${formatNumber(hold)}${declinePart}`);
  }
  blocks.push(...ruleset.rules.map(printRule));
  return `${blocks.join("\n\n")}\n`;
}
