/**
 * The driver's own settings (`automation/driver.config.json`): the order in which
 * environments are promoted, where OTP approval is required, the wrong-code lockout,
 * the default state directory. Read at run time, so editing the file needs no rebuild.
 */
import * as fs from "fs";
import * as path from "path";
import type { OtpLockoutPolicy } from "../contract/totp";
import { Tier, TIERS } from "../contract/catalog";
import { DEFAULT_OTP_LOCKOUT, DRIVER_CONFIG_FILE, validateOtpLockout } from "../config/otpLockout";
import { DriverError, ExitCode } from "./exitCodes";

/**
 * Where OTP approval is required, and the wrong-code lockout (shared with the cross-region sync
 * service, which the program configures from the same file).
 */
export interface OtpPolicy extends OtpLockoutPolicy {
    /**
     * Every step of a stack that declares one of these environments (its stack file's
     * `environment`, default its name) needs an OTP code, rollbacks included. The old key
     * `requiredForStacks` is read as this one.
     */
    requiredForEnvironments: string[];
    /** Every step into one of these tiers needs an OTP code, whatever the stack. */
    requiredForTiers: Tier[];
}

export interface DriverConfig {
    /**
     * Environments in promotion order: a stack of environment E may reach tier N only while a
     * stack of the environment before E in this list stands at tier N or above. A stack's
     * environment is the one its stack file declares (`environment`, default the stack name).
     */
    environments: string[];
    otp: OtpPolicy;
    /**
     * Environments whose policy enforcement is mandatory whatever the stack file or `--config`
     * says: a run that would lower it is refused (exit 2) and audited.
     */
    mandatoryEnforcementFor: string[];
    /** State directory, relative to the repository root unless absolute. */
    stateDir: string;
    /** Pulumi project name (namespace of the stack files' config keys). */
    project: string;
}

export const DEFAULT_DRIVER_CONFIG: DriverConfig = {
    environments: ["dev", "prod"],
    otp: { requiredForEnvironments: ["prod"], requiredForTiers: [3], ...DEFAULT_OTP_LOCKOUT },
    mandatoryEnforcementFor: ["prod"],
    stateDir: ".promotion",
    project: "ai-platform",
};

export { DRIVER_CONFIG_FILE };

/** Reads and validates `automation/driver.config.json`; missing keys take the defaults above. */
export function loadDriverConfig(root: string): DriverConfig {
    const file = path.join(root, DRIVER_CONFIG_FILE);
    if (!fs.existsSync(file)) return DEFAULT_DRIVER_CONFIG;
    let raw: any;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new DriverError(ExitCode.BadInput, `${file}: not valid JSON (${(e as Error).message})`);
    }
    return validateDriverConfig(raw, file);
}

export function validateDriverConfig(raw: any, source = "driver config"): DriverConfig {
    const bad = (field: string, fix: string) => new DriverError(ExitCode.BadInput, `${source}: ${field} ${fix}`);
    const d = DEFAULT_DRIVER_CONFIG;
    const environments = raw.environments ?? d.environments;
    if (!Array.isArray(environments) || environments.some((e: unknown) => typeof e !== "string" || !e)) {
        throw bad("environments", `must be a list of stack names, e.g. ["dev", "prod"]`);
    }
    if (new Set(environments).size !== environments.length) throw bad("environments", "lists a stack twice");
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad("the file", "must be a JSON object");
    const givenOtp = { ...(raw.otp ?? {}) };
    if (givenOtp.requiredForStacks !== undefined && givenOtp.requiredForEnvironments === undefined) givenOtp.requiredForEnvironments = givenOtp.requiredForStacks;
    delete givenOtp.requiredForStacks;
    const otp = { ...d.otp, ...givenOtp };
    if (!Array.isArray(otp.requiredForEnvironments) || otp.requiredForEnvironments.some((e: unknown) => typeof e !== "string")) {
        throw bad("otp.requiredForEnvironments", `must be a list of environment names`);
    }
    if (!Array.isArray(otp.requiredForTiers) || otp.requiredForTiers.some((t: any) => !TIERS.includes(t))) {
        throw bad("otp.requiredForTiers", "must be a list of tiers 0-3");
    }
    Object.assign(otp, validateOtpLockout(otp, bad));
    const mandatoryEnforcementFor = raw.mandatoryEnforcementFor ?? d.mandatoryEnforcementFor;
    if (!Array.isArray(mandatoryEnforcementFor) || mandatoryEnforcementFor.some((e: unknown) => typeof e !== "string")) {
        throw bad("mandatoryEnforcementFor", "must be a list of environment names");
    }
    const stateDir = raw.stateDir ?? d.stateDir;
    if (typeof stateDir !== "string" || !stateDir) throw bad("stateDir", "must be a directory path");
    const project = raw.project ?? d.project;
    if (typeof project !== "string" || !project) throw bad("project", "must be the Pulumi project name");
    return { environments, otp, mandatoryEnforcementFor, stateDir, project };
}
