/** A small flag parser: `--name value` pairs and bare `--switch`es, with coded errors. */
export type ParsedArgs = { values: Map<string, string>; switches: Set<string> };

export function parseArgs(
  args: readonly string[],
  spec: { values: readonly string[]; switches?: readonly string[] },
): { ok: true; args: ParsedArgs } | { ok: false; message: string } {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const name = arg.startsWith("--") ? arg.slice(2) : null;
    if (name !== null && spec.switches?.includes(name) === true) {
      switches.add(name);
    } else if (name !== null && spec.values.includes(name)) {
      const value = args[i + 1];
      if (value === undefined) {
        return { ok: false, message: `--${name} needs a value` };
      }
      values.set(name, value);
      i++;
    } else {
      return { ok: false, message: `unknown option ${arg}` };
    }
  }
  return { ok: true, args: { values, switches } };
}

export function integerArg(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | string {
  const text = args.values.get(name);
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return `--${name} must be an integer from ${min} to ${max}`;
  }
  return value;
}
