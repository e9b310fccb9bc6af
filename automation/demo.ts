/**
 * The README's main jobs, through the real CLI functions, from a fresh state dir:
 *   promote --stack S --to 2          (tiers 0, 1, 2 on AWS stacks; tier 2 first on Kubernetes-only ones)
 *   otp-code --stack S                 (the code of the OtpGate tier 2 deployed, as an operator's authenticator shows it)
 *   promote --stack S --to 3 --otp C   (the OTP-gated step into tier 3)
 *   status, history
 * Default: `dev` on the offline engine. `--stack local --engine pulumi` runs the same promotion
 * for real on local Kubernetes clusters: it starts them afresh (`clusters start`), keeps the
 * stack's Pulumi state beside them, and leaves them running for a look (`clusters stop` ends them).
 * Usage: node dist/automation/demo.js [--stack S] [--engine offline|pulumi] [--state-dir DIR] [--config key=value ...]
 *   --state-dir  default <repo>/.promotion/demo-<stack>, emptied first
 *   --config     stack config overrides passed to every promote (e.g. secondaryRegions for tier 3)
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { CliIo, processIo, runCli } from "./cli";
import { clustersDirOf } from "./commands/clusters";
import { ExitCode } from "./exitCodes";
import { stopLocalClusters } from "./localClusters";
import { findRepoRoot } from "./repoRoot";

async function demo(argv: string[]): Promise<number> {
    const root = findRepoRoot();
    const { values } = parseArgs({
        args: argv,
        options: { stack: { type: "string", default: "dev" }, engine: { type: "string", default: "offline" }, "state-dir": { type: "string" }, config: { type: "string", multiple: true } },
    });
    const stack = values.stack!;
    const engine = values.engine!;
    const stateDir = path.resolve(values["state-dir"] ?? path.join(root, ".promotion", stack === "dev" ? "demo" : `demo-${stack}`));
    fs.rmSync(stateDir, { recursive: true, force: true });
    const io = processIo();
    const overrides = (values.config ?? []).flatMap((pair) => ["--config", pair]);
    const common = ["--stack", stack, "--engine", engine, "--state-dir", stateDir];
    const banner = (text: string) => io.out(`\n=== ${text} ===`);
    let code: number;

    if (stack === "local") {
        const kubeconfig = path.join(root, ".local-clusters", "local", "kubeconfig");
        const backend = path.join(path.dirname(kubeconfig), "pulumi-state");
        banner("clusters start --stack local (fresh clusters, one per region, fake nodes shaped like the node pools)");
        await stopLocalClusters(clustersDirOf(kubeconfig), { remove: true });
        fs.rmSync(backend, { recursive: true, force: true });
        fs.mkdirSync(backend, { recursive: true });
        process.env.PULUMI_BACKEND_URL = `file://${backend}`;
        code = await runCli(["clusters", "start", "--stack", stack], io);
        if (code !== ExitCode.Success) return code;
    }

    banner(`promote ${stack} to tier 2 (${engine} engine, fresh state dir ${stateDir})`);
    code = await runCli(["promote", ...common, ...overrides, "--to", "2"], io);
    if (code !== ExitCode.Success) return code;

    banner(`otp-code: the current code of ${stack}'s OtpGate (the tier-3 step needs it)`);
    let otp = "";
    const capture: CliIo = { ...io, out: (line) => (otp = line.trim()) };
    code = await runCli(["otp-code", ...common], capture);
    if (code !== ExitCode.Success) return code;
    io.out(`got a ${otp.length}-digit code`);

    banner(`promote ${stack} to tier 3 with the OTP code`);
    code = await runCli(["promote", ...common, ...overrides, "--to", "3", "--otp", otp], io);
    if (code !== ExitCode.Success) return code;

    banner("status");
    await runCli(["status", "--state-dir", stateDir], io);
    banner(`history --stack ${stack}`);
    await runCli(["history", "--stack", stack, "--state-dir", stateDir], io);
    banner("where things went");
    io.out(`review reports (Markdown, JSON, SVG per step): ${path.join(stateDir, "reports", stack)}`);
    io.out(`audit log: ${path.join(stateDir, "audit", `${stack}.jsonl`)}`);
    io.out(`driver state: ${path.join(stateDir, "stacks", `${stack}.json`)}`);
    if (stack === "local") io.out(`the clusters keep running: npm run driver -- clusters status --stack local; stop them with clusters stop --stack local`);
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
