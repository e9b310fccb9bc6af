/**
 * Detached background processes (they outlive the command that starts them), recognised
 * again later by pid plus start time and command line (so a reused pid is not mistaken for
 * ours), their resident memory, and stopping them (SIGTERM, then SIGKILL after a grace
 * period). Linux only: it reads /proc.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import { ProcessRecord } from "./types";

/** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined when there is no such process. */
export function processStartTicks(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields[0] is field 3 (state), so field 22 is fields[19].
        if (fields[0] === "Z") return undefined; // a zombie is not running
        return Number(fields[19]);
    } catch {
        return undefined;
    }
}

function commandLine(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((s) => s.length > 0);
    } catch {
        return [];
    }
}

/** The recorded process is alive and is still the one we started (same start time and binary). */
export function isRunning(record: ProcessRecord | undefined): boolean {
    if (!record || !Number.isInteger(record.pid) || record.pid <= 1) return false;
    const ticks = processStartTicks(record.pid);
    if (ticks === undefined || ticks !== record.startTicks) return false;
    const argv = commandLine(record.pid);
    return argv.length > 0 && argv[0] === record.binary;
}

/** Resident memory of a process in bytes (VmRSS), 0 when it is gone. */
export function rssBytes(pid: number): number {
    try {
        const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

/**
 * Starts `binary args` in its own session (so a terminal's Ctrl-C or the end of the calling
 * command does not reach it), stdout and stderr appended to `logFile`, and returns its record.
 */
export function spawnDetached(binary: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): ProcessRecord {
    const fd = fs.openSync(logFile, "a", 0o600);
    try {
        fs.writeSync(fd, `\n== ${new Date().toISOString()} starting: ${binary} ${args.join(" ")}\n`);
        const child = spawn(binary, args, { detached: true, stdio: ["ignore", fd, fd], env });
        if (child.pid === undefined) throw new Error(`cannot start ${binary}`);
        child.unref();
        const ticks = processStartTicks(child.pid);
        return { pid: child.pid, startTicks: ticks ?? -1, binary, args, logFile, startedAt: new Date().toISOString() };
    } finally {
        fs.closeSync(fd);
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the recorded processes that are still ours: SIGTERM, then SIGKILL for those alive
 * after `graceMs`. Returns how many were signalled; processes that are gone are skipped.
 */
export async function terminate(records: ProcessRecord[], graceMs = 10_000): Promise<{ signalled: number; killed: number }> {
    const alive = records.filter(isRunning);
    for (const r of alive) {
        try {
            process.kill(r.pid, "SIGTERM");
        } catch {
            /* gone meanwhile */
        }
    }
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && alive.some(isRunning)) await sleep(100);
    let killed = 0;
    for (const r of alive.filter(isRunning)) {
        try {
            process.kill(r.pid, "SIGKILL");
            killed++;
        } catch {
            /* gone meanwhile */
        }
    }
    const killDeadline = Date.now() + 5_000;
    while (Date.now() < killDeadline && alive.some(isRunning)) await sleep(50);
    return { signalled: alive.length, killed };
}

/** `n` distinct free TCP ports on 127.0.0.1 (held open together while chosen, then released). */
export async function freeLoopbackPorts(n: number, avoid: ReadonlySet<number> = new Set()): Promise<number[]> {
    const servers: net.Server[] = [];
    const ports: number[] = [];
    try {
        while (ports.length < n) {
            const server = net.createServer();
            await new Promise<void>((resolve, reject) => {
                server.once("error", reject);
                server.listen(0, "127.0.0.1", () => resolve());
            });
            servers.push(server);
            const port = (server.address() as net.AddressInfo).port;
            if (!avoid.has(port)) ports.push(port);
        }
    } finally {
        await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    }
    return ports;
}

/** The port can be bound on 127.0.0.1 right now. */
export async function portIsFree(port: number): Promise<boolean> {
    const server = net.createServer();
    return new Promise((resolve) => {
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

/** The last `lines` lines of a log file (for error messages). */
export function tail(file: string, lines = 15): string {
    try {
        const text = fs.readFileSync(file, "utf8");
        return text.trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}
