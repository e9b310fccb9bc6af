/**
 * One promotion per stack at a time: `<state-dir>/locks/<stack>.lock`, holding the holder's pid,
 * host and start time. It is written whole to a temporary file first and then linked into place
 * (link fails when the lock exists), so a lock file is never empty or half-written, even when the
 * disk is full; a failed attempt removes its temporary file. A lock whose pid no longer runs
 * on this host is stale and taken over. For the pulumi engine, Pulumi's own stack lock applies too.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DriverError, ExitCode } from "../exitCodes";
import { fsFault } from "./safeFs";
import { assertStackName } from "./stackState";

export interface LockHolder {
    pid: number;
    host: string;
    since: string;
    command: string;
}

export interface StackLock {
    holder: LockHolder;
    /** Set when a stale lock of a dead process was taken over. */
    tookOverFrom?: LockHolder;
    release(): void;
}

export function lockFile(stateDir: string, stack: string): string {
    assertStackName(stack);
    return path.join(stateDir, "locks", `${stack}.lock`);
}

export function isProcessAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        // EPERM: the process exists but belongs to someone else.
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

export function readLockHolder(stateDir: string, stack: string): LockHolder | undefined {
    try {
        return JSON.parse(fs.readFileSync(lockFile(stateDir, stack), "utf8")) as LockHolder;
    } catch {
        return undefined;
    }
}

export function acquireStackLock(stateDir: string, stack: string, command: string, now: Date = new Date()): StackLock {
    const file = lockFile(stateDir, stack);
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (e) {
        throw fsFault(e, "create the lock directory", path.dirname(file));
    }
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: now.toISOString(), command };
    let tookOverFrom: LockHolder | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
        if (placeLock(file, holder)) {
            let released = false;
            return {
                holder,
                tookOverFrom,
                release() {
                    if (released) return;
                    released = true;
                    // Only remove our own lock (a stale-lock takeover elsewhere must not be undone).
                    const current = readLockHolder(stateDir, stack);
                    if (current && current.pid === holder.pid && current.since === holder.since) fs.rmSync(file, { force: true });
                },
            };
        }
        const existing = readLockHolder(stateDir, stack);
        if (existing && (existing.host !== os.hostname() || isProcessAlive(existing.pid))) {
            throw new DriverError(
                ExitCode.Locked,
                `stack ${stack} is locked by another promotion: pid ${existing.pid} on ${existing.host} since ${existing.since}` +
                    ` ("${existing.command}"). Wait for it to finish; if that process is gone, remove ${file}.`,
            );
        }
        // Dead holder, or a file that holds no lock (empty or garbage: locks are never written in
        // place, so no live writer can be behind it): take the lock over.
        tookOverFrom = existing;
        fs.rmSync(file, { force: true });
    }
    throw new DriverError(ExitCode.Locked, `stack ${stack}: could not take the lock ${file} (another run keeps taking it)`);
}

/** Writes the holder to a temporary file and links it to `file`: true when placed, false when a lock exists. */
function placeLock(file: string, holder: LockHolder): boolean {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, JSON.stringify(holder) + "\n", { mode: 0o600 });
        fs.linkSync(temporary, file);
        return true;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw fsFault(e, "write the lock", file);
    } finally {
        fs.rmSync(temporary, { force: true });
    }
}

