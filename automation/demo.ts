/**
 * The README's main job: a real promotion of `dev` from nothing to tier 3 with the offline
 * engine and a fresh local state dir, through the real CLI functions:
 *   promote --stack dev --to 2          (tiers 0, 1, 2; no OTP needed)
 *   otp-code --stack dev                 (the code of the OtpGate tier 2 deployed, as an operator's authenticator shows it)
 *   promote --stack dev --to 3 --otp C   (the OTP-gated step into tier 3)
 *   status, history
 * Usage: node dist/automation/demo.js [--state-dir DIR] [--config key=value ...]
 *   --state-dir  default <repo>/.promotion/demo, emptied first
 *   --config     stack config overrides passed to every promote (e.g. secondaryRegions for tier 3)
 */
import * as fs from "fs";
import * as path from "path";
import { CliIo, processIo, runCli } from "./cli";
import { ExitCode } from "./exitCodes";
import { findRepoRoot } from "./repoRoot";

async function demo(argv: string[]): Promise<number> {
    const root = findRepoRoot();
    const flag = argv.indexOf("--state-dir");
    const stateDir = path.resolve(flag >= 0 && argv[flag + 1] ? argv[flag + 1] : path.join(root, ".promotion", "demo"));
    fs.rmSync(stateDir, { recursive: true, force: true });
    const io = processIo();
    const overrides: string[] = [];
    argv.forEach((arg, i) => arg === "--config" && argv[i + 1] && overrides.push("--config", argv[i + 1]));
    const common = ["--stack", "dev", "--engine", "offline", "--state-dir", stateDir];
    const banner = (text: string) => io.out(`\n=== ${text} ===`);

    banner(`promote dev to tier 2 (fresh state dir ${stateDir})`);
    let code = await runCli(["promote", ...common, ...overrides, "--to", "2"], io);
    if (code !== ExitCode.Success) return code;

    banner("otp-code: the current code of dev's OtpGate (the tier-3 step needs it)");
    let otp = "";
    const capture: CliIo = { ...io, out: (line) => (otp = line.trim()) };
    code = await runCli(["otp-code", ...common], capture);
    if (code !== ExitCode.Success) return code;
    io.out(`got a ${otp.length}-digit code`);

    banner("promote dev to tier 3 with the OTP code");
    code = await runCli(["promote", ...common, ...overrides, "--to", "3", "--otp", otp], io);
    if (code !== ExitCode.Success) return code;

    banner("status");
    await runCli(["status", "--state-dir", stateDir], io);
    banner("history --stack dev");
    await runCli(["history", "--stack", "dev", "--state-dir", stateDir], io);
    banner("where things went");
    io.out(`review reports (Markdown, JSON, SVG per step): ${path.join(stateDir, "reports", "dev")}`);
    io.out(`audit log: ${path.join(stateDir, "audit", "dev.jsonl")}`);
    io.out(`driver state: ${path.join(stateDir, "stacks", "dev.json")}`);
    return ExitCode.Success;
}

demo(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        process.stderr.write(`demo failed: ${(e as Error).stack ?? e}\n`);
        process.exitCode = 1;
    },
);
