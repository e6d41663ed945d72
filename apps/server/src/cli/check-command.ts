/**
 * `mimamori check "<text | number | url>"`: the contact checker from the command line, with the
 * same registry, templates and cues the server uses (read from the same environment), so an
 * issuer's staff can answer a caller without the API. No store is opened: our records are only
 * consulted for a signed-in cardholder, through the API.
 */
import { InvalidConfigError, loadMessaging, UnsafeTemplatesError } from "../main.ts";
import { parseArgs } from "./args.ts";

export async function runCheck(args: readonly string[]): Promise<number> {
  const inputs = args.filter((arg, index) => !arg.startsWith("--") && !isOptionValue(args, index));
  const flags = args.filter((arg, index) => arg.startsWith("--") || isOptionValue(args, index));
  const parsed = parseArgs(flags, { values: ["lang", "from", "registry"], switches: ["json"] });
  if (!parsed.ok) {
    process.stderr.write(`error invalid_option: ${parsed.message}\n`);
    return 2;
  }
  const input = inputs.join(" ");
  if (input.trim() === "") {
    process.stderr.write(
      'error invalid_option: give the text, number or URL to check, e.g. mimamori check "0570-66-6910"\n',
    );
    return 2;
  }
  const lang = parsed.args.values.get("lang") ?? "ja";
  if (lang !== "ja" && lang !== "en") {
    process.stderr.write("error invalid_option: --lang must be ja or en\n");
    return 2;
  }
  const registryFile = parsed.args.values.get("registry");
  let messaging: Awaited<ReturnType<typeof loadMessaging>>;
  try {
    messaging = await loadMessaging(process.env, registryFile === undefined ? {} : { registryFile });
  } catch (error) {
    if (error instanceof InvalidConfigError || error instanceof UnsafeTemplatesError) {
      process.stderr.write(`error ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const result = messaging.checker.check({ text: input, from: parsed.args.values.get("from") ?? null }, lang);
  if (parsed.args.switches.has("json")) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const lines = [
      `${result.verdict.toUpperCase()} (${result.inputKind})`,
      ...result.reasons.map((reason) => `  [${reason.severity}] ${reason.code}: ${reason.message}`),
      ...result.advice.map((line) => `  → ${line}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return 0;
}

/** The argument after a value-taking flag is that flag's value, not part of the input. */
function isOptionValue(args: readonly string[], index: number): boolean {
  const previous = args[index - 1];
  return previous === "--lang" || previous === "--from" || previous === "--registry";
}
