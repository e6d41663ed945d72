import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { cardFixture } from "./contract/fixtures.ts";
import { dataDirLockFileName, lockDataDir } from "./data-dir-lock.ts";
import { openStore, StoreOpenError } from "./open-store.ts";

const work = mkdtempSync(join(tmpdir(), "mimamori-lock-"));
after(() => rmSync(work, { recursive: true, force: true }));

let directories = 0;
function freshDir(): string {
  directories++;
  return join(work, `data-${directories}`);
}

function writeLockFile(dataDir: string, text: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, dataDirLockFileName), text);
}

test("an embedded store's directory opens once at a time in this process, and again after close", async () => {
  const dataDir = freshDir();
  const first = await openStore({ kind: "pglite", dataDir, inWorker: true });
  try {
    await assert.rejects(openStore({ kind: "pglite", dataDir }), (error) => {
      assert.ok(error instanceof StoreOpenError);
      assert.equal(error.code, "data_dir_in_use");
      assert.equal(error.retryable, false);
      assert.match(error.message, /is already open in this process$/);
      return true;
    });
    // The refused open changed nothing: the first store still works.
    assert.deepEqual(await first.commit([[{ kind: "insertCard", card: cardFixture(1) }]]), { ok: true });
  } finally {
    await first.close();
  }
  assert.equal(existsSync(join(dataDir, dataDirLockFileName)), false, "close removes the lock file");
  const second = await openStore({ kind: "pglite", dataDir });
  try {
    assert.deepEqual(await second.getCard(cardFixture(1).id), cardFixture(1));
  } finally {
    await second.close();
  }
});

test("two names for one directory (a symbolic link) are one lock", async () => {
  const dataDir = freshDir();
  const taken = await lockDataDir(dataDir);
  assert.ok(taken.ok);
  const link = `${dataDir}-link`;
  symlinkSync(dataDir, link);
  const refused = await lockDataDir(link);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? "" : refused.message, /is already open in this process$/);
  await taken.lock.release();
});

test("a directory another live process holds is refused with its process id, and taken once it is gone", async () => {
  const dataDir = freshDir();
  const holder = spawn("sleep", ["60"], { stdio: "ignore" });
  try {
    const pid = holder.pid as number;
    writeLockFile(dataDir, `${JSON.stringify({ pid, host: "elsewhere" })}\n`);
    const refused = await lockDataDir(dataDir);
    assert.equal(refused.ok, false);
    assert.match(
      refused.ok ? "" : refused.message,
      new RegExp(`in use by process ${pid} on elsewhere: .*delete `),
    );
    assert.equal(
      readFileSync(join(dataDir, dataDirLockFileName), "utf8"),
      `${JSON.stringify({ pid, host: "elsewhere" })}\n`,
      "a refused opener leaves the holder's file alone",
    );
  } finally {
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
  }
  const taken = await lockDataDir(dataDir);
  assert.ok(taken.ok, "a killed holder's lock is taken over at once");
  assert.equal(JSON.parse(readFileSync(join(dataDir, dataDirLockFileName), "utf8")).pid, process.pid);
  await taken.lock.release();
});

test("a lock file left by a dead process, by an earlier life of this process id, or damaged, is taken over", async () => {
  const exited = spawnSync(process.execPath, ["-e", ""]);
  assert.equal(exited.status, 0);
  const stale = [
    `${JSON.stringify({ pid: exited.pid, host: "here" })}\n`,
    `${JSON.stringify({ pid: process.pid, host: "a restarted container" })}\n`,
    "",
    '{"pid": "1"',
  ];
  for (const text of stale) {
    const dataDir = freshDir();
    writeLockFile(dataDir, text);
    const taken = await lockDataDir(dataDir);
    assert.ok(taken.ok, JSON.stringify(text));
    await taken.lock.release();
    assert.equal(existsSync(join(dataDir, dataDirLockFileName)), false);
  }
});

test("releasing never removes a lock file that is no longer ours", async () => {
  const dataDir = freshDir();
  const taken = await lockDataDir(dataDir);
  assert.ok(taken.ok);
  const someoneElse = `${JSON.stringify({ pid: 1, host: "another opener" })}\n`;
  writeFileSync(join(dataDir, dataDirLockFileName), someoneElse);
  await taken.lock.release();
  assert.equal(readFileSync(join(dataDir, dataDirLockFileName), "utf8"), someoneElse);
});
