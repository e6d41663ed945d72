/**
 * The type checker: rejects, at save time, every ruleset that could misbehave at run time. It
 * collects all errors rather than stopping at the first, and reports a node's own result type
 * even when its operands are wrong, so one mistake does not cascade into a screen of errors.
 */
import type { Diagnostic, FieldSchema, Span, StructureLimits, ValueType } from "./api.ts";
import { assert } from "./assert.ts";
import { type Expression, measureExpression, type RuleAst, type RulesetAst } from "./ast.ts";
import { functionShapes, functionTable } from "./functions.ts";
import { expressionDepthCeiling } from "./parser.ts";
import { printExpression } from "./print.ts";

/** Typos further than this from every known name get no suggestion: it would be a guess. */
const suggestionDistanceMax = 2;

export function checkRuleset(
  ast: RulesetAst,
  schema: FieldSchema,
  limits: StructureLimits,
): readonly Diagnostic[] {
  assert(Number.isInteger(limits.rulesMax) && limits.rulesMax >= 1, "rulesMax is a positive integer");
  assert(
    Number.isInteger(limits.nodesPerRuleMax) && limits.nodesPerRuleMax >= 1,
    "nodesPerRuleMax is positive",
  );
  assert(Number.isInteger(limits.depthMax) && limits.depthMax >= 1, "depthMax is a positive integer");
  assert(limits.depthMax <= expressionDepthCeiling, "depthMax must not exceed what the parser admits");
  const diagnostics: Diagnostic[] = [];
  checkStructure(ast, limits, diagnostics);
  const typeChecker = new TypeChecker(schema, diagnostics);
  for (const rule of ast.rules) {
    const type = typeChecker.typeOf(rule.condition);
    if (type !== null && type !== "bool") {
      diagnostics.push({
        code: "type_mismatch",
        message: `the condition of rule \`${rule.id}\` must be true or false (bool), but it is ${describeType(type)}`,
        span: rule.condition.span,
      });
    }
  }
  return diagnostics.sort((first, second) => first.span.start.offset - second.span.start.offset);
}

function checkStructure(ast: RulesetAst, limits: StructureLimits, diagnostics: Diagnostic[]): void {
  if (ast.rules.length === 0) {
    diagnostics.push({ code: "empty_ruleset", message: "a ruleset needs at least one rule", span: ast.span });
  }
  const firstExtraRule = ast.rules[limits.rulesMax];
  if (firstExtraRule !== undefined) {
    diagnostics.push({
      code: "too_many_rules",
      message: `the ruleset has ${ast.rules.length} rules; at most ${limits.rulesMax} are allowed`,
      span: firstExtraRule.span,
    });
  }
  if (ast.thresholds !== null) {
    const message = thresholdsProblem(ast.thresholds);
    if (message !== null) {
      diagnostics.push({ code: "invalid_thresholds", message, span: ast.thresholds.span });
    }
  }
  const rulesById = new Map<string, RuleAst>();
  for (const rule of ast.rules) {
    const earlier = rulesById.get(rule.id);
    if (earlier === undefined) {
      rulesById.set(rule.id, rule);
    } else {
      diagnostics.push({
        code: "duplicate_rule_id",
        message: `rule id \`${rule.id}\` is already used by the rule on line ${earlier.idSpan.start.line}`,
        span: rule.idSpan,
      });
    }
    const size = measureExpression(rule.condition);
    if (size.nodeCount > limits.nodesPerRuleMax) {
      diagnostics.push({
        code: "rule_too_large",
        message: `the condition of rule \`${rule.id}\` has ${size.nodeCount} nodes; at most ${limits.nodesPerRuleMax} are allowed`,
        span: rule.condition.span,
      });
    }
    if (size.depth > limits.depthMax) {
      diagnostics.push({
        code: "rule_too_deep",
        message: `the condition of rule \`${rule.id}\` nests ${size.depth} levels deep; at most ${limits.depthMax} are allowed`,
        span: rule.condition.span,
      });
    }
  }
}

function thresholdsProblem(thresholds: {
  step_up: number;
  hold: number;
  decline: number | null;
}): string | null {
  const { step_up, hold, decline } = thresholds;
  const found = `found step_up ${step_up} hold ${hold}${decline === null ? "" : ` decline ${decline}`}`;
  const isInRange = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 100;
  if (!isInRange(step_up) || !isInRange(hold) || (decline !== null && !isInRange(decline))) {
    return `thresholds are whole numbers from 0 to 100; ${found}`;
  }
  if (step_up > hold || (decline !== null && hold > decline)) {
    return `thresholds must satisfy step_up ≤ hold ≤ decline; ${found}`;
  }
  return null;
}

function describeType(type: ValueType): string {
  switch (type) {
    case "number":
    case "string":
      return `a ${type}`;
    case "bool":
      return "a bool";
    case "list<number>":
      return "a list of numbers";
    case "list<string>":
      return "a list of strings";
  }
}

/**
 * Edit distance counting an adjacent swap as one edit (optimal string alignment), since swapped
 * letters are the commonest typo in a field name.
 */
export function editDistance(source: string, target: string): number {
  // distances[i][j] is the distance between the first i characters of source and the first j of target.
  const distances: number[][] = [];
  const at = (row: number, column: number): number => distances[row]?.[column] ?? 0;
  for (let row = 0; row <= source.length; row += 1) {
    const current: number[] = [];
    distances.push(current);
    for (let column = 0; column <= target.length; column += 1) {
      if (row === 0 || column === 0) {
        current.push(row + column);
        continue;
      }
      const substitution = source[row - 1] === target[column - 1] ? 0 : 1;
      let distance = Math.min(
        at(row - 1, column) + 1,
        at(row, column - 1) + 1,
        at(row - 1, column - 1) + substitution,
      );
      const isSwap =
        row > 1 &&
        column > 1 &&
        source[row - 1] === target[column - 2] &&
        source[row - 2] === target[column - 1];
      if (isSwap) {
        distance = Math.min(distance, at(row - 2, column - 2) + 1);
      }
      current.push(distance);
    }
  }
  return at(source.length, target.length);
}

/** The closest known name within the suggestion distance; ties go to the alphabetically first. */
export function suggestName(name: string, knownNames: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = suggestionDistanceMax + 1;
  for (const candidate of [...knownNames].sort()) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function didYouMean(suggestion: string | null): string {
  return suggestion === null ? "" : `; did you mean \`${suggestion}\`?`;
}

class TypeChecker {
  private readonly schema: FieldSchema;
  private readonly diagnostics: Diagnostic[];

  constructor(schema: FieldSchema, diagnostics: Diagnostic[]) {
    this.schema = schema;
    this.diagnostics = diagnostics;
  }

  /** The type of an expression, or null when it has none because of an error already reported. */
  typeOf(expression: Expression): ValueType | null {
    switch (expression.kind) {
      case "number":
      case "string":
      case "bool":
        return expression.kind;
      case "list":
        return this.typeOfList(expression.items);
      case "field": {
        const type = Object.hasOwn(this.schema, expression.name) ? this.schema[expression.name] : undefined;
        if (type === undefined) {
          const suggestion = suggestName(expression.name, Object.keys(this.schema));
          this.report(
            "unknown_field",
            expression.span,
            `unknown field \`${expression.name}\`${didYouMean(suggestion)}`,
          );
          return null;
        }
        return type;
      }
      case "not":
        this.expectType(expression.operand, "bool", "`not` needs");
        return "bool";
      case "negate":
        this.expectType(expression.operand, "number", "`-` needs");
        return "number";
      case "arithmetic":
        this.expectType(expression.left, "number", `\`${expression.operator}\` needs`);
        this.expectType(expression.right, "number", `\`${expression.operator}\` needs`);
        return "number";
      case "logical":
        this.expectType(expression.left, "bool", `\`${expression.operator}\` needs`);
        this.expectType(expression.right, "bool", `\`${expression.operator}\` needs`);
        return "bool";
      case "comparison":
        if (expression.operator === "==" || expression.operator === "!=") {
          this.checkEquality(expression.operator, expression.left, expression.right, expression.span);
        } else {
          this.expectType(expression.left, "number", `\`${expression.operator}\` needs`);
          this.expectType(expression.right, "number", `\`${expression.operator}\` needs`);
        }
        return "bool";
      case "in":
        this.checkIn(expression.value, expression.list);
        return "bool";
      case "call":
        return this.typeOfCall(expression.name, expression.arguments, expression.span);
    }
  }

  private typeOfList(items: readonly Expression[]): ValueType | null {
    const [first, ...rest] = items;
    assert(first !== undefined, "the parser admits only non-empty lists");
    const itemType = first.kind === "number" ? "number" : "string";
    for (const item of rest) {
      if (item.kind !== first.kind) {
        this.report(
          "type_mismatch",
          item.span,
          `a list holds items of one type, but this item is ${describeType(item.kind === "number" ? "number" : "string")} and the first is ${describeType(itemType)}`,
        );
        return null;
      }
    }
    return itemType === "number" ? "list<number>" : "list<string>";
  }

  /** Checks an operand against the type its operator needs; `needs` starts the message. */
  private expectType(operand: Expression, expected: ValueType, needs: string): void {
    const actual = this.typeOf(operand);
    if (actual !== null && actual !== expected) {
      this.report(
        "type_mismatch",
        operand.span,
        `${needs} ${describeType(expected)} here, but \`${printExpression(operand)}\` is ${describeType(actual)}`,
      );
    }
  }

  private checkEquality(operator: "==" | "!=", left: Expression, right: Expression, span: Span): void {
    const leftType = this.typeOf(left);
    const rightType = this.typeOf(right);
    if (leftType === null || rightType === null) {
      return;
    }
    if (leftType.startsWith("list") || rightType.startsWith("list")) {
      this.report(
        "type_mismatch",
        span,
        `\`${operator}\` compares numbers, strings or bools, not lists; use \`in\``,
      );
    } else if (leftType !== rightType) {
      this.report(
        "type_mismatch",
        span,
        `\`${operator}\` compares values of the same type, but the left side is ${describeType(leftType)} and the right side is ${describeType(rightType)}`,
      );
    }
  }

  private checkIn(value: Expression, list: Expression): void {
    const valueType = this.typeOf(value);
    const listType = this.typeOf(list);
    if (valueType === "bool" || valueType === "list<number>" || valueType === "list<string>") {
      this.report(
        "type_mismatch",
        value.span,
        `\`in\` looks up a number or a string, but this is ${describeType(valueType)}`,
      );
      return;
    }
    if (listType === null) {
      return;
    }
    if (listType !== "list<number>" && listType !== "list<string>") {
      this.report(
        "type_mismatch",
        list.span,
        `\`in\` needs a list on its right, like ["a", "b"], not ${describeType(listType)}`,
      );
      return;
    }
    if (valueType !== null && listType !== `list<${valueType}>`) {
      this.report(
        "type_mismatch",
        list.span,
        `\`${printExpression(value)}\` is ${describeType(valueType)}, so \`in\` needs a list of ${valueType}s, but this is ${describeType(listType)}`,
      );
    }
  }

  private typeOfCall(name: string, callArguments: readonly Expression[], span: Span): ValueType | null {
    const spec = functionTable.get(name);
    if (spec === undefined) {
      for (const argument of callArguments) {
        this.typeOf(argument);
      }
      const suggestion = suggestName(name, functionTable.keys());
      this.report("unknown_function", span, `unknown function \`${name}\`${didYouMean(suggestion)}`);
      return null;
    }
    const { parameterTypes, resultType } = functionShapes[spec.shape];
    if (callArguments.length !== parameterTypes.length) {
      for (const argument of callArguments) {
        this.typeOf(argument);
      }
      this.report(
        "wrong_argument_count",
        span,
        `\`${name}\` takes ${parameterTypes.length} argument${parameterTypes.length === 1 ? "" : "s"}, found ${callArguments.length}`,
      );
      return resultType;
    }
    parameterTypes.forEach((parameterType, index) => {
      const argument = callArguments[index];
      assert(argument !== undefined, "the argument count was checked above");
      this.expectType(argument, parameterType, `argument ${index + 1} of \`${name}\` needs`);
    });
    return resultType;
  }

  private report(code: Diagnostic["code"], span: Span, message: string): void {
    this.diagnostics.push({ code, message, span });
  }
}
