/**
 * Exit codes of the driver, for CI. One enum, documented in automation/README.md.
 * A CI job can branch on them: 3 and 4 want a human to change the program or the cap,
 * 5 wants a fresh OTP code, 6 a retry or an investigation, 7 waiting for the other run.
 */
export enum ExitCode {
    /** Every requested step succeeded (or there was nothing to do). */
    Success = 0,
    /** An unexpected internal error (a bug); the message carries the cause. */
    Unexpected = 1,
    /** A flag, a stack name or the stack configuration is invalid; the message names the field. */
    BadInput = 2,
    /** A mandatory policy violation stopped the step. */
    PolicyViolation = 3,
    /** The step's cost estimate is above the stack's monthly cap or maxCostPerHour. */
    OverCap = 4,
    /** OTP missing, wrong, replayed, or the stack's promotions are locked after wrong codes. */
    OtpRefused = 5,
    /** The engine failed (preview or up), or a run was interrupted; the stack stays resumable. */
    EngineFailure = 6,
    /** Another promotion of the same stack holds the lock. */
    Locked = 7,
    /** The promotion rules refuse the request: skipping a tier, or prod before the previous environment. */
    OrderRefused = 8,
    /**
     * The driver's own records cannot be trusted or used: the state directory is unwritable, full
     * or unreadable, a state file is corrupt or of the wrong shape, the tier of record disagrees
     * with the audit log or the engine, or the audit log's hash chain is broken. Nothing was
     * deployed by this run; the message names the file and how to reconcile.
     */
    StateProblem = 9,
    /** The plan `up` would apply is not the plan that was previewed, reviewed or approved. */
    PlanChanged = 10,
    /**
     * The target cannot take the step (Kubernetes preflight): a StorageClass, IngressClass,
     * namespace, Secret or ConfigMap the program assumes is missing, the nodes cannot hold the
     * step's pods at their minimum, a rolling update's surge would not fit, or a quota is too
     * small. Nothing changed.
     */
    TargetRefused = 11,
    /** The deployed stack drifted from the state (someone changed the clusters by hand): choose --on-drift adopt or overwrite. */
    Drift = 12,
}

/** An error that carries the exit code the CLI should end with. */
export class DriverError extends Error {
    constructor(readonly exitCode: ExitCode, message: string) {
        super(message);
        this.name = "DriverError";
    }
}
