/**
 * OTP approval of promotion steps: TOTP (RFC 6238) through the `otpauth` library, with the
 * parameters every authenticator app uses (SHA1, 6 digits, 30 s). The seed is the stack's
 * OtpGate secret; it is only ever held in memory here and never put into a message.
 *
 * A code is accepted once: the hash of its time counter is kept per stack until the code
 * could no longer validate, and a second use is refused as a replay. Wrong codes are counted;
 * `maxWrongCodes` within `wrongCodeWindowMinutes` lock the stack's promotions for `lockoutMinutes`.
 */
import { createHash } from "crypto";
import * as OTPAuth from "otpauth";
import { counterExpiresAt, InvalidSeedError, matchedCounter, totpFromBase32 } from "../../contract/totp";
import { OtpPolicy } from "../driverConfig";
import { DriverError, ExitCode } from "../exitCodes";
import { OtpBookkeeping } from "../state/stackState";

export { TOTP_PARAMETERS, TOTP_WINDOW } from "../../contract/totp";

export type OtpRefusal = "missing" | "malformed" | "wrong" | "replayed" | "locked" | "no-gate";

export type OtpOutcome = { ok: true } | { ok: false; reason: OtpRefusal; message: string };

function totpFor(seed: string): OTPAuth.TOTP {
    try {
        return totpFromBase32(seed);
    } catch (error) {
        if (!(error instanceof InvalidSeedError)) throw error;
        throw new DriverError(ExitCode.OtpRefused, "the OtpGate seed is not valid base32 (RFC 4648), so no code can be verified; check the stack's OtpGate");
    }
}

/** The current code for `seed` (what an authenticator app shows). */
export function currentCode(seed: string, now: Date = new Date()): string {
    return totpFor(seed).generate({ timestamp: now.getTime() });
}

function counterHash(stack: string, counter: number): string {
    return createHash("sha256").update(`${stack}:${counter}`).digest("hex");
}

/** Drops bookkeeping that no longer matters at `now` (used codes past their window, old wrong codes, an expired lockout). */
export function pruneOtpBookkeeping(otp: OtpBookkeeping, policy: OtpPolicy, now: Date): void {
    otp.usedCounters = otp.usedCounters.filter((u) => Date.parse(u.expiresAt) > now.getTime());
    const windowStart = now.getTime() - policy.wrongCodeWindowMinutes * 60_000;
    otp.wrongCodes = otp.wrongCodes.filter((t) => Date.parse(t) > windowStart);
    if (otp.lockedUntil && Date.parse(otp.lockedUntil) <= now.getTime()) delete otp.lockedUntil;
}

/** The refusal message while the stack is locked out, else undefined. */
export function lockoutMessage(stack: string, otp: OtpBookkeeping, now: Date): string | undefined {
    if (otp.lockedUntil && Date.parse(otp.lockedUntil) > now.getTime()) {
        return `promotions of stack ${stack} are locked until ${otp.lockedUntil} after repeated wrong OTP codes`;
    }
    return undefined;
}

export interface VerifyOtpArgs {
    stack: string;
    /** The code from --otp / PROMOTION_OTP. */
    code: string | undefined;
    /** The OtpGate seed; undefined when the stack has no deployed gate. */
    seed: string | undefined;
    /** Changed in place: used counters, wrong codes, lockout. The caller persists it. */
    otp: OtpBookkeeping;
    policy: OtpPolicy;
    now: Date;
}

export function verifyOtp(args: VerifyOtpArgs): OtpOutcome {
    const { stack, otp, policy, now } = args;
    pruneOtpBookkeeping(otp, policy, now);
    const locked = lockoutMessage(stack, otp, now);
    if (locked) return { ok: false, reason: "locked", message: locked };
    if ((args.code === undefined || args.code.trim() === "") && args.seed === undefined) {
        // No gate, so no code can exist yet: asking for --otp would send the operator looking for one.
        return {
            ok: false,
            reason: "no-gate",
            message: `stack ${stack} has no deployed OtpGate yet, so no OTP code exists for it: for the stack's first deployment pass --bootstrap-otp-gate` +
                ` (recorded as otpVerified: false); the gate is deployed with it, and later steps need its code (--otp CODE or PROMOTION_OTP)`,
        };
    }
    if (args.code === undefined || args.code.trim() === "") {
        return { ok: false, reason: "missing", message: `this step needs an OTP code: pass --otp CODE or set PROMOTION_OTP (the code of stack ${stack}'s OtpGate)` };
    }
    if (args.seed === undefined) {
        return {
            ok: false,
            reason: "no-gate",
            message: `stack ${stack} has no deployed OtpGate yet, so its OTP codes cannot be verified; deploy a tier that creates the gate first` +
                ` (for a stack's very first deployment see --bootstrap-otp-gate)`,
        };
    }
    const code = args.code.trim();
    if (!/^\d{6}$/.test(code)) return wrongCode(args, "the OTP code must be 6 digits");
    const counter = matchedCounter(totpFor(args.seed), code, now.getTime());
    if (counter === undefined) return wrongCode(args, "the OTP code is wrong or expired");
    const hash = counterHash(stack, counter);
    if (otp.usedCounters.some((u) => u.hash === hash)) {
        return { ok: false, reason: "replayed", message: `this OTP code was already used for stack ${stack}; wait for the next code` };
    }
    // The code stays valid until the window has moved past its counter.
    const expiresAt = new Date(counterExpiresAt(counter)).toISOString();
    otp.usedCounters.push({ hash, expiresAt });
    return { ok: true };
}

function wrongCode(args: VerifyOtpArgs, why: string): OtpOutcome {
    const { stack, otp, policy, now } = args;
    otp.wrongCodes.push(now.toISOString());
    const left = policy.maxWrongCodes - otp.wrongCodes.length;
    if (left <= 0) {
        otp.lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString();
        otp.wrongCodes = [];
        return {
            ok: false,
            reason: "locked",
            message: `${why}; ${policy.maxWrongCodes} wrong codes within ${policy.wrongCodeWindowMinutes} minutes: promotions of stack ${stack} are locked until ${otp.lockedUntil}`,
        };
    }
    return { ok: false, reason: "wrong", message: `${why} (${left} more wrong code(s) within ${policy.wrongCodeWindowMinutes} minutes lock the stack)` };
}
