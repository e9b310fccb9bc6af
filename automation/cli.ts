/**
 * The driver's command line, thin: parse flags, build the engine and the options, call the
 * core (promotion/, state/, otp/, audit/, review/), print. Returns the exit code (exitCodes.ts).
 * Progress goes to stdout, or to stderr with --json so that stdout holds exactly one JSON summary.
 */
import * as path from "path";
import { Tier } from "../infra/catalog/types";
import { CatalogError } from "../infra/catalog";
import { ConfigError, LOWEST_TIER, Platform, StackConfig } from "../infra/config";
import { StackFileError } from "../infra/stackFile";
import { inspectAudit, verifyChain } from "./audit/auditLog";
import { currentActor } from "./audit/actor";
import { CliArgs, parseCliArgs, USAGE } from "./cliArgs";
import { DriverConfig, loadDriverConfig } from "./driverConfig";
import { Engine, EngineName, scrubSecrets } from "./engines/engine";
import { PASSPHRASE_ENV } from "./engines/pulumi/pulumiEngine";
import { policyPackDirs, writePolicyPackConfigs } from "./engines/policyRules";
import { selectEngine } from "./engines/select";
import { rawStackConfig, stackConfigFor, stackFilePath } from "./engines/stackFile";
import { DriverError, ExitCode } from "./exitCodes";
import { currentCode } from "./otp/totp";
import { tierLabel } from "./promotion/plan";
import { PromotionHooks, runPromotion } from "./promotion/runPromotion";
import { sharedCostEstimator } from "./promotion/sharedCost";
import { findRepoRoot } from "./repoRoot";
import { reviewHook, runReview } from "./reviewCommand";
import { clustersCommand } from "./clustersCommand";
import { stepTargetFor } from "./targets/kubernetesTarget";
import { repairState } from "./repairState";
import { junitXml } from "./reports/junit";
import { sarifLog } from "./reports/sarif";
import { assertRealPath, fsFault, writeFileAtomic } from "./state/safeFs";
import { assertStackName, StateStore } from "./state/stackState";
import { formatStatus, knownStacks, stackStatus, unusableStatus } from "./status";

/** Env var naming another project directory (Pulumi.yaml, stack files, automation/driver.config.json); default: this repository. */
export const PROJECT_DIR_ENV = "PROMOTION_PROJECT_DIR";
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
    /** Working directory that relative paths on the command line resolve against; default process.cwd(). */
    cwd?: string;
}

/**
 * The process's own streams. A reader that goes away (`status | head`) is not an error of the
 * driver: further output is dropped instead of dying with an EPIPE trace.
 */
export function processIo(): CliIo {
    let closed = false;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") closed = true;
        else throw e;
    });
    return {
        out: (l) => {
            if (!closed) process.stdout.write(l + "\n");
        },
        err: (l) => process.stderr.write(l + "\n"),
        env: process.env,
    };
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
            case "repair-state":
                return await repairState(env);
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

/**
 * The environment the stack declares (`environment` in its stack file, default its name). A stack
 * named after a configured environment must be that environment: renaming prod's environment in
 * Pulumi.prod.yaml does not take it out of prod's rules.
 */
export function environmentOf(env: Pick<CommandEnv, "projectDir" | "args" | "config">, stack: string): string {
    let declared: string | undefined;
    try {
        declared = rawStackConfig(env.projectDir, stack, 0, env.args.config).environment;
    } catch (e) {
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
    const environment = declared?.trim() || stack;
    if (env.config.environments.includes(stack) && environment !== stack) {
        throw new DriverError(
            ExitCode.BadInput,
            `stack ${stack} declares environment ${environment}, but ${stack} is itself an environment of the promotion order (driver config environments): ` +
                `a stack named after an environment must be that environment; remove the environment key or give the stack another name`,
        );
    }
    return environment;
}

/** Highest recorded tier of the stacks of each configured environment (stack files and state files). */
export function environmentTiers(env: CommandEnv): Record<string, Tier | null> {
    const store = new StateStore(env.stateDir);
    const tiers: Record<string, Tier | null> = Object.fromEntries(env.config.environments.map((e) => [e, null]));
    for (const stack of knownStacks(env.projectDir, store, env.config)) {
        let environment: string | undefined;
        let tier: Tier | null = null;
        try {
            tier = store.read(stack).tier;
            environment = store.read(stack).environment;
        } catch {
            continue; // an unusable state holds nothing back or forward; it is reported when that stack runs
        }
        try {
            environment = environmentOf(env, stack);
        } catch {
            // a stack file that cannot be read: the environment recorded at its first deployment counts
        }
        environment ??= stack;
        if (environment in tiers && tier !== null && (tiers[environment] === null || tier > tiers[environment]!)) tiers[environment] = tier;
    }
    return tiers;
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
    stackFileMustExist(env, stack);
    const engine = env.makeEngine();
    log(`promote ${stack}${args.rollback ? " (rollback)" : args.to !== undefined ? ` to tier ${args.to}` : ""} - engine ${engine.name}, state ${stateDir}`);
    const hooks: PromotionHooks = {
        afterPreview: reviewHook(env, engine, stack),
        ...env.context.hooks,
    };
    // Config is read under the stack lock (in runPromotion), so a refused config is audited too.
    let estimator: ReturnType<typeof sharedCostEstimator> | undefined;
    const summary = await runPromotion(engine, {
        stack,
        request: { to: args.to, rollback: args.rollback, walk: !args.noWalk },
        stateDir,
        driverConfig: env.config,
        capsFor: (tier) => stackConfigAt(env, stack, tier).cost,
        enforcementFor: (tier) => ({ level: stackConfigAt(env, stack, tier).policyEnforcement, overridden: args.config.policyEnforcement !== undefined }),
        lowestTier: () => lowestTierOf(env, stack),
        environment: () => environmentOf(env, stack),
        environmentTiers: () => environmentTiers(env),
        estimateCost: (resources) => {
            estimator ??= sharedCostEstimator(stackConfigAt(env, stack, args.to ?? lowestTierOf(env, stack)).regions.primary);
            return estimator(resources);
        },
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
        exemptionsFor: (tier) => stackConfigAt(env, stack, tier).policyExemptions,
        ...(args.approvePlan ? { approvedPlan: args.approvePlan } : {}),
        acknowledgeChainBreaks: args.acknowledgeAuditBreaks,
    });
    const cwd = env.context.cwd ?? process.cwd();
    const written: Record<string, string> = {};
    if (args.sarif !== undefined) {
        const file = path.resolve(cwd, args.sarif);
        const version = (require(path.join(findRepoRoot(), "package.json")) as { version: string }).version;
        writeFileAtomic(file, JSON.stringify(sarifLog({ summary, stackFile: `Pulumi.${stack}.yaml`, version }), null, 2) + "\n", 0o644);
        written.sarif = file;
    }
    if (args.junit !== undefined) {
        const file = path.resolve(cwd, args.junit);
        writeFileAtomic(file, junitXml(summary, env.context.now?.() ?? new Date()), 0o644);
        written.junit = file;
    }
    const auditLog = path.join(stateDir, "audit", `${stack}.jsonl`);
    if (args.json) {
        io.out(JSON.stringify({ ...summary, stateDir, auditLog, ...written }, null, 2));
    } else {
        for (const caveat of summary.caveats) log(`note: ${caveat}`);
        log(`${summary.ok ? "done" : "stopped"}: ${summary.message}`);
        log(`tier ${tierLabel(summary.startTier)} -> ${tierLabel(summary.finalTier)}; audit log ${auditLog}; exit ${summary.exitCode}`);
        for (const [kind, file] of Object.entries(written)) log(`${kind}: ${file}`);
    }
    // The head to anchor outside the state dir (CI log, job summary, a stack output).
    if (summary.auditHead) io.err(`audit head: ${stack} seq ${summary.auditHead.seq} ${summary.auditHead.hash}`);
    if (!summary.ok) io.err(`error: ${summary.message}`);
    return summary.exitCode;
}

/** `status`: every stack; a stack whose state cannot be used is shown with its problem, the others as usual (exit 9 then). */
function status(env: CommandEnv): number {
    const store = new StateStore(env.stateDir);
    const lowest = (stack: string) => {
        try {
            return lowestTierOf(env, stack);
        } catch {
            return 0; // a stack without a readable stack file: its state still shows
        }
    };
    const environment = (stack: string) => {
        try {
            return environmentOf(env, stack);
        } catch {
            return stack;
        }
    };
    let unusable = 0;
    const statuses = knownStacks(env.projectDir, store, env.config).map((s) => {
        try {
            return stackStatus(store, s, env.config, env.context.now?.(), lowest(s), environment(s));
        } catch (e) {
            if (!(e instanceof DriverError)) throw e;
            unusable++;
            return unusableStatus(s, e.message);
        }
    });
    if (env.args.json) env.io.out(JSON.stringify({ stateDir: env.stateDir, stacks: statuses }, null, 2));
    else formatStatus(statuses).forEach((l) => env.io.out(l));
    return unusable ? ExitCode.StateProblem : ExitCode.Success;
}

/** Refuses a command for a stack that has no stack file (before any engine is asked). */
function stackFileMustExist(env: CommandEnv, stack: string): void {
    try {
        stackFilePath(env.projectDir, stack);
    } catch (e) {
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
}

function history(env: CommandEnv): number {
    const stack = env.args.stack!;
    const contents = inspectAudit(env.stateDir, stack);
    const records = contents.records;
    const verdict = env.args.verify ? verifyChain(env.stateDir, stack, env.args.expectHead) : undefined;
    const problems = [
        ...(contents.torn ? [`the log ends in a torn line of ${contents.torn.bytes} byte(s) (a crash while appending): the next promote sets it aside`] : []),
        ...contents.badLines.map((b) => `line ${b.line} is not a record: ${b.text}`),
    ];
    if (env.args.json) {
        env.io.out(JSON.stringify({ stack, records, problems, ...(verdict ? { chain: verdict } : {}) }, null, 2));
    } else {
        if (records.length === 0) env.io.out(`no audit records for ${stack} in ${env.stateDir}`);
        for (const r of records) {
            const cost = r.cost ? ` $${r.cost.monthlyExpected.toFixed(2)}/mo of cap $${r.cost.monthlyCap.toFixed(2)}` : "";
            const violations = r.policyViolations?.length ? ` ${r.policyViolations.length} policy result(s)` : "";
            const exempted = r.policyViolations?.filter((v) => v.exemption?.status === "active").length ?? 0;
            const what = r.kind === "maintenance" ? `maintenance ${r.event ?? ""}` : `${r.kind} ${tierLabel(r.fromTier)} -> ${tierLabel(r.toTier)} ${r.result}${r.refusal ? ` (${r.refusal})` : ""}`;
            env.io.out(
                `${r.time} ${what} by ${r.actor} (${r.engine})${cost}${violations}${exempted ? `, ${exempted} exempted` : ""} otp:${r.otpVerified ? "yes" : "no"}` +
                    `${r.planDigest ? ` plan:${r.planDigest.slice(0, 19)}` : ""}${r.message ? ` - ${r.message}` : ""}`,
            );
        }
        for (const p of problems) env.io.out(`problem: ${p}`);
        if (verdict) {
            for (const b of verdict.breaks) env.io.out(`chain ${b.acknowledged ? "break (acknowledged)" : "BREAK"}: ${b.kind} at line ${b.line}: ${b.message}`);
            env.io.out(verdict.ok
                ? `chain ok: ${verdict.records} record(s)${verdict.head ? `, head seq ${verdict.head.seq} ${verdict.head.hash}` : ""}`
                : `chain BROKEN: ${verdict.breaks.filter((b) => !b.acknowledged).length} break(s) in ${verdict.records} record(s)`);
        }
    }
    return verdict && !verdict.ok ? ExitCode.StateProblem : ExitCode.Success;
}

/** True when the environment says it is a CI job (`CI` set to anything but "" or "false"). */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
    const value = env[CI_ENV];
    return value !== undefined && value !== "" && value.toLowerCase() !== "false";
}

async function otpCode(env: CommandEnv): Promise<number> {
    const stack = env.args.stack!;
    stackFileMustExist(env, stack);
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
    const environment = environmentOf(env, stack);
    if (env.config.mandatoryEnforcementFor.includes(environment) && stackConfig.policyEnforcement !== "mandatory") {
        throw new DriverError(ExitCode.BadInput, `environment ${environment} requires mandatory policy enforcement (driver config mandatoryEnforcementFor): policy-config does not write ${stackConfig.policyEnforcement} packs for it`);
    }
    const out = path.resolve(env.context.cwd ?? process.cwd(), env.args.out!);
    const files = writePolicyPackConfigs(stackConfig, policyPackDirs(path.join(env.projectDir, "policies")), out);
    if (env.args.json) env.io.out(JSON.stringify({ stack, tier, files }, null, 2));
    else files.forEach((f) => env.io.out(f));
    return ExitCode.Success;
}
