/**
 * Real `mimamori serve` processes for the tests that need several of them or kill one: a free
 * port, the child, its output, and a wait until it answers readiness.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const mimamoriBin = resolve(import.meta.dirname, "../bin/mimamori.mjs");

/** A cardholder in Tokyo, as the tests that enrol over HTTP register one. */
export const tokyoCardholder = {
  name: "山田 花子",
  phone: "+819012345678",
  email: "hanako@example.jp",
  language: "ja",
  timeZone: "Asia/Tokyo",
  homeCountry: "JP",
} as const;

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export type ServeProcess = {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  readonly exited: Promise<number | null>;
};

/**
 * Starts `mimamori serve` on a free port and resolves once /v1/ready answers 200; a worker,
 * which listens on no port, once it logs that it runs. readyWithinMs bounds the wait (about
 * 30 s unless given): a test that restarts the embedded store many times on a busy machine needs more.
 */
export async function startServeProcess(
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
  options: { readyWithinMs?: number } = {},
): Promise<ServeProcess> {
  const port = await freePort();
  const isWorker = args.join(" ").includes("--role worker");
  const child = spawn(
    process.execPath,
    [
      // Extra node flags for the children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a
      // bench run's API processes (node refuses --cpu-prof in NODE_OPTIONS).
      ...(process.env.MIMAMORI_SERVE_NODE_ARGS ?? "").split(" ").filter(Boolean),
      mimamoriBin,
      "serve",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      ...args,
    ],
    {
      env: { ...process.env, ...env, ...(isWorker ? { MIMAMORI_LOG_LEVEL: "info" } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const attempts = Math.ceil((options.readyWithinMs ?? 30_000) / 100);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const status = isWorker
      ? output.includes("mimamori worker running")
        ? 200
        : 0
      : await fetch(`${url}/v1/ready`).then(
          (response) => response.status,
          () => 0,
        );
    if (status === 200) {
      return { child, url, output: () => output, exited };
    }
    if (child.exitCode !== null) {
      break;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`mimamori serve did not become ready:\n${output}`);
}
