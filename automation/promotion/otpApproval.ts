/** The OTP gate of a step: the stack's OtpGate seed against the code of the run. */
import { verifyOtp } from "../otp/totp";
import { PlannedStep } from "./plan";
import { StepContext } from "./stepRecord";
import type { OtpGateOutcome } from "./types";

export async function otpGate(context: Pick<StepContext, "engine" | "options" | "store" | "secrets" | "now">, step: PlannedStep): Promise<OtpGateOutcome> {
    const { engine, options, store, secrets, now } = context;
    const { stack } = options;
    let seed: string | undefined;
    try {
        seed = await engine.otpSeed(stack);
    } catch (e) {
        // The engine's message is not trusted to be free of the seed.
        return { ok: false, message: `could not read the OtpGate seed of stack ${stack} from the ${engine.name} engine (${(e as Error).name})` };
    }
    secrets.add(seed);
    if (seed === undefined && step.from === null && options.bootstrapOtpGate) {
        return { ok: true, verified: false, message: `first deployment of ${stack}: no OtpGate exists yet, allowed by --bootstrap-otp-gate` };
    }
    let outcome: ReturnType<typeof verifyOtp> = { ok: false, reason: "missing", message: "" };
    let lockedUntil: string | undefined;
    try {
        store.update(stack, (s) => {
            outcome = verifyOtp({ stack, code: options.otpCode, seed, otp: s.otp, policy: options.driverConfig.otp, now: now() });
            lockedUntil = s.otp.lockedUntil;
        });
    } catch (e) {
        return { ok: false, message: `OTP verification failed: ${(e as Error).message}` };
    }
    if (outcome.ok) return { ok: true, verified: true, message: "verified" };
    // The lockout also goes into the audit record, so it survives the loss of the state file.
    return { ok: false, message: outcome.message, ...(outcome.reason === "locked" && lockedUntil ? { lockedUntil } : {}) };
}
