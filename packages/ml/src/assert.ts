/**
 * Assertions for the model package. The package imports nothing from the app (house rule 6.3.5),
 * so it keeps its own copy of the platform's helpers with the same meaning: a failed assertion
 * is a bug, never an expected outcome.
 */
export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new AssertionError(message);
  }
}
