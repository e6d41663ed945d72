/**
 * `mimamori <command>`: serve, simulate, replay, evaluate, train. Each command returns its exit code; errors are
 * printed as one line with a code, never a stack trace, unless they are bugs.
 */
import { StoreOpenError } from "../storage/index.ts";
import { runCheck } from "./check-command.ts";
import { runEvaluate } from "./evaluate-command.ts";
import { runImportLabels } from "./import-labels-command.ts";
import { runMigrate } from "./migrate-command.ts";
import { runReplay } from "./replay-command.ts";
import { runServe } from "./serve-command.ts";
import { runSimulate } from "./simulate-command.ts";
import { runSimulateSystem } from "./simulate-system-command.ts";
import { runTotp } from "./totp-command.ts";
import { runTrain } from "./train-command.ts";

const usage = `mimamori — issuer-side card fraud engine

Usage:
  mimamori serve [--port N] [--data DIR] [--host H] [--no-demo] [--role api|worker|all]
                 [--processes N|auto] [--database-url URL] [--redis-url URL]
      Runs the API (default port 8080, embedded store in ./data). PORT, MIMAMORI_DATA_DIR,
      MIMAMORI_API_KEY, MIMAMORI_PAN_HMAC_KEY and MIMAMORI_PAN_ENCRYPTION_KEY are read too.
      --role api serves HTTP only, worker runs the outbox and expiry scans only (default all);
      --processes forks API processes sharing the port and needs a database URL. SIGTERM or
      SIGINT drains in-flight requests before exiting; a second one exits at once.
  mimamori simulate --seed N --cardholders N --days N --out FILE
      Writes a seeded synthetic issuer history (NDJSON) with labelled fraud campaigns.
  mimamori simulate-system [--seed N] [--steps N] [--seeds K] [--data DIR]
      Runs the whole platform under a simulated clock, network, cardholders and faults, and
      checks its invariants after every step (npm run simulate). Without --seed a seed is drawn
      and printed; --seeds runs K seeds from it; --data uses the embedded store under DIR. A
      failure prints the invariant, the seed, the step and the command that replays it.
  mimamori replay --input FILE [--format csv|ndjson] [--data DIR] [--json]
                  [--id-column C] [--time-column C] [--card-column C] [--amount-column C]
                  [--currency-column C] [--merchant-column C] [--mcc-column C] [--country-column C]
                  [--channel-column C] [--label-column C] [--currency CUR] [--home-country CC]
                  [--time-zone TZ] [--channel CH] [--amount-is-major]
      Scores a history in time order through the engine and prints outcome counts and throughput.
  mimamori evaluate --input FILE --train-from DATE --train-to DATE --label-delay-days N
                    --test-from DATE --test-to DATE [--seed N] [--json] [--format csv|ndjson]
                    [--time-column C] [--card-column C] [--merchant-column C] [--amount-column C]
                    [--label-column C] [--mcc-column C] [--country-column C] [--channel-column C]
                    [--terminal-column C] [--device-column C] [--id-column C] [--currency CUR]
                    [--home-country-column C] [--time-zone-column C]
      Replays a labelled history (labels known N days after each payment), trains the fraud
      model on the training window and prints AUC, average precision and card precision@100 on
      the test window for the model, a logistic regression, a random forest, the default ruleset
      and the ruleset's score fed to the model. Dates are YYYY-MM-DD in UTC, both ends included.
  mimamori train --input FILE --train-from DATE --train-to DATE --label-delay-days N --out FILE
                 [--seed N] [--json] [--format csv|ndjson] [--…-column C as for evaluate]
      Replays a labelled history, trains the fraud model on the window's rows whose label is
      known by the window's end (the latest 20 % held out for validation) and writes the model
      artifact (trees, feature list, window, validation AUC and average precision) to FILE.
  mimamori train (--data DIR | --database-url URL) --train-from DATE --train-to DATE --out FILE
                 [--genuine-after-days N] [--seed N] [--json]
      Trains on the decisions recorded in the store, with the labels the loop and the issuer
      recorded (answers, case labels, chargebacks, imports), each counted from the time it became
      known; an approved payment undisputed for N days (default 45) trains as genuine. Stop the
      server before training on its embedded data directory.
  mimamori import-labels --input FILE (--data DIR | --database-url URL) [--source import|chargeback]
                 [--id-kind external|authorization] [--id-column C] [--label-column C]
                 [--known-at-column C] [--reference-column C] [--format csv|ndjson] [--json]
      Records a file of labels (fraud/genuine, true/false, 1/0) as POST /v1/labels does, each
      known at its knownAt (else now). Importing a file twice records nothing twice; exit 1 when
      some rows were rejected, with their codes counted.
  mimamori check [--json] [--lang ja|en] [--from SENDER] [--registry FILE] "<text | number | url>"
      Is this call, SMS, e-mail or URL really from us? Prints the verdict (official, suspicious,
      unknown), its reasons and advice. MIMAMORI_CONTACT_REGISTRY_FILE and the template settings
      are read as serve reads them.
  mimamori migrate [--database-url URL]
      Applies pending migrations to a PostgreSQL database (MIMAMORI_DATABASE_URL when the flag
      is absent) and prints the names applied, or "up to date".
  mimamori totp <secret>
      Prints the six-digit code an authenticator app shows now for a base32 secret: for trying
      the demo sign-ins without a phone. Never use it for a real account.
`;

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    return await runCommand(argv);
  } catch (error) {
    // A store that cannot be opened (down, misnamed, in use by another process) is the
    // operator's to fix, not a bug: one coded line, no stack trace. A malformed URL is a usage error.
    if (error instanceof StoreOpenError) {
      process.stderr.write(`error ${error.code}: ${error.message}\n`);
      return error.code === "invalid_database_url" ? 2 : 1;
    }
    throw error;
  }
}

async function runCommand(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return runServe(rest);
    case "simulate":
      return runSimulate(rest);
    case "simulate-system":
      return runSimulateSystem(rest);
    case "replay":
      return runReplay(rest);
    case "evaluate":
      return runEvaluate(rest);
    case "train":
      return runTrain(rest);
    case "import-labels":
      return runImportLabels(rest);
    case "check":
      return runCheck(rest);
    case "totp":
      return runTotp(rest);
    case "migrate":
      return runMigrate(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`error unknown_command: ${command}\n\n${usage}`);
      return 2;
  }
}
