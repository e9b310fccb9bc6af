/**
 * File system access of the driver's own records (state, audit, locks, reports) with the faults
 * a careless or hostile environment produces turned into clear refusals:
 * - every write goes to a temporary file that is removed again when the write fails, then a rename;
 * - EACCES, EROFS, ENOSPC, EDQUOT, EIO, ENOTDIR... become a DriverError (exit 9) naming the path
 *   and the fault instead of a stack trace;
 * - pseudo file systems (/proc, /sys, /dev) are refused before anything touches them (writes
 *   there can block for minutes);
 * - a state directory gets a `.gitignore` that ignores everything in it, so `git add -A` never
 *   stages the offline OTP seed or the driver's records.
 */
import * as fs from "fs";
import * as path from "path";
import { DriverError, ExitCode } from "../exitCodes";

/** Roots of kernel pseudo file systems: never a place for records or reports. */
export const PSEUDO_FS_ROOTS = ["/proc", "/sys", "/dev"];

const FAULTS: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EIO: "input/output error",
    ENOTDIR: "a part of the path is a file, not a directory",
    EISDIR: "is a directory",
    EMFILE: "too many open files",
    ENAMETOOLONG: "path too long",
    ELOOP: "too many symbolic links",
    EEXIST: "already exists",
    ENOENT: "no such file or directory",
};

/** A file system error as a refusal (exit 9) that names what was being done, the path and the fault. */
export function fsFault(error: unknown, doing: string, file: string): DriverError {
    if (error instanceof DriverError) return error;
    const code = (error as NodeJS.ErrnoException)?.code;
    const fault = code && FAULTS[code] ? `${FAULTS[code]} (${code})` : (error as Error)?.message ?? String(error);
    const fix = code === "ENOSPC" || code === "EDQUOT"
        ? "free some space and run again"
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
            ? "make it writable by this user, or pass another --state-dir"
            : "check the path, or pass another --state-dir";
    return new DriverError(ExitCode.StateProblem, `cannot ${doing} ${file}: ${fault}; ${fix}. Nothing was deployed by this run.`);
}

/** Refuses a path inside a kernel pseudo file system (exit 2), before any access. */
export function assertRealPath(file: string, what: string): void {
    const resolved = path.resolve(file);
    for (const root of PSEUDO_FS_ROOTS) {
        if (resolved === root || resolved.startsWith(root + path.sep)) {
            throw new DriverError(ExitCode.BadInput, `${what} ${resolved} is inside ${root}, a kernel pseudo file system: choose a directory on a real disk`);
        }
    }
}

/** Runs a file system action, turning its faults into refusals. */
export function guarded<T>(doing: string, file: string, action: () => T): T {
    try {
        return action();
    } catch (error) {
        throw fsFault(error, doing, file);
    }
}

/** Creates `dir` (and parents); faults become refusals. */
export function ensureDir(dir: string, mode = 0o700): void {
    guarded("create the directory", dir, () => fs.mkdirSync(dir, { recursive: true, mode }));
}

/** Text written to `<stateDir>/.gitignore`: git ignores the whole state directory. */
export const STATE_GITIGNORE = "# Written by the promotion driver: its state (audit log, OTP bookkeeping, the offline engine's\n# OTP seed) must never be committed.\n*\n";

/**
 * Makes sure the state directory exists, is on a real disk, and carries a `.gitignore` that
 * ignores everything in it (wherever it lies, inside a repository or not).
 */
export function prepareStateDir(stateDir: string): void {
    assertRealPath(stateDir, "state directory");
    ensureDir(stateDir);
    const ignore = path.join(stateDir, ".gitignore");
    if (!fs.existsSync(ignore)) writeFileAtomic(ignore, STATE_GITIGNORE, 0o644);
}

/**
 * Writes `text` to `file` through a temporary file and a rename: readers see the old or the new
 * file, never half of one; a failed write removes its temporary file (no `*.tmp` is left behind).
 */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
    ensureDir(path.dirname(file));
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, text, { mode });
        fs.chmodSync(temporary, mode);
        fs.renameSync(temporary, file);
    } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw fsFault(error, "write", file);
    }
}

/** Removes temporary files (`*.<pid>.tmp`) that a killed run left in `dir`, when their pid no longer runs. */
export function removeStaleTemporaries(dir: string, isAlive: (pid: number) => boolean): string[] {
    if (!fs.existsSync(dir)) return [];
    const removed: string[] = [];
    for (const name of fs.readdirSync(dir)) {
        const match = /\.(\d+)\.tmp$/.exec(name);
        if (!match || isAlive(Number(match[1]))) continue;
        fs.rmSync(path.join(dir, name), { force: true });
        removed.push(name);
    }
    return removed;
}

/** Reads a text file; a missing file is undefined, any other fault a refusal naming it. */
export function readTextIfExists(file: string, what: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EACCES" || code === "EPERM") {
            throw new DriverError(
                ExitCode.StateProblem,
                `${what} ${file} exists but cannot be read (${code}): it is not corrupt, do not remove it; give this user read access (or run as its owner) and run again`,
            );
        }
        throw fsFault(error, "read", file);
    }
}
