/**
 * End to end: the driver's CLI with the offline engine on the real program and stack files.
 * Every test works in its own temp state dir; the ones that start from "dev at tier 2" copy a
 * baseline that `before` builds once with a real promotion.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { openSteps, readAudit } from "../../automation/audit/auditLog";
import { ExitCode } from "../../automation/exitCodes";
import { currentCode } from "../../automation/otp/totp";
import { estimateCost } from "../../cost";
import { StateStore } from "../../automation/state/stackState";
import { cli, cliProcess, filesUnder, tempStateDir } from "../automation/support/cliHarness";

const OFFLINE = ["--engine", "offline"];

function copyOf(dir: string): string {
    const copy = tempStateDir();
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
}

function seedOf(stateDir: string, stack: string): string {
    return fs.readFileSync(path.join(stateDir, "offline", stack, "otp-seed"), "utf8").trim();
}

/** The driver's own files: everything but the offline engine's stand-in for the cloud secret store. */
function driverFiles(stateDir: string) {
    return filesUnder(stateDir).filter((f) => !f.file.startsWith(path.join(stateDir, "offline") + path.sep));
}

function wrongCode(seed: string, now: Date): string {
    const valid = new Set([-30_000, 0, 30_000].map((d) => currentCode(seed, new Date(now.getTime() + d))));
    return ["111111", "222222", "333333", "444444"].find((c) => !valid.has(c))!;
}

describe("driver end to end (offline engine, real program)", function () {
    this.timeout(600_000);
    let devAtTier2: string;

    before(async () => {
        devAtTier2 = tempStateDir();
        const run = await cli(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", devAtTier2]);
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        assert.match(run.text(), /OFFLINE ENGINE|offline/);
    });

    it("walks dev 0 -> 3: tiers 0-2 without OTP, the tier-3 step with a code from otp-code", async () => {
        const dir = copyOf(devAtTier2);
        assert.deepStrictEqual(readAudit(dir, "dev").filter((r) => r.result === "succeeded").map((r) => r.toTier), [0, 1, 2]);
        // otp-code is for local use: CI unset explicitly (the test runner may run with CI=true).
        const otp = await cli(["otp-code", "--stack", "dev", ...OFFLINE, "--state-dir", dir], {}, { CI: undefined });
        assert.strictEqual(otp.code, ExitCode.Success, otp.text());
        assert.match(otp.out.join("\n"), /^\d{6}$/);
        const run = await cli(["promote", "--stack", "dev", "--to", "3", "--otp", otp.out[0], ...OFFLINE, "--json", "--state-dir", dir]);
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        const summary = run.json();
        assert.deepStrictEqual(summary.steps.map((s: any) => [s.from, s.to, s.result, s.otpVerified]), [[2, 3, "succeeded", true]]);
        const state = new StateStore(dir).read("dev");
        assert.strictEqual(state.tier, 3);
        const audit = readAudit(dir, "dev");
        assert.deepStrictEqual(openSteps(audit), []);
        assert.deepStrictEqual(audit.filter((r) => r.result !== "in-progress").map((r) => [r.fromTier, r.toTier, r.result, r.otpVerified]), [
            [null, 0, "succeeded", false], [0, 1, "succeeded", false], [1, 2, "succeeded", false], [2, 3, "succeeded", true],
        ]);
        for (const r of audit) assert.ok(r.cost && r.cost.monthlyCap > 0 && r.cost.monthlyExpected > 0, JSON.stringify(r.cost));

        // The seed is nowhere but in the offline engine's secret store: not in output, state, audit, locks or reports.
        const seed = seedOf(dir, "dev");
        assert.match(seed, /^[A-Z2-7]{32}$/);
        for (const { file, text } of driverFiles(dir)) assert.ok(!text.includes(seed), `seed found in ${file}`);
        assert.ok(!run.text().includes(seed) && !otp.text().includes(seed));
        const history = await cli(["history", "--stack", "dev", "--state-dir", dir]);
        assert.ok(!history.text().includes(seed));
    });

    it("writes a review report per step whose figures equal the shared cost model's", async () => {
        const dir = copyOf(devAtTier2);
        const reportJson = path.join(dir, "reports", "dev", "dev-tier2.json");
        assert.ok(fs.existsSync(reportJson) && fs.existsSync(reportJson.replace(/json$/, "md")) && fs.existsSync(reportJson.replace(/json$/, "svg")));
        const review = JSON.parse(fs.readFileSync(reportJson, "utf8"));
        const snapshot = JSON.parse(fs.readFileSync(path.join(dir, "offline", "dev", "snapshot.json"), "utf8"));
        const estimate = estimateCost(snapshot.resources, { defaultRegion: "us-west-2" });
        assert.strictEqual(review.proposed.monthlyExpected, estimate.monthlyExpected);
        assert.strictEqual(review.proposed.hourlyWorstCase, estimate.hourlyWorstCase);
        const audited = readAudit(dir, "dev").filter((r) => r.toTier === 2 && r.result === "succeeded")[0];
        assert.strictEqual(audited.cost!.monthlyExpected, Math.round(estimate.monthlyExpected * 100) / 100);
        assert.strictEqual(review.cap.monthly, audited.cost!.monthlyCap);

        const out = tempStateDir();
        const run = await cli(["review", "--stack", "dev", "--to", "3", ...OFFLINE, "--out", out, "--json", "--state-dir", dir]);
        // The shipped dev stack at tier 3 is within its $2500 monthly cap.
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        const summary = run.json();
        assert.strictEqual(summary.currentTier, 2);
        assert.strictEqual(summary.verdict, "within-cap");
        const written = JSON.parse(fs.readFileSync(summary.files.json, "utf8"));
        assert.strictEqual(written.current.monthlyExpected, estimate.monthlyExpected);
        assert.deepStrictEqual(written.tierCosts.map((t: any) => t.tier), [0, 1, 2, 3]);
        assert.ok(!fs.readFileSync(summary.files.markdown, "utf8").includes(seedOf(dir, "dev")));
    });

    it("refuses prod before dev reached the tier (exit 8)", async () => {
        const fresh = await cli(["promote", "--stack", "prod", "--otp", "123456", ...OFFLINE, "--state-dir", tempStateDir()]);
        assert.strictEqual(fresh.code, ExitCode.OrderRefused);
        assert.match(fresh.text(), /prod may reach tier 0 only after dev was promoted to tier 0/);
        const ahead = await cli(["promote", "--stack", "prod", "--to", "3", "--otp", "123456", ...OFFLINE, "--state-dir", copyOf(devAtTier2)]);
        assert.strictEqual(ahead.code, ExitCode.OrderRefused);
        assert.match(ahead.text(), /tier 3 only after dev/);
    });

    it("refuses a skipped tier (exit 8)", async () => {
        const run = await cli(["promote", "--stack", "dev", "--to", "1", "--no-walk", ...OFFLINE, "--state-dir", tempStateDir()]);
        assert.strictEqual(run.code, ExitCode.OrderRefused);
        assert.match(run.text(), /skipping a tier is refused/);
    });

    it("refuses a wrong OTP, then locks the stack out after the fifth wrong code, even for a valid one (exit 5)", async () => {
        const dir = copyOf(devAtTier2);
        const now = new Date();
        const seed = seedOf(dir, "dev");
        // Four wrong codes from earlier attempts.
        new StateStore(dir).update("dev", (s) => (s.otp.wrongCodes = [1, 2, 3, 4].map((m) => new Date(now.getTime() - m * 60_000).toISOString())));
        const wrong = await cli(["promote", "--stack", "dev", "--otp", wrongCode(seed, now), ...OFFLINE, "--state-dir", dir], { now: () => now });
        assert.strictEqual(wrong.code, ExitCode.OtpRefused);
        assert.match(wrong.text(), /locked until/);
        const record = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual([record.result, record.otpVerified, record.toTier], ["otp-refused", false, 3]);
        assert.ok(new StateStore(dir).read("dev").otp.lockedUntil);

        const valid = await cli(["promote", "--stack", "dev", "--otp", currentCode(seed, now), ...OFFLINE, "--state-dir", dir], { now: () => now });
        assert.strictEqual(valid.code, ExitCode.OtpRefused);
        assert.match(valid.text(), /promotions of stack dev are locked until/);
        assert.strictEqual(new StateStore(dir).read("dev").tier, 2);
        for (const { file, text } of driverFiles(dir)) assert.ok(!text.includes(seed), `seed found in ${file}`);
    });

    it("records a failed up (exit 6), refuses the replayed code (exit 5), and resumes with a fresh code", async () => {
        const dir = copyOf(devAtTier2);
        const seed = seedOf(dir, "dev");
        const now = new Date();
        const code = currentCode(seed, now);
        process.env.PROMOTION_FAIL_UP = "after-start";
        let failed;
        try {
            failed = await cli(["promote", "--stack", "dev", "--otp", code, ...OFFLINE, "--state-dir", dir], { now: () => now });
        } finally {
            delete process.env.PROMOTION_FAIL_UP;
        }
        assert.strictEqual(failed.code, ExitCode.EngineFailure, failed.text());
        assert.strictEqual(new StateStore(dir).read("dev").tier, 2, "the recorded tier stays the last successful one");
        assert.strictEqual(readAudit(dir, "dev").pop()!.result, "failed");

        const replay = await cli(["promote", "--stack", "dev", "--otp", code, ...OFFLINE, "--state-dir", dir], { now: () => new Date(now.getTime() + 5_000) });
        assert.strictEqual(replay.code, ExitCode.OtpRefused);
        assert.match(replay.text(), /already used/);

        const later = new Date(now.getTime() + 60_000);
        const resumed = await cli(["promote", "--stack", "dev", "--otp", currentCode(seed, later), ...OFFLINE, "--state-dir", dir], { now: () => later });
        assert.strictEqual(resumed.code, ExitCode.Success, resumed.text());
        assert.strictEqual(new StateStore(dir).read("dev").tier, 3);
        assert.deepStrictEqual(openSteps(readAudit(dir, "dev")), []);
    });

    it("reports an over-cap step as over cap (exit 4) when the cost-caps pack is mandatory, as on prod (cap of 1 USD)", async () => {
        const dir = tempStateDir();
        const run = await cli(["promote", "--stack", "dev", "--config", "policyEnforcement=mandatory", "--config", "monthlyCostCap=1", ...OFFLINE, "--json", "--state-dir", dir]);
        assert.strictEqual(run.code, ExitCode.OverCap, run.text());
        const summary = run.json();
        assert.strictEqual(summary.exitCode, ExitCode.OverCap);
        assert.match(summary.message, /mandatory cost-caps violation\(s\): cost-caps\/cost-within-monthly-cap/);
        const record = readAudit(dir, "dev").pop()!;
        assert.strictEqual(record.result, "over-cap");
        const mandatory = record.policyViolations.filter((v) => v.level === "mandatory");
        assert.ok(mandatory.length > 0, JSON.stringify(record.policyViolations));
        assert.ok(mandatory.every((v) => v.pack === "cost-caps"), JSON.stringify(mandatory));
        assert.strictEqual(record.cost?.monthlyCap, 1);
        assert.strictEqual(new StateStore(dir).read("dev").tier, null);
        assert.ok(!fs.existsSync(path.join(dir, "offline", "dev", "snapshot.json")), "nothing was deployed");
    });

    it("blocks an over-cap step with exit 4 (advisory policies, cap of 1 USD)", async () => {
        const dir = tempStateDir();
        const run = await cli(["promote", "--stack", "dev", "--config", "monthlyCostCap=1", ...OFFLINE, "--json", "--state-dir", dir]);
        assert.strictEqual(run.code, ExitCode.OverCap, run.text());
        const summary = run.json();
        assert.strictEqual(summary.exitCode, ExitCode.OverCap);
        assert.match(summary.message, /above the monthly cap \$1\.00/);
        const record = readAudit(dir, "dev").pop()!;
        assert.strictEqual(record.result, "over-cap");
        assert.strictEqual(record.cost?.monthlyCap, 1);
        assert.ok(record.cost!.monthlyExpected > 1);
        const status = await cli(["status", "--json", "--state-dir", dir]);
        const dev = status.json().stacks.find((s: any) => s.stack === "dev");
        assert.ok(dev.pendingGates.some((g: string) => g.startsWith("cost")), JSON.stringify(dev.pendingGates));
    });

    it("survives a crash in the middle of up: the snapshot keeps the previous tier, audit and state stay consistent, the next run resumes", async () => {
        const dir = copyOf(devAtTier2);
        const seed = seedOf(dir, "dev");
        const snapshotFile = path.join(dir, "offline", "dev", "snapshot.json");
        const snapshotBefore = fs.readFileSync(snapshotFile, "utf8");
        assert.strictEqual(JSON.parse(snapshotBefore).tier, 2);
        const now = new Date();
        const crashed = cliProcess(["promote", "--stack", "dev", "--otp", currentCode(seed, now), ...OFFLINE, "--state-dir", dir], { PROMOTION_CRASH_DURING_UP: "1" });
        assert.strictEqual(crashed.signal, "SIGKILL", crashed.stderr);
        // Killed inside the offline `up`: the child had returned the tier-3 resources, the snapshot was not written yet.
        assert.match(crashed.stdout, /\[offline\] dev tier 3: \d+ resources[^\n]*\n[^\n]*PROMOTION_CRASH_DURING_UP set: killing the driver in the middle of up/);
        assert.doesNotMatch(crashed.stdout, /up recorded/);
        // Atomic: the snapshot still holds tier 2, byte for byte, and no half-written temporary file is left.
        assert.strictEqual(fs.readFileSync(snapshotFile, "utf8"), snapshotBefore);
        assert.deepStrictEqual(fs.readdirSync(path.dirname(snapshotFile)).filter((f) => f.endsWith(".tmp")), []);
        const state = new StateStore(dir).read("dev");
        assert.strictEqual(state.tier, 2);
        assert.strictEqual(state.inProgress?.to, 3);
        assert.deepStrictEqual(openSteps(readAudit(dir, "dev")).map((r) => r.toTier), [3]);
        const crashedStep = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual([crashedStep.fromTier, crashedStep.toTier, crashedStep.result], [2, 3, "in-progress"]);
        // The dead driver's lock is stale and taken over.
        assert.ok(fs.existsSync(path.join(dir, "locks", "dev.lock")));

        const later = new Date(now.getTime() + 60_000);
        const next = await cli(["promote", "--stack", "dev", "--otp", currentCode(seed, later), ...OFFLINE, "--json", "--state-dir", dir], { now: () => later });
        assert.strictEqual(next.code, ExitCode.Success, next.text());
        const summary = next.json();
        assert.deepStrictEqual(summary.interrupted.map((r: any) => [r.toTier, r.result]), [[3, "interrupted"]]);
        assert.deepStrictEqual(summary.steps.map((s: any) => [s.to, s.result]), [[3, "succeeded"]]);
        assert.match(next.err.join("\n"), /took over the stale lock/);
        const audit = readAudit(dir, "dev");
        // Tiers 0-2 of the baseline, then the crashed step (in progress, then interrupted), then the resumed one.
        assert.deepStrictEqual(audit.slice(-4).map((r) => [r.toTier, r.result]), [[3, "in-progress"], [3, "interrupted"], [3, "in-progress"], [3, "succeeded"]]);
        assert.strictEqual(audit[audit.length - 3].stepId, crashedStep.stepId, "the interrupted line closes the crashed step");
        assert.deepStrictEqual(openSteps(audit), []);
        const after = new StateStore(dir).read("dev");
        assert.deepStrictEqual([after.tier, after.inProgress], [3, undefined]);
        assert.strictEqual(JSON.parse(fs.readFileSync(snapshotFile, "utf8")).tier, 3);
    });

    it("after a failed up to tier 3, --rollback re-applies tier 2 (the last good one)", async () => {
        const dir = copyOf(devAtTier2);
        const seed = seedOf(dir, "dev");
        process.env.PROMOTION_FAIL_UP = "after-start";
        let failed;
        try {
            failed = await cli(["promote", "--stack", "dev", "--otp", currentCode(seed), ...OFFLINE, "--state-dir", dir]);
        } finally {
            delete process.env.PROMOTION_FAIL_UP;
        }
        assert.strictEqual(failed.code, ExitCode.EngineFailure, failed.text());
        const same = await cli(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
        assert.strictEqual(same.code, ExitCode.Success);
        assert.match(same.text(), /already at tier 2/);

        const back = await cli(["promote", "--stack", "dev", "--rollback", ...OFFLINE, "--json", "--state-dir", dir]);
        assert.strictEqual(back.code, ExitCode.Success, back.text());
        assert.deepStrictEqual(back.json().steps.map((s: any) => [s.kind, s.from, s.to, s.result]), [["rollback", 3, 2, "rolled-back"]]);
        assert.match(back.err.join("\n"), /gate policy: passed/, "through the same gates");
        const state = new StateStore(dir).read("dev");
        assert.deepStrictEqual([state.tier, state.failedUp, state.pendingGates], [2, undefined, []]);
        const snapshot = JSON.parse(fs.readFileSync(path.join(dir, "offline", "dev", "snapshot.json"), "utf8"));
        assert.strictEqual(snapshot.tier, 2);
        assert.deepStrictEqual(openSteps(readAudit(dir, "dev")), []);
        assert.deepStrictEqual(readAudit(dir, "dev").pop()!.result, "rolled-back");
    });

    it("rolls back to the previous tier with --rollback", async () => {
        const dir = copyOf(devAtTier2);
        const run = await cli(["promote", "--stack", "dev", "--rollback", ...OFFLINE, "--state-dir", dir]);
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        assert.strictEqual(new StateStore(dir).read("dev").tier, 1);
        const record = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual([record.kind, record.fromTier, record.toTier, record.result], ["rollback", 2, 1, "rolled-back"]);
        const snapshot = JSON.parse(fs.readFileSync(path.join(dir, "offline", "dev", "snapshot.json"), "utf8"));
        assert.strictEqual(snapshot.tier, 1);
    });
});
