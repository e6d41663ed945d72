import { assert } from "../platform/assert.ts";

/**
 * JSON with sorted keys and no whitespace, so equal values always give equal bytes and the audit
 * hash does not depend on how a payload was built. Keys sort by UTF-16 code units and numbers print
 * as ECMAScript does, which is what RFC 8785 (JCS) prescribes. Anything JSON cannot carry exactly
 * (undefined, functions, NaN, Infinity, class instances such as Date) is a bug in the caller, so it
 * fails an assertion instead of being dropped or converted silently.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      assert(Number.isFinite(value), "canonical JSON has no NaN or Infinity");
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      return value === null ? "null" : canonicalContainer(value);
    default:
      assert(false, `canonical JSON cannot encode a ${typeof value}`);
  }
}

function canonicalContainer(value: object): string {
  if (Array.isArray(value)) {
    // An index loop, not map(): a hole reads as undefined and is refused like any other undefined.
    const items: string[] = [];
    for (let index = 0; index < value.length; index++) {
      items.push(canonicalJson(value[index]));
    }
    return `[${items.join(",")}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  assert(prototype === Object.prototype || prototype === null, "canonical JSON encodes plain objects only");
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}
