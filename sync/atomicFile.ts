/**
 * Small state files (OTP bookkeeping, peer cursors) replaced atomically: written to a temporary
 * file in the same directory, flushed to disk, renamed over the old one, and the directory
 * flushed, so a crash leaves either the old or the new content, never a torn one.
 */
import * as fs from "fs";
import * as path from "path";

export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
    const dir = path.dirname(file);
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
    const fd = fs.openSync(tmp, "w", mode);
    try {
        fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDirectory(dir);
}

/** Flushes a directory's entries (a rename or a new file) to disk. */
export function fsyncDirectory(dir: string): void {
    const fd = fs.openSync(dir, "r");
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

/** Parsed JSON of `file`, or undefined when it does not exist. */
export function readJsonFile<T>(file: string): T | undefined {
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}
