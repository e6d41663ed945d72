/**
 * Text in a request is well-formed Unicode. JSON can spell a lone UTF-16 surrogate (`"\ud800"`),
 * which is no character at all. The memory store would keep it as it came, but PostgreSQL stores
 * it as U+FFFD, so the two stores disagree about what was saved, and an authenticator's URI or a
 * message cannot encode it. Refused at the edge like any other malformed input (found by the
 * fuzz suite).
 */

/** An unpaired surrogate: in a `u` regular expression a well-formed pair is one code point outside this range. */
const loneSurrogate = /[\ud800-\udfff]/u;

/**
 * The JSON pointer of the first string in `value` (keys included) that holds a lone surrogate,
 * or null when all text is well-formed. Every request body passes through here, so the common
 * case walks without building paths, and only a body that fails is walked again for its
 * pointer. Both walks keep their own stack, so a deeply nested body that JSON.parse accepted
 * cannot overflow the call stack here.
 */
export function findMalformedText(value: unknown): string | null {
  return hasMalformedText(value) ? pointerOfMalformedText(value) : null;
}

function hasMalformedText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (loneSurrogate.test(next)) {
        return true;
      }
    } else if (typeof next === "object" && next !== null) {
      for (const key of Object.keys(next)) {
        if (loneSurrogate.test(key)) {
          return true;
        }
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function pointerOfMalformedText(value: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (pending.length > 0) {
    const next = pending.pop() as { value: unknown; path: string };
    if (typeof next.value === "string") {
      if (loneSurrogate.test(next.value)) {
        return next.path;
      }
    } else if (typeof next.value === "object" && next.value !== null) {
      for (const [key, child] of Object.entries(next.value)) {
        const path = `${next.path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        if (loneSurrogate.test(key)) {
          return path;
        }
        pending.push({ value: child, path });
      }
    }
  }
  return null;
}
