/**
 * TOTP (RFC 6238) as the OTP gate uses it, through the `otpauth` library: the parameters every
 * authenticator app assumes (SHA1, 6 digits, 30 s), one step of clock drift either way, and the
 * wrong-code lockout figures' shape. Shared by the promotion driver (automation/otp) and the
 * cross-region sync service (sync/); it imports nothing of ours, so both can depend on it.
 *
 * Nothing here ever puts a seed into an error message.
 */
import * as OTPAuth from "otpauth";

/** RFC 6238 defaults that authenticator apps assume. */
export const TOTP_PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** Accept the previous and the next 30 s step too, for clock drift. */
export const TOTP_WINDOW = 1;

/** Wrong-code lockout: `maxWrongCodes` within `wrongCodeWindowMinutes` lock for `lockoutMinutes`. */
export interface OtpLockoutPolicy {
    /** Wrong codes tolerated within `wrongCodeWindowMinutes` before the lockout starts. */
    maxWrongCodes: number;
    wrongCodeWindowMinutes: number;
    /** How long everything the gate protects stays locked after too many wrong codes. */
    lockoutMinutes: number;
}

/** Raised for a seed that is not RFC 4648 base32; the message never quotes the seed. */
export class InvalidSeedError extends Error {
    constructor() {
        super("the OTP seed is not valid base32 (RFC 4648), so no code can be made or verified");
        this.name = "InvalidSeedError";
    }
}

/** The TOTP generator of a base32 seed (whitespace and case are ignored, as authenticator apps do). */
export function totpFromBase32(seed: string): OTPAuth.TOTP {
    let secret: OTPAuth.Secret;
    try {
        secret = OTPAuth.Secret.fromBase32(seed.replace(/\s+/g, "").toUpperCase());
    } catch {
        // Deliberately without the library's message, which may quote the seed.
        throw new InvalidSeedError();
    }
    if (secret.bytes.length === 0) throw new InvalidSeedError();
    return new OTPAuth.TOTP({ ...TOTP_PARAMETERS, secret });
}

/** The TOTP generator of raw key bytes (for secrets derived from the seed). */
export function totpFromBytes(bytes: Uint8Array): OTPAuth.TOTP {
    const copy = new Uint8Array(bytes);
    return new OTPAuth.TOTP({ ...TOTP_PARAMETERS, secret: new OTPAuth.Secret({ buffer: copy.buffer }) });
}

/** The raw bytes of a base32 seed. */
export function seedBytes(seed: string): Uint8Array {
    return totpFromBase32(seed).secret.bytes;
}

/** The time step (counter) of `timestampMs`. */
export function totpCounter(timestampMs: number): number {
    return Math.floor(timestampMs / 1000 / TOTP_PARAMETERS.period);
}

/** The code of `totp` for a given time step. */
export function codeForCounter(totp: OTPAuth.TOTP, counter: number): string {
    return totp.generate({ timestamp: counter * TOTP_PARAMETERS.period * 1000 });
}

/**
 * The time step a code belongs to when it is valid at `timestampMs` (within TOTP_WINDOW steps),
 * else undefined. The caller checks the format (6 digits) first.
 */
export function matchedCounter(totp: OTPAuth.TOTP, code: string, timestampMs: number): number | undefined {
    const delta = totp.validate({ token: code, timestamp: timestampMs, window: TOTP_WINDOW });
    return delta === null ? undefined : totpCounter(timestampMs) + delta;
}

/** When a code of time step `counter` stops validating (ms since the epoch). */
export function counterExpiresAt(counter: number): number {
    return (counter + TOTP_WINDOW + 1) * TOTP_PARAMETERS.period * 1000;
}
