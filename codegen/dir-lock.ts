// One writer at a time per output directory. The lock is a file created atomically (a complete temp file
// hard-linked to the lock's name: link(2) fails if the name exists, and nobody ever reads half a lock),
// refreshed every second while held, and broken when its holder is gone: its process is dead (same host), or
// it has not been refreshed for STALE_MS. The second rule covers a PID reused by an unrelated process and a
// holder on another host, so a leftover lock delays a later run by at most STALE_MS and never blocks it.
import { randomBytes } from "node:crypto";
import { link, open, readFile, stat, unlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BREAK_LOCK_NAME, LOCK_NAME, tempName } from "./output-names.js";

const REFRESH_MS = 1_000;
const STALE_MS = 10_000;

interface Holder {
  pid: number;
  hostname: string;
  token: string;
}

/** The lock is held by a live run and did not come free in time. */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  constructor(readonly pid: number | undefined) {
    super(`locked by ${pid ?? "an unknown process"}`);
  }
}

export interface DirLock {
  release(): Promise<void>;
}

interface Seen {
  holder: Holder | undefined;
  mtimeMs: number;
}

async function readLock(file: string): Promise<Seen | undefined> {
  try {
    const [text, stats] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    let holder: Holder | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<Holder>;
      if (typeof parsed.pid === "number" && typeof parsed.hostname === "string" && typeof parsed.token === "string") holder = parsed as Holder;
    } catch {
      holder = undefined;
    }
    return { holder, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isStale(seen: Seen): boolean {
  if (Date.now() - seen.mtimeMs > STALE_MS) return true;
  return seen.holder !== undefined && seen.holder.hostname === os.hostname() && !isAlive(seen.holder.pid);
}

/** Removes the lock `seen` if it is still that same stale lock; under the break lock, so only one run does. */
async function breakStale(dir: string, seen: Seen): Promise<void> {
  const lockFile = path.join(dir, LOCK_NAME);
  const breakFile = path.join(dir, BREAK_LOCK_NAME);
  let handle;
  try {
    handle = await open(breakFile, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Someone else is breaking it; a break lock is held for microseconds, so an old one is a crash's leftover.
    const stats = await stat(breakFile).catch(() => undefined);
    if (stats && Date.now() - stats.mtimeMs > STALE_MS) await unlink(breakFile).catch(() => undefined);
    return;
  }
  try {
    const now = await readLock(lockFile);
    const same = now !== undefined && (now.holder?.token ?? now.mtimeMs) === (seen.holder?.token ?? seen.mtimeMs);
    if (same && isStale(now)) await unlink(lockFile).catch(() => undefined);
  } finally {
    await handle.close();
    await unlink(breakFile).catch(() => undefined);
  }
}

/**
 * Takes the lock of `dir`, waiting up to `timeoutMs` for a live holder. Errors creating files (a read-only
 * directory) are thrown as they are, before anything else happened.
 */
export async function lockDirectory(dir: string, timeoutMs: number): Promise<DirLock> {
  const lockFile = path.join(dir, LOCK_NAME);
  const me: Holder = { pid: process.pid, hostname: os.hostname(), token: randomBytes(8).toString("hex") };
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    const temp = path.join(dir, tempName(LOCK_NAME));
    await writeFile(temp, `${JSON.stringify(me)}\n`, { flag: "wx" });
    try {
      await link(temp, lockFile);
      return hold(lockFile, me);
    } catch (error) {
      // ENOENT: the holder cleaned up our temp file as a leftover; try again.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOENT") throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    const seen = await readLock(lockFile);
    if (seen && isStale(seen)) await breakStale(dir, seen);
    else if (seen && Date.now() >= deadline) throw new LockBusyError(seen.holder?.pid);
    // However the lock keeps changing hands, the wait is bounded.
    if (Date.now() >= deadline + STALE_MS) throw new LockBusyError(seen?.holder?.pid);
    await sleep(Math.min(100, 10 + attempt * 5) * (0.5 + Math.random()));
  }
}

function hold(lockFile: string, me: Holder): DirLock {
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(lockFile, now, now).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref();
  return {
    async release() {
      clearInterval(refresh);
      const seen = await readLock(lockFile).catch(() => undefined);
      if (seen?.holder?.token === me.token) await unlink(lockFile).catch(() => undefined);
    },
  };
}
