/**
 * The OTP gate's wrong-code lockout figures, read from their one source: the `otp` block of
 * `automation/driver.config.json`. The promotion driver applies them to promotions; the program
 * passes them to the cross-region sync service, so both lock out after the same failures.
 */
import * as fs from "fs";
import * as path from "path";
import type { OtpLockoutPolicy } from "../contract/totp";

/** The driver's settings file, relative to the repository root. */
export const DRIVER_CONFIG_FILE = path.join("automation", "driver.config.json");

/** Used only when the file is absent (a project copy without the driver); documented in automation/README.md. */
export const DEFAULT_OTP_LOCKOUT: Readonly<OtpLockoutPolicy> = { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 };

const KEYS = ["maxWrongCodes", "wrongCodeWindowMinutes", "lockoutMinutes"] as const;

/**
 * The three figures of an `otp` block (missing ones take the defaults); `bad(field, fix)` builds
 * the error thrown for a value that is not a whole number >= 1.
 */
export function validateOtpLockout(otp: Record<string, unknown> | undefined, bad: (field: string, fix: string) => Error): OtpLockoutPolicy {
    const merged: Record<string, unknown> = { ...DEFAULT_OTP_LOCKOUT, ...(otp ?? {}) };
    for (const key of KEYS) {
        const value = merged[key];
        if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw bad(`otp.${key}`, "must be a whole number >= 1");
    }
    return { maxWrongCodes: merged.maxWrongCodes as number, wrongCodeWindowMinutes: merged.wrongCodeWindowMinutes as number, lockoutMinutes: merged.lockoutMinutes as number };
}

/** The lockout figures of `<root>/automation/driver.config.json`. */
export function loadOtpLockout(root: string): OtpLockoutPolicy {
    const file = path.join(root, DRIVER_CONFIG_FILE);
    if (!fs.existsSync(file)) return { ...DEFAULT_OTP_LOCKOUT };
    let raw: any;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
    }
    return validateOtpLockout(raw?.otp, (field, fix) => new Error(`${file}: ${field} ${fix}`));
}
