/**
 * `otp-code`: the current approval code of a stack (local use only, never in CI).
 */
import { DriverError, ExitCode } from "../exitCodes";
import { currentCode } from "../otp/totp";
import { CI_ENV, CommandEnv, OTP_ENV, runsInCi, stackFileMustExist } from "./context";

/** `otp-code`: the current approval code of a stack (local use only, never in CI). */
export async function otpCode(env: CommandEnv): Promise<number> {
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
