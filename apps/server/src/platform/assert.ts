/** A broken invariant: a bug, never an expected outcome. The edge answers 500 and logs it. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new AssertionError(message);
  }
}

export function assertNever(value: never): never {
  throw new AssertionError(`unexpected value: ${JSON.stringify(value)}`);
}
