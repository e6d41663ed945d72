/** Expected outcomes travel as values with a stable snake_case code; only bugs and outages throw. */
export type Ok<T> = { ok: true; value: T };
export type Err<C extends string, D = undefined> = D extends undefined
  ? { ok: false; code: C; message: string }
  : { ok: false; code: C; message: string; details: D };
export type Result<T, C extends string> = Ok<T> | { ok: false; code: C; message: string };

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<C extends string>(code: C, message: string): { ok: false; code: C; message: string } {
  return { ok: false, code, message };
}
