/**
 * A closed-loop HTTP load generator, run in its own process so it does not share the server's
 * core: `connections` clients each send a request, wait for the answer, and send the next, for
 * `durationMs`. Every request has a unique id. Reports throughput and latency percentiles.
 */
import { Agent, request } from "node:http";

type Job = {
  port: number;
  /** Several servers (the scale-out bench): client c talks to ports[c % ports.length]. */
  ports?: number[];
  path: string;
  apiKey: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  runId: string;
  cardIds: string[];
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function makeBody(job: Job, n: number, nowMs: number): string {
  const cardId = job.cardIds[n % job.cardIds.length];
  const merchant = n % 7;
  return JSON.stringify({
    id: `${job.runId}-${n}`,
    card: { cardId },
    amount: { minor: 500 + ((n * 7919) % 20_000), currency: "JPY" },
    merchant: {
      id: `mer_bench_${merchant}`,
      name: `Bench shop ${merchant}`,
      mcc: "5411",
      country: "JP",
      terminalId: `t${merchant}`,
    },
    channel: "pos",
    occurredAt: `${new Date(nowMs + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`,
  });
}

async function run(job: Job): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  let sequence = 0;
  const startMs = Date.now();
  const measureFromMs = startMs + job.warmupMs;
  const endMs = measureFromMs + job.durationMs;
  const statuses: Record<string, number> = {};

  const one = (port: number): Promise<void> =>
    new Promise((resolve) => {
      const body = makeBody(job, sequence++, Date.now());
      const sentAt = performance.now();
      const sentAtMs = Date.now();
      const req = request(
        {
          agent,
          host: "127.0.0.1",
          port,
          path: job.path,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            authorization: `Bearer ${job.apiKey}`,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
            if (sentAtMs >= measureFromMs) {
              latencies.push(performance.now() - sentAt);
              completed++;
              if (res.statusCode !== 200) {
                errors++;
              }
            }
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const ports = job.ports ?? [job.port];
  const client = async (index: number): Promise<void> => {
    const port = ports[index % ports.length] ?? job.port;
    while (Date.now() < endMs) {
      await one(port);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, (_, index) => client(index)));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  process.send?.({
    requestsPerSec: completed / (job.durationMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    completed,
    errors,
    statuses,
  });
}

process.once("message", (job: Job) => {
  run(job).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
