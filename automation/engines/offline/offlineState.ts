/**
 * What an offline `up` leaves behind, per stack, under the state dir:
 *   <stack>/snapshot.json   resources (secrets masked), plain outputs, tier, time
 *   <stack>/otp-seed        the OtpGate seed, mode 0600, for OTP checks only
 *   <stack>/last-failure.json  the last failed `up` (the snapshot stays the previous one)
 * The seed cannot be re-derived (the mocks draw random bytes), so it is kept like Pulumi keeps
 * a random resource's value in state: once created it survives later `up`s, and it is removed
 * when the program stops exporting it.
 */
import * as fs from "fs";
import * as path from "path";
import { Tier, TIERS } from "../../../contract/catalog";
import { DriverError, ExitCode } from "../../exitCodes";
import { readTextIfExists, writeFileAtomic } from "../../state/safeFs";
import { PlannedResource } from "../engine";

export interface OfflineSnapshot {
    stack: string;
    tier: Tier;
    deployedAt: string;
    resources: PlannedResource[];
    /** Plain outputs; secret ones are "[secret]". */
    outputs: Record<string, unknown>;
    secretOutputs: string[];
}

interface OfflineFailure {
    stack: string;
    tier: Tier;
    failedAt: string;
    error: string;
}

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Writes via a temporary file and a rename, so a crash never leaves half a file (nor a `*.tmp` after a failure). */
const writeAtomic = writeFileAtomic;

export class OfflineState {
    constructor(readonly dir: string) {}

    stackDir(stack: string): string {
        if (!STACK_NAME.test(stack)) {
            throw new Error(`Stack name ${JSON.stringify(stack)} is not valid: use letters, digits, "-", "_" or ".".`);
        }
        return path.join(this.dir, stack);
    }

    private ensureStackDir(stack: string): string {
        const dir = this.stackDir(stack);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        return dir;
    }

    saveSnapshot(snapshot: OfflineSnapshot, otpSeed: string | undefined): void {
        const dir = this.ensureStackDir(snapshot.stack);
        const seedFile = path.join(dir, "otp-seed");
        if (otpSeed === undefined) {
            fs.rmSync(seedFile, { force: true });
        } else if (!fs.existsSync(seedFile)) {
            writeAtomic(seedFile, otpSeed, 0o600);
        }
        writeAtomic(path.join(dir, "snapshot.json"), JSON.stringify(snapshot, null, 2) + "\n", 0o644);
        fs.rmSync(path.join(dir, "last-failure.json"), { force: true });
    }

    /** The deployed snapshot; undefined when nothing is deployed. A snapshot that is not one is refused (exit 9). */
    loadSnapshot(stack: string): OfflineSnapshot | undefined {
        const file = path.join(this.stackDir(stack), "snapshot.json");
        const text = readTextIfExists(file, "offline snapshot");
        if (text === undefined) return undefined;
        let snapshot: OfflineSnapshot;
        try {
            snapshot = JSON.parse(text) as OfflineSnapshot;
        } catch (e) {
            throw new DriverError(ExitCode.StateProblem, `the offline engine's snapshot ${file} is not valid JSON (${(e as Error).message}): restore it from a backup of the state directory`);
        }
        if (!snapshot || typeof snapshot !== "object" || !TIERS.includes(snapshot.tier) || !Array.isArray(snapshot.resources)) {
            throw new DriverError(ExitCode.StateProblem, `the offline engine's snapshot ${file} is not a snapshot (tier ${JSON.stringify(snapshot?.tier)}): restore it from a backup of the state directory`);
        }
        return snapshot;
    }

    loadOtpSeed(stack: string): string | undefined {
        const file = path.join(this.stackDir(stack), "otp-seed");
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    }

    recordFailure(stack: string, tier: Tier, error: string): void {
        const dir = this.ensureStackDir(stack);
        const failure: OfflineFailure = { stack, tier, failedAt: new Date().toISOString(), error };
        writeAtomic(path.join(dir, "last-failure.json"), JSON.stringify(failure, null, 2) + "\n", 0o644);
    }
}
