/**
 * Parent side of the offline runner: forks one child per stack run, sends the request, waits
 * for the reply. The child runs compiled JavaScript when this module is compiled (dist/), and
 * the TypeScript sources through ts-node otherwise (slower, for development only).
 */
import { ChildProcess, fork } from "child_process";
import * as path from "path";
import { RunnerReply, RunnerRequest } from "./runnerProtocol";

export interface RunnerOptions {
    /** Module the child runs; default: offlineRunner next to this file (.js compiled, .ts from sources). */
    runnerPath?: string;
    /** Node flags of the child; default: none compiled, ts-node's transpile-only hook from sources. */
    execArgv?: string[];
    /** Kill the child after this long (default 5 minutes). */
    timeoutMs?: number;
    /** Working directory of the child (the project directory). */
    cwd?: string;
}

export function defaultRunnerPath(): string {
    return path.join(__dirname, `offlineRunner${path.extname(__filename)}`);
}

function defaultExecArgv(runnerPath: string): string[] {
    return runnerPath.endsWith(".ts") ? ["-r", "ts-node/register/transpile-only"] : [];
}

/** A forked runner that loads the SDK while the parent prepares the request. */
export interface StartedRunner {
    /** Sends the request; resolves with the reply. Never rejects: failures come back as `ok: false`. */
    run(request: RunnerRequest): Promise<RunnerReply>;
    /** Ends the child without a request (the parent found a problem first). */
    cancel(): void;
}

function watch(child: ChildProcess, runnerPath: string, timeoutMs: number): Promise<RunnerReply> {
    return new Promise((resolve) => {
        let reply: RunnerReply | undefined;
        let stderr = "";
        child.stderr!.on("data", (chunk) => {
            // Keep the tail only: enough to explain a crash.
            stderr = (stderr + chunk.toString()).slice(-4000);
        });
        child.stdout!.resume();
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("message", (message) => {
            reply = message as RunnerReply;
        });
        child.on("error", (error) => {
            clearTimeout(timer);
            resolve({ ok: false, error: `offline runner could not start (${runnerPath}): ${error.message}`, maxRssKb: 0 });
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            if (reply) {
                resolve(reply);
                return;
            }
            const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            const tail = stderr.trim() ? `: ${stderr.trim().split("\n").slice(-5).join(" | ")}` : "";
            resolve({ ok: false, error: `offline runner ${how} before replying${tail}`, maxRssKb: 0 });
        });
    });
}

/**
 * Forks a fresh runner child now. The child starts loading the Pulumi SDK at once, so the
 * parent's own preparation (config parsing, loading the policy rules) overlaps with it.
 */
export function startRunner(options: RunnerOptions = {}): StartedRunner {
    const runnerPath = options.runnerPath ?? defaultRunnerPath();
    const child = fork(runnerPath, [], {
        execArgv: options.execArgv ?? defaultExecArgv(runnerPath),
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        cwd: options.cwd,
    });
    const replied = watch(child, runnerPath, options.timeoutMs ?? 5 * 60_000);
    return {
        run(request: RunnerRequest): Promise<RunnerReply> {
            child.send(request);
            return replied;
        },
        cancel(): void {
            child.kill("SIGKILL");
        },
    };
}
