/**
 * What every command of the driver's CLI is given (flags, streams, driver config, state dir,
 * engine factory) and the stack-file questions several commands ask.
 */
import * as path from "path";
import { Tier } from "../../contract/catalog";
import { LOWEST_TIER, Platform, StackConfig } from "../../config/config";
import { CliArgs } from "../cliArgs";
import { DriverConfig } from "../driverConfig";
import { Engine, EngineName } from "../engines/engine";
import { selectEngine } from "../engines/select";
import { StackFiles, stackFilePath } from "../engines/stackFile";
import { DriverError, ExitCode } from "../exitCodes";
import { StateStore } from "../state/stackState";
import { knownStacks } from "../status";
import type { PromotionHooks } from "../promotion/types";

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

export function defaultEngine(name: EngineName | undefined, stateDir: string, io: CliIo, stackFiles: StackFiles, requiredPlugins?: string[]): Engine {
    const { projectDir } = stackFiles;
    return selectEngine(name, { projectDir, stackFiles, offline: { projectDir, stackFiles, stateDir: path.join(stateDir, "offline") }, notify: io.err, requiredPlugins });
}

/** Resource plugins the stack's platform needs beyond kubernetes and random: aws, at the version the npm SDK asks for. */
export function requiredPluginsOf(stackFiles: StackFiles, stack: string | undefined, overrides: Record<string, string>): string[] | undefined {
    if (!stack) return undefined;
    try {
        if ((stackFiles.raw(stack, 0, overrides).platform ?? "aws") !== "aws") return [];
        const awsVersion = (require("@pulumi/aws/package.json") as { pulumi?: { version?: string }; version: string });
        return [`aws@${awsVersion.pulumi?.version ?? awsVersion.version}`];
    } catch {
        return undefined; // an unreadable stack file is reported by the command itself
    }
}

export interface CommandEnv {
    args: CliArgs;
    io: CliIo;
    config: DriverConfig;
    stateDir: string;
    projectDir: string;
    /** The run's stack files, each read once (shared with the engine). */
    stackFiles: StackFiles;
    makeEngine: () => Engine;
    context: CliContext;
}

/** Lowest tier of the stack's platform (`platform` in its stack file; unknown values fail later, in parsing). */
export function lowestTierOf(env: CommandEnv, stack: string): Tier {
    try {
        const platform = env.stackFiles.raw(stack, 0, env.args.config).platform as Platform | undefined;
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
export function environmentOf(env: Pick<CommandEnv, "stackFiles" | "args" | "config">, stack: string): string {
    let declared: string | undefined;
    try {
        declared = env.stackFiles.raw(stack, 0, env.args.config).environment;
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

/** The stack's validated config at `tier` (stack file + --config overrides); any problem is bad input. */
export function stackConfigAt(env: Pick<CommandEnv, "stackFiles" | "args">, stack: string, tier: Tier): StackConfig {
    try {
        return env.stackFiles.config(stack, tier, env.args.config);
    } catch (e) {
        if (e instanceof DriverError) throw e;
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
}

/** Refuses a command for a stack that has no stack file (before any engine is asked). */
export function stackFileMustExist(env: CommandEnv, stack: string): void {
    try {
        stackFilePath(env.projectDir, stack);
    } catch (e) {
        throw new DriverError(ExitCode.BadInput, (e as Error).message);
    }
}

/** True when the environment says it is a CI job (`CI` set to anything but "" or "false"). */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
    const value = env[CI_ENV];
    return value !== undefined && value !== "" && value.toLowerCase() !== "false";
}
