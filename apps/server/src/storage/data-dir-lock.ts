/**
 * One process at a time on an embedded data directory. PGlite runs PostgreSQL inside the process
 * that opens it and takes no lock of its own. So a second server on the same directory, or
 * `mimamori train --data` beside a running one, would write the same files and corrupt the
 * database.
 *
 * The lock is a file in the directory naming its holder's process. A holder that died (a crash,
 * kill -9) leaves the file behind. The next opener sees that no such process is alive and takes
 * the lock over, so a restart after a crash needs no cleanup.
 */
import { mkdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";

export const dataDirLockFileName = "mimamori.lock";

export type DataDirLock = { release(): Promise<void> };

export type DataDirLockResult =
  | { ok: true; lock: DataDirLock }
  | { ok: false; code: "data_dir_in_use"; message: string };

type Holder = { pid: number; host: string };

/** Directories this process holds, so a second open from within it is refused too. */
const heldHere = new Set<string>();

export async function lockDataDir(dataDir: string): Promise<DataDirLockResult> {
  await mkdir(dataDir, { recursive: true });
  // The real path, so two names for one directory (a symbolic link) are one lock.
  const directory = await realpath(resolve(dataDir));
  const path = join(directory, dataDirLockFileName);
  if (heldHere.has(directory)) {
    return inUse(path, { pid: process.pid, host: hostname() });
  }
  const text = `${JSON.stringify({ pid: process.pid, host: hostname() } satisfies Holder)}\n`;
  // Two tries: the exclusive create, and once more after clearing a dead holder's file.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, text)) {
      heldHere.add(directory);
      return { ok: true, lock: { release: () => release(directory, path, text) } };
    }
    const holder = parseHolder(await readFile(path, "utf8").catch(() => ""));
    if (holder !== null && isAlive(holder.pid)) {
      return inUse(path, holder);
    }
    await rm(path, { force: true });
  }
  return {
    ok: false,
    code: "data_dir_in_use",
    message: `${directory} is being opened by another process at the same moment; try again`,
  };
}

/** True if this call created the file; false if it already existed. Other failures are outages. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: "wx" });
    return true;
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "EEXIST") {
      return false;
    }
    throw error;
  }
}

/** Removes the file only if it is still ours: never another opener's lock. */
async function release(directory: string, path: string, text: string): Promise<void> {
  heldHere.delete(directory);
  const current = await readFile(path, "utf8").catch(() => null);
  if (current === text) {
    await rm(path, { force: true });
  }
}

function inUse(path: string, holder: Holder): DataDirLockResult {
  if (holder.pid === process.pid) {
    return {
      ok: false,
      code: "data_dir_in_use",
      message: `${dirname(path)} is already open in this process`,
    };
  }
  return {
    ok: false,
    code: "data_dir_in_use",
    message:
      `${dirname(path)} is in use by process ${holder.pid} on ${holder.host}: stop it, or work on a ` +
      `copy of the directory (if that process is not mimamori, delete ${path})`,
  };
}

/** The holder a lock file names, or null for a file that is empty or damaged (a crash mid-write). */
function parseHolder(text: string): Holder | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "pid" in parsed && "host" in parsed) {
      const { pid, host } = parsed;
      return Number.isSafeInteger(pid) && typeof host === "string" ? { pid: pid as number, host } : null;
    }
  } catch {
    // Not JSON: a damaged file holds nothing.
  }
  return null;
}

/**
 * Whether a process with this id runs on this machine, as PostgreSQL checks its postmaster.pid:
 * the host in the file only helps the message. Our own id in the file is a previous life of this
 * process id (a container restarted with the same numbering), since a lock this process holds is
 * in `heldHere`. Signal 0 checks without signalling; EPERM means it exists under another user.
 */
function isAlive(pid: number): boolean {
  if (pid === process.pid || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
