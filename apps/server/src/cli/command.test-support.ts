/**
 * Test support for the command tests: a command run in this process with its output captured,
 * and stderr a pipe rather than a terminal, so a progress bar prints lines instead of redrawing.
 */
import type { CommandOutput } from "./labelled-history.ts";

export type Captured = { code: number; stdout: string; stderr: string };

export async function runCaptured(
  run: (argv: readonly string[], output: CommandOutput) => Promise<number>,
  args: readonly string[],
): Promise<Captured> {
  const captured = { stdout: "", stderr: "" };
  const stderr = {
    isTTY: false,
    write(text: string) {
      captured.stderr += text;
      return true;
    },
  };
  const code = await run(args, {
    stdout: { write: (text: string) => (captured.stdout += text) },
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  return { code, ...captured };
}
