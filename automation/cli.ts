/**
 * The driver's command line, thin: parse flags, build the engine and the options, call the
 * core (promotion/, state/, otp/, audit/, review/), print. Returns the exit code (exitCodes.ts).
 * Progress goes to stdout, or to stderr with --json so that stdout holds exactly one JSON summary.
 */
import * as path from "path";
import { CatalogError } from "../config/catalog";
import { ConfigError } from "../config/config";
import { StackFileError } from "../config/stackFile";
import { CliArgs, parseCliArgs, USAGE } from "./cliArgs";
import { loadDriverConfig } from "./driverConfig";
import { scrubSecrets } from "./engines/engine";
import { PASSPHRASE_ENV } from "./engines/pulumi/pulumiEngine";
import { DriverError, ExitCode } from "./exitCodes";
import { findRepoRoot } from "./repoRoot";
import { runReview } from "./commands/review";
import { clustersCommand } from "./commands/clusters";
import { repairState } from "./commands/repairState";
import { assertRealPath, fsFault } from "./state/safeFs";
import { assertStackName } from "./state/stackState";
import { StackFiles } from "./engines/stackFile";
import { CliContext, CliIo, CommandEnv, defaultEngine, processIo, PROJECT_DIR_ENV, requiredPluginsOf } from "./commands/context";

export { CI_ENV, OTP_ENV, PROJECT_DIR_ENV, processIo, runsInCi } from "./commands/context";
export type { CliContext, CliIo, CommandEnv } from "./commands/context";
import { promote } from "./commands/promote";
import { status } from "./commands/status";
import { history } from "./commands/history";
import { otpCode } from "./commands/otpCode";
import { policyConfig } from "./commands/policyConfig";

/** One entry per command of cliArgs.ts; each command lives in commands/. */
const COMMANDS: Record<CliArgs["command"], (env: CommandEnv) => number | Promise<number>> = {
    help: (env) => {
        env.io.out(USAGE);
        return ExitCode.Success;
    },
    promote,
    status,
    history,
    review: (env) => runReview({ ...env, stack: env.args.stack!, to: env.args.to! }),
    "otp-code": otpCode,
    "policy-config": policyConfig,
    clusters: (env) => clustersCommand(env, env.args.action!),
    "repair-state": repairState,
};

export async function runCli(argv: string[], io: CliIo = processIo(), context: CliContext = {}): Promise<number> {
    let args: CliArgs | undefined;
    try {
        args = parseCliArgs(argv);
        const projectDir = context.projectDir ?? (io.env[PROJECT_DIR_ENV] ? path.resolve(io.env[PROJECT_DIR_ENV]!) : findRepoRoot());
        const config = loadDriverConfig(projectDir);
        // --state-dir is a path on the command line: relative to the working directory, like every
        // CLI's; the driver config's default is relative to the repository.
        const stateDir = args.stateDir !== undefined ? path.resolve(context.cwd ?? process.cwd(), args.stateDir) : path.resolve(projectDir, config.stateDir);
        assertRealPath(stateDir, "--state-dir");
        for (const [flag, file] of [["--out", args.out], ["--sarif", args.sarif], ["--junit", args.junit]] as const) {
            if (file !== undefined) assertRealPath(path.resolve(context.cwd ?? process.cwd(), file), flag);
        }
        if (args.stack) assertStackName(args.stack);
        const stackFiles = new StackFiles(projectDir);
        const makeEngine = () =>
            context.engine
                ? context.engine(args!.engine, stateDir, io)
                : defaultEngine(args!.engine, stateDir, io, stackFiles, requiredPluginsOf(stackFiles, args!.stack, args!.config));
        const env = { args, io, config, stateDir, projectDir, stackFiles, makeEngine, context };
        return await COMMANDS[args.command](env);
    } catch (e) {
        return reportError(e, io, args?.json ?? argv.includes("--json"), [io.env[PASSPHRASE_ENV]]);
    }
}

function reportError(e: unknown, io: CliIo, json: boolean, secrets: (string | undefined)[]): number {
    let code = ExitCode.Unexpected;
    let message = e instanceof Error ? e.message : String(e);
    const errno = e as NodeJS.ErrnoException;
    if (e instanceof DriverError) code = e.exitCode;
    else if (e instanceof ConfigError || e instanceof StackFileError || e instanceof CatalogError) code = ExitCode.BadInput;
    else if (errno?.code && errno.syscall) {
        // A file system fault that no caller turned into a refusal: still a message, not a trace.
        const fault = fsFault(e, errno.syscall, errno.path ?? "a file");
        code = fault.exitCode;
        message = fault.message;
    } else if (e instanceof Error && e.stack) message = `unexpected error: ${e.stack}`;
    message = scrubSecrets(message, secrets);
    if (json) io.out(JSON.stringify({ ok: false, exitCode: code, error: message }));
    io.err(`error: ${message}`);
    return code;
}

