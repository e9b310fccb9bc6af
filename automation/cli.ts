/**
 * The driver's command line, thin: parse flags, build the engine and the options, call the
 * core (promotion/, state/, otp/, audit/, review/), print. Returns the exit code (exitCodes.ts).
 * Progress goes to stdout, or to stderr with --json so that stdout holds exactly one JSON summary.
 */
import * as path from "path";
import { Tier } from "../infra/catalog/types";
import { ConfigError, LOWEST_TIER, Platform, StackConfig } from "../infra/config";
import { readAudit } from "./audit/auditLog";
import { currentActor } from "./audit/actor";
import { CliArgs, parseCliArgs, USAGE } from "./cliArgs";
import { DriverConfig, loadDriverConfig } from "./driverConfig";
import { Engine, EngineName, scrubSecrets } from "./engines/engine";
import { PASSPHRASE_ENV } from "./engines/pulumi/pulumiEngine";
import { policyPackDirs, writePolicyPackConfigs } from "./engines/policyRules";
import { selectEngine } from "./engines/select";
import { rawStackConfig, stackConfigFor } from "./engines/stackFile";
import { DriverError, ExitCode } from "./exitCodes";
import { currentCode } from "./otp/totp";
import { tierLabel } from "./promotion/plan";
import { PromotionHooks, runPromotion } from "./promotion/runPromotion";
import { sharedCostEstimator } from "./promotion/sharedCost";
import { findRepoRoot } from "./repoRoot";
import { reviewHook, runReview } from "./reviewCommand";
import { clustersCommand } from "./clustersCommand";
import { stepTargetFor } from "./targets/kubernetesTarget";
import { assertStackName, StateStore } from "./state/stackState";
import { formatStatus, knownStacks, stackStatus } from "./status";

/** Env var with the OTP code, the alternative to --otp. */
export const OTP_ENV = "PROMOTION_OTP";
/** Set (to anything but "" or "false") by CI systems; `otp-code` refuses to run there. */
export const CI_ENV = "CI";

export interface CliIo {
    out: (line: string) => void;
    err: (line: string) => void;
    env: NodeJS.ProcessEnv;
}

export interface CliContext {
    /** Project (repository) root; default: found from this module. */
    projectDir?: string;
    /** Engine factory; default: selectEngine (tests inject fakes). */
    engine?: (name: EngineName | undefined, stateDir: string, io: CliIo) => Engine;
    hooks?: PromotionHooks;
    now?: () => Date;
}

export function processIo(): CliIo {
    return { out: (l) => process.stdout.write(l + "\n"), err: (l) => process.stderr.write(l + "\n"), env: process.env };
}

export function defaultEngine(name: EngineName | undefined, stateDir: string, io: CliIo, projectDir: string, requiredPlugins?: string[]): Engine {
    return selectEngine(name, { projectDir, offline: { projectDir, stateDir: path.join(stateDir, "offline") }, notify: io.err, requiredPlugins });
}

/** Resource plugins the stack's platform needs beyond kubernetes and random: aws, at the version the npm SDK asks for. */
function requiredPluginsOf(projectDir: string, stack: string | undefined, overrides: Record<string, string>): string[] | undefined {
    if (!stack) return undefined;
    try {
        if ((rawStackConfig(projectDir, stack, 0, overrides).platform ?? "aws") !== "aws") return [];
        const awsVersion = (require("@pulumi/aws/package.json") as { pulumi?: { version?: string }; version: string });
        return [`aws@${awsVersion.pulumi?.version ?? awsVersion.version}`];
    } catch {
        return undefined; // an unreadable stack file is reported by the command itself
    }
}

export async function runCli(argv: string[], io: CliIo = processIo(), context: CliContext = {}): Promise<number> {
    let args: CliArgs | undefined;
    try {
        args = parseCliArgs(argv);
        const projectDir = context.projectDir ?? findRepoRoot();
        const config = loadDriverConfig(projectDir);
        const stateDir = path.resolve(projectDir, args.stateDir ?? config.stateDir);
        if (args.stack) assertStackName(args.stack);
        const makeEngine = () =>
            context.engine
                ? context.engine(args!.engine, stateDir, io)
                : defaultEngine(args!.engine, stateDir, io, projectDir, requiredPluginsOf(projectDir, args!.stack, args!.config));
        const env = { args, io, config, stateDir, projectDir, makeEngine, context };
        switch (args.command) {
            case "help":
                io.out(USAGE);
                return ExitCode.Success;
            case "promote":
                return await promote(env);
            case "status":
                return status(env);
            case "history":
                return history(env);
            case "review":
                return await runReview({ ...env, stack: args.stack!, to: args.to! });
            case "otp-code":
                return await otpCode(env);
            case "policy-config":
                return policyConfig(env);
            case "clusters":
                return await clustersCommand(env, args.action!);
        }
    } catch (e) {
        return reportError(e, io, args?.json ?? argv.includes("--json"), [io.env[PASSPHRASE_ENV]]);
    }
}

export interface CommandEnv {
    args: CliArgs;
    io: CliIo;
    config: DriverConfig;
    stateDir: string;
    projectDir: string;
    makeEngine: () => Engine;
    context: CliContext;
}

function reportError(e: unknown, io: CliIo, json: boolean, secrets: (string | undefined)[]): number {
    let code = ExitCode.Unexpected;
    let message = e instanceof Error ? e.message : String(e);
    if (e instanceof DriverError) code = e.exitCode;
    else if (e instanceof ConfigError) code = ExitCode.BadInput;
    else if (e instanceof Error && e.stack) message = `unexpected error: ${e.stack}`;
    message = scrubSecrets(message, secrets);
    if (json) io.out(JSON.stringify({ ok: false, exitCode: code, error: message }));
    io.err(`error: ${message}`);
    return code;
}

/** The stack's validated config at `tier` (stack file + --config overrides); any problem is bad input. */
/** Lowest tier of the stack's platform (`platform` in its stack file; unknown values fail later, in parsing). */
export function lowestTierOf(env: CommandEnv, stack: string): Tier {
    try {
        const platform = rawStackConfig(env.projectDir, stack, 0, env.args.config).platform as Platform | undefined;
        return LOWEST_TIER[platform ?? "aws"] ?? 0;
    } catch (e) {
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
}

export function stackConfigAt(env: CommandEnv, stack: string, tier: Tier): StackConfig {
    try {
        return stackConfigFor(env.projectDir, stack, tier, env.args.config);
    } catch (e) {
        if (e instanceof DriverError) throw e;
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
}

async function promote(env: CommandEnv): Promise<number> {
    const { args, io, stateDir } = env;
    const stack = args.stack!;
    const log = args.json ? io.err : io.out;
    const lowest = lowestTierOf(env, stack);
    const engine = env.makeEngine();
    log(`promote ${stack}${args.rollback ? " (rollback)" : args.to !== undefined ? ` to tier ${args.to}` : ""} - engine ${engine.name}, state ${stateDir}`);
    const hooks: PromotionHooks = {
        afterPreview: reviewHook(env, engine, stack),
        ...env.context.hooks,
    };
    const summary = await runPromotion(engine, {
        stack,
        request: { to: args.to, rollback: args.rollback, walk: !args.noWalk },
        stateDir,
        driverConfig: env.config,
        capsFor: (tier) => stackConfigAt(env, stack, tier).cost,
        lowestTier: lowest,
        estimateCost: sharedCostEstimator(stackConfigAt(env, stack, args.to ?? lowest).regions.primary),
        actor: currentActor(io.env),
        otpCode: args.otp ?? io.env[OTP_ENV],
        secrets: [io.env[PASSPHRASE_ENV]],
        bootstrapOtpGate: args.bootstrapOtpGate,
        configOverrides: Object.keys(args.config).length ? args.config : undefined,
        command: `promote --stack ${stack}${args.to !== undefined ? ` --to ${args.to}` : ""}${args.rollback ? " --rollback" : ""}`,
        // Only the real engine reaches clusters; the offline engine says it cannot see them.
        ...(engine.name === "pulumi" ? { targetFor: (tier: Tier) => stepTargetFor(stackConfigAt(env, stack, tier)) } : {}),
        skipPreflight: args.skipPreflight,
        ...(args.onDrift ? { onDrift: args.onDrift } : {}),
        now: env.context.now,
        hooks,
        log,
    });
    const auditLog = path.join(stateDir, "audit", `${stack}.jsonl`);
    if (args.json) {
        io.out(JSON.stringify({ ...summary, stateDir, auditLog }, null, 2));
    } else {
        for (const caveat of summary.caveats) log(`note: ${caveat}`);
        log(`${summary.ok ? "done" : "stopped"}: ${summary.message}`);
        log(`tier ${tierLabel(summary.startTier)} -> ${tierLabel(summary.finalTier)}; audit log ${auditLog}; exit ${summary.exitCode}`);
    }
    if (!summary.ok) io.err(`error: ${summary.message}`);
    return summary.exitCode;
}

function status(env: CommandEnv): number {
    const store = new StateStore(env.stateDir);
    const lowest = (stack: string) => {
        try {
            return lowestTierOf(env, stack);
        } catch {
            return 0; // a stack without a readable stack file: its state still shows
        }
    };
    const statuses = knownStacks(env.projectDir, store, env.config).map((s) => stackStatus(store, s, env.config, env.context.now?.(), lowest(s)));
    if (env.args.json) env.io.out(JSON.stringify({ stateDir: env.stateDir, stacks: statuses }, null, 2));
    else formatStatus(statuses).forEach((l) => env.io.out(l));
    return ExitCode.Success;
}

function history(env: CommandEnv): number {
    const records = readAudit(env.stateDir, env.args.stack!);
    if (env.args.json) {
        env.io.out(JSON.stringify({ stack: env.args.stack, records }, null, 2));
        return ExitCode.Success;
    }
    if (records.length === 0) env.io.out(`no audit records for ${env.args.stack} in ${env.stateDir}`);
    for (const r of records) {
        const cost = r.cost ? ` $${r.cost.monthlyExpected.toFixed(2)}/mo of cap $${r.cost.monthlyCap.toFixed(2)}` : "";
        const violations = r.policyViolations.length ? ` ${r.policyViolations.length} policy result(s)` : "";
        env.io.out(`${r.time} ${r.kind} ${tierLabel(r.fromTier)} -> ${r.toTier} ${r.result} by ${r.actor} (${r.engine})${cost}${violations} otp:${r.otpVerified ? "yes" : "no"}${r.message ? ` - ${r.message}` : ""}`);
    }
    return ExitCode.Success;
}

/** True when the environment says it is a CI job (`CI` set to anything but "" or "false"). */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
    const value = env[CI_ENV];
    return value !== undefined && value !== "" && value.toLowerCase() !== "false";
}

async function otpCode(env: CommandEnv): Promise<number> {
    const stack = env.args.stack!;
    if (runsInCi(env.io.env)) {
        // A job that can mint its own code needs no approver: the code must come from outside.
        throw new DriverError(
            ExitCode.OtpRefused,
            `otp-code refuses to run in CI (${CI_ENV}=${env.io.env[CI_ENV]}): approval codes come from the approver's authenticator app; ` +
                `in CI pass the approver's code in ${OTP_ENV} (or --otp). otp-code is for local use.`,
        );
    }
    const engine = env.makeEngine();
    let seed: string | undefined;
    try {
        seed = await engine.otpSeed(stack);
    } catch (e) {
        throw new DriverError(ExitCode.EngineFailure, `could not read the OtpGate seed of ${stack} from the ${engine.name} engine (${(e as Error).name})`);
    }
    if (seed === undefined) {
        throw new DriverError(ExitCode.OtpRefused, `stack ${stack} has no deployed OtpGate yet (${engine.name} engine): deploy it first, e.g. promote --stack ${stack}`);
    }
    env.io.out(currentCode(seed, env.context.now?.()));
    return ExitCode.Success;
}

function policyConfig(env: CommandEnv): number {
    const stack = env.args.stack!;
    // Without --to: the tier the stack is at, else the lowest its platform runs (2 for platform kubernetes).
    const tier = env.args.to ?? new StateStore(env.stateDir).read(stack).tier ?? lowestTierOf(env, stack);
    const stackConfig = stackConfigAt(env, stack, tier);
    const out = path.resolve(env.args.out!);
    const files = writePolicyPackConfigs(stackConfig, policyPackDirs(path.join(env.projectDir, "policies")), out);
    if (env.args.json) env.io.out(JSON.stringify({ stack, tier, files }, null, 2));
    else files.forEach((f) => env.io.out(f));
    return ExitCode.Success;
}
