/**
 * Explains why a rule fired: its condition evaluated in full (every operand, no short-circuit,
 * in the order written), each node with its printed text and value. Explanations are built only
 * for rules that fired, so this may allocate freely; it is also the plain reference evaluator
 * the property tests compare the compiled closures with.
 */
import type { ExplainNode, Snapshot } from "./api.ts";
import { assert } from "./assert.ts";
import { type ComparisonOperator, chainOperands, type Expression } from "./ast.ts";
import type { CompiledRule } from "./compile.ts";
import { arithmetic, functionTable, type Scalar } from "./functions.ts";
import { printExpression } from "./print.ts";

export function explainRule(rule: CompiledRule, snapshot: Snapshot): ExplainNode {
  return explainExpression(rule.ast.condition, snapshot);
}

function numberOf(node: ExplainNode): number {
  assert(typeof node.value === "number", `\`${node.text}\` is a number (checked)`);
  return node.value;
}

function stringOf(node: ExplainNode): string {
  assert(typeof node.value === "string", `\`${node.text}\` is a string (checked)`);
  return node.value;
}

function boolOf(node: ExplainNode): boolean {
  assert(typeof node.value === "boolean", `\`${node.text}\` is a bool (checked)`);
  return node.value;
}

function scalarOf(node: ExplainNode): Scalar {
  assert(!Array.isArray(node.value), `\`${node.text}\` is a scalar (checked)`);
  return node.value as Scalar;
}

function readField(snapshot: Snapshot, name: string): Scalar {
  const value = snapshot[name];
  assert(value !== undefined, `snapshot field \`${name}\` is missing`);
  assert(typeof value !== "number" || Number.isFinite(value), `snapshot field \`${name}\` must be finite`);
  return value;
}

function explainExpression(expression: Expression, snapshot: Snapshot): ExplainNode {
  const text = printExpression(expression);
  const explain = (child: Expression): ExplainNode => explainExpression(child, snapshot);
  switch (expression.kind) {
    case "number":
    case "string":
    case "bool":
      return { text, value: expression.value };
    case "list":
      return { text, value: expression.items.map((item) => item.value) };
    case "field":
      return { text, value: readField(snapshot, expression.name) };
    case "not": {
      const operand = explain(expression.operand);
      return { text, value: !boolOf(operand), children: [operand] };
    }
    case "negate": {
      const operand = explain(expression.operand);
      return { text, value: -numberOf(operand), children: [operand] };
    }
    case "arithmetic": {
      const left = explain(expression.left);
      const right = explain(expression.right);
      const value = arithmetic[expression.operator](numberOf(left), numberOf(right));
      return { text, value, children: [left, right] };
    }
    case "comparison": {
      const left = explain(expression.left);
      const right = explain(expression.right);
      return { text, value: compare(expression.operator, left, right), children: [left, right] };
    }
    case "in": {
      const value = explain(expression.value);
      const list = explain(expression.list);
      assert(Array.isArray(list.value), "the checker admits only lists after `in`");
      const isMember = (list.value as readonly Scalar[]).includes(scalarOf(value));
      return { text, value: isMember !== expression.isNegated, children: [value, list] };
    }
    case "logical": {
      // A chain is shown as one node with all its operands, the way an analyst reads it.
      const operands = chainOperands(expression).map(explain);
      const values = operands.map(boolOf);
      const value = expression.operator === "and" ? values.every(Boolean) : values.some(Boolean);
      return { text, value, children: operands };
    }
    case "call": {
      const callArguments = expression.arguments.map(explain);
      return { text, value: applyFunction(expression.name, callArguments), children: callArguments };
    }
  }
}

function compare(operator: ComparisonOperator, left: ExplainNode, right: ExplainNode): boolean {
  switch (operator) {
    case "==":
      return scalarOf(left) === scalarOf(right);
    case "!=":
      return scalarOf(left) !== scalarOf(right);
    case "<":
      return numberOf(left) < numberOf(right);
    case "<=":
      return numberOf(left) <= numberOf(right);
    case ">":
      return numberOf(left) > numberOf(right);
    case ">=":
      return numberOf(left) >= numberOf(right);
  }
}

function applyFunction(name: string, callArguments: readonly ExplainNode[]): Scalar {
  const spec = functionTable.get(name);
  assert(spec !== undefined, `the checker admits only known functions, not \`${name}\``);
  const [first, second, third] = callArguments;
  switch (spec.shape) {
    case "number_to_number":
      assert(first !== undefined, "argument count checked");
      return spec.apply(numberOf(first));
    case "numbers_to_number":
      assert(first !== undefined && second !== undefined, "argument count checked");
      return spec.apply(numberOf(first), numberOf(second));
    case "numbers_to_bool":
      assert(first !== undefined && second !== undefined && third !== undefined, "argument count checked");
      return spec.apply(numberOf(first), numberOf(second), numberOf(third));
    case "strings_to_bool":
      assert(first !== undefined && second !== undefined, "argument count checked");
      return spec.apply(stringOf(first), stringOf(second));
  }
}
