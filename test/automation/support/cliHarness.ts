/** Runs the driver's CLI in-process with captured output, or as a child process (for real crashes). */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliContext, CliIo, runCli } from "../../../automation/cli";
import { findRepoRoot } from "../../../automation/repoRoot";

export const ROOT = findRepoRoot(__dirname);

export interface CliRun {
    code: number;
    out: string[];
    err: string[];
    /** stdout as one JSON document (for --json). */
    json(): any;
    text(): string;
}

export async function cli(argv: string[], context: CliContext = {}, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, PROMOTION_OTP: "", ...env } };
    const code = await runCli(argv, io, { projectDir: ROOT, ...context });
    return { code, out, err, json: () => JSON.parse(out.join("\n")), text: () => [...out, ...err].join("\n") };
}

/** The driver as its own process: compiled main.js under dist/, the TypeScript entry through ts-node otherwise. */
export function cliProcess(argv: string[], env: NodeJS.ProcessEnv = {}, cwd: string = ROOT): SpawnSyncReturns<string> {
    const compiled = !__filename.endsWith(".ts");
    const entry = compiled ? path.join(ROOT, "dist", "automation", "main.js") : path.join(ROOT, "automation", "main.ts");
    const execArgv = compiled ? [] : ["-r", "ts-node/register/transpile-only"];
    return spawnSync(process.execPath, [...execArgv, entry, ...argv], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, PROMOTION_OTP: "", ...env },
        timeout: 300_000,
    });
}

export function tempStateDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "promotion-e2e-"));
}

/** Every file under `dir` with its text, for greps. */
export function filesUnder(dir: string): { file: string; text: string }[] {
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .map((f) => path.join(dir, String(f)))
        .filter((f) => fs.statSync(f).isFile())
        .map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
}
