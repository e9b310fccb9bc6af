import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Tier } from "../../../contract/catalog";
import { appendAudit, headFile, lineHash, readAudit, openSteps } from "../../../automation/audit/auditLog";
import { ExitCode } from "../../../automation/exitCodes";
import { currentCode } from "../../../automation/otp/totp";
import { runPromotion } from "../../../automation/promotion/runPromotion";
import { acquireStackLock } from "../../../automation/state/lock";
import { StateStore } from "../../../automation/state/stackState";
import { FAKE_SEED, FakeEngine, promotionOptions } from "../support/fakeEngine";

/** `stack` recorded (state and audit log agreeing) and deployed at `tier`. */
function deployedAt(dir: string, engine: FakeEngine, stack: string, tier: Tier): StateStore {
    const store = new StateStore(dir);
    store.update(stack, (s) => (s.tier = tier));
    appendAudit(dir, {
        time: new Date().toISOString(), stack, stepId: `seeded-${stack}-${tier}`, actor: "tester", kind: "promote", fromTier: null, toTier: tier,
        engine: "offline", result: "succeeded", policyViolations: [], otpVerified: false,
    });
    engine.deployed.set(stack, tier);
    return store;
}

/** dev at tier 3, so prod may follow, and prod recorded and deployed at `tier`. */
function prodDeployedAt(dir: string, engine: FakeEngine, tier: Tier): StateStore {
    const store = new StateStore(dir);
    store.update("dev", (s) => (s.tier = 3 as Tier));
    return deployedAt(dir, engine, "prod", tier);
}

function setup() {
    return { dir: fs.mkdtempSync(path.join(os.tmpdir(), "promotion-run-")), engine: new FakeEngine() };
}

describe("runPromotion with a fake engine", () => {
    it("walks dev 0 -> 3 with the OTP on the tier-3 step, recording every step", async () => {
        const { dir, engine } = setup();
        const code = currentCode(FAKE_SEED);
        // The code is only checked on the tier-3 step, after tier 2 deployed the gate.
        const summary = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 3 }, otpCode: code }));
        assert.strictEqual(summary.exitCode, ExitCode.Success, summary.message);
        assert.deepStrictEqual(summary.steps.map((s) => [s.to, s.result, s.otpVerified]), [[0, "succeeded", false], [1, "succeeded", false], [2, "succeeded", false], [3, "succeeded", true]]);
        assert.strictEqual(new StateStore(dir).read("dev").tier, 3);
        const audit = readAudit(dir, "dev");
        assert.strictEqual(audit.length, 8, "in-progress + final per step");
        assert.deepStrictEqual(openSteps(audit), []);
        assert.deepStrictEqual(engine.calls.filter((c) => c.startsWith("up")), ["up dev 0", "up dev 1", "up dev 2", "up dev 3"]);
    });

    it("stops at the tier-3 step without a code (exit 5), keeping tier 2, then resumes with one", async () => {
        const { dir, engine } = setup();
        const first = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 3 } }));
        assert.strictEqual(first.exitCode, ExitCode.OtpRefused);
        assert.strictEqual(first.finalTier, 2);
        assert.deepStrictEqual(new StateStore(dir).read("dev").pendingGates.map((g) => [g.gate, g.to]), [["otp", 3]]);
        const second = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 3 }, otpCode: currentCode(FAKE_SEED) }));
        assert.strictEqual(second.exitCode, ExitCode.Success);
        assert.deepStrictEqual(second.steps.map((s) => s.to), [3]);
        assert.deepStrictEqual(new StateStore(dir).read("dev").pendingGates, []);
    });

    it("refuses prod before dev with exit 8 and touches no engine", async () => {
        const { dir, engine } = setup();
        const summary = await runPromotion(engine, promotionOptions(dir, "prod", { otpCode: "123456" }));
        assert.strictEqual(summary.exitCode, ExitCode.OrderRefused);
        assert.match(summary.message, /after dev was promoted to tier 0/);
        assert.deepStrictEqual(engine.calls, []);
    });

    it("stops on a mandatory violation (exit 3) but passes advisory ones", async () => {
        const { dir, engine } = setup();
        engine.violations = (req) => [{ policyName: "require-limits", policyPackName: "resource-limits", enforcementLevel: req.tier === 1 ? "mandatory" : "advisory", resourceUrn: "urn:x", message: "no limits" }];
        const summary = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
        assert.strictEqual(summary.exitCode, ExitCode.PolicyViolation);
        assert.deepStrictEqual(summary.steps.map((s) => s.result), ["succeeded", "policy-denied"]);
        const denied = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual(denied.policyViolations, [{ name: "require-limits", pack: "resource-limits", level: "mandatory", urn: "urn:x", message: "no limits" }]);
        assert.ok(!engine.calls.includes("up dev 1"));
    });

    it("stops over the monthly cap or maxCostPerHour (exit 4) and records the estimate against the cap", async () => {
        const { dir, engine } = setup();
        const monthly = await runPromotion(engine, promotionOptions(dir, "dev", { capsFor: () => ({ monthlyCap: 1, maxCostPerHour: 50 }) }));
        assert.strictEqual(monthly.exitCode, ExitCode.OverCap);
        const record = readAudit(dir, "dev").pop()!;
        assert.strictEqual(record.result, "over-cap");
        assert.deepStrictEqual([record.cost?.monthlyExpected, record.cost?.monthlyCap], [100, 1]);
        const hourly = await runPromotion(engine, promotionOptions(dir, "dev", { capsFor: () => ({ monthlyCap: 5000, maxCostPerHour: 0.1 }) }));
        assert.strictEqual(hourly.exitCode, ExitCode.OverCap);
        assert.match(hourly.message, /maxCostPerHour/);
        assert.strictEqual(new StateStore(dir).read("dev").tier, null);
    });

    it("reports a step whose only mandatory violations are the cost-caps pack's as over cap (exit 4), listing them", async () => {
        const { dir, engine } = setup();
        const capRule = { policyName: "cost-within-monthly-cap", policyPackName: "cost-caps", enforcementLevel: "mandatory" as const, message: "over the cap" };
        engine.violations = () => [capRule, { ...capRule, policyName: "cost-approaching-monthly-cap", enforcementLevel: "advisory" }];
        const summary = await runPromotion(engine, promotionOptions(dir, "dev"));
        assert.strictEqual(summary.exitCode, ExitCode.OverCap, summary.message);
        assert.match(summary.message, /cost-caps\/cost-within-monthly-cap/);
        assert.doesNotMatch(summary.message, /cost-approaching-monthly-cap/, "advisory results are not listed as the cause");
        const record = readAudit(dir, "dev").pop()!;
        assert.strictEqual(record.result, "over-cap");
        assert.deepStrictEqual(record.policyViolations.filter((v) => v.level === "mandatory").map((v) => `${v.pack}/${v.name}`), ["cost-caps/cost-within-monthly-cap"]);
        assert.ok(record.cost && record.cost.monthlyExpected === 100, "the estimate is recorded too");
        assert.deepStrictEqual(new StateStore(dir).read("dev").pendingGates.map((g) => g.gate), ["cost"]);
        assert.ok(!engine.calls.some((c) => c.startsWith("up")));
    });

    it("keeps mixed mandatory violations (cost-caps and another pack) a policy denial (exit 3)", async () => {
        const { dir, engine } = setup();
        engine.violations = () => [
            { policyName: "cost-within-monthly-cap", policyPackName: "cost-caps", enforcementLevel: "mandatory", message: "over the cap" },
            { policyName: "require-limits", policyPackName: "resource-limits", enforcementLevel: "mandatory", message: "no limits" },
        ];
        const summary = await runPromotion(engine, promotionOptions(dir, "dev"));
        assert.strictEqual(summary.exitCode, ExitCode.PolicyViolation, summary.message);
        assert.match(summary.message, /2 mandatory policy violation\(s\): cost-caps\/cost-within-monthly-cap, resource-limits\/require-limits/);
        assert.strictEqual(readAudit(dir, "dev").pop()!.result, "policy-denied");
    });

    it("records which step's verified code approved the later OTP-gated steps of the run", async () => {
        const { dir, engine } = setup();
        prodDeployedAt(dir, engine, 0);
        engine.gateFromTier = 0;
        const summary = await runPromotion(engine, promotionOptions(dir, "prod", { request: { to: 2 }, otpCode: currentCode(FAKE_SEED) }));
        assert.strictEqual(summary.exitCode, ExitCode.Success, summary.message);
        const [first, second] = summary.steps;
        assert.deepStrictEqual([first.otpVerified, first.otpApprovedInStep, second.otpVerified, second.otpApprovedInStep], [true, undefined, true, first.stepId]);
        const finals = readAudit(dir, "prod").filter((r) => r.result === "succeeded" && !r.stepId.startsWith("seeded"));
        assert.deepStrictEqual(finals.map((r) => [r.toTier, r.otpVerified, r.otpApprovedInStep]), [[1, true, undefined], [2, true, first.stepId]]);
        const inProgress = readAudit(dir, "prod").filter((r) => r.result === "in-progress");
        assert.deepStrictEqual(inProgress.map((r) => r.otpApprovedInStep), [undefined, first.stepId], "the in-progress line says so too");
    });

    it("checks the code before the first preview when the gate is deployed: a wrong code stops the run before any work", async () => {
        const { dir, engine } = setup();
        deployedAt(dir, engine, "dev", 2);
        let previews = 0;
        const preview = engine.preview.bind(engine);
        engine.preview = async (req) => { previews++; return preview(req); };
        const refused = await runPromotion(engine, promotionOptions(dir, "dev", { otpCode: "000000" }));
        assert.strictEqual(refused.exitCode, ExitCode.OtpRefused);
        assert.strictEqual(previews, 0, "no preview runs on a refused code");
        assert.strictEqual(readAudit(dir, "dev").pop()!.result, "otp-refused");
    });

    it("masks the OTP seed and the passphrase in error texts it prints and records", async () => {
        const { dir, engine } = setup();
        const passphrase = "correct-horse-battery";
        deployedAt(dir, engine, "dev", 2);
        engine.preview = async (req) => { throw new Error(`provider said: seed=${FAKE_SEED} pass=${passphrase} tier=${req.tier}`); };
        const lines: string[] = [];
        const summary = await runPromotion(engine, promotionOptions(dir, "dev", { secrets: [passphrase], otpCode: currentCode(FAKE_SEED), log: (l) => lines.push(l) }));
        assert.strictEqual(summary.exitCode, ExitCode.EngineFailure);
        assert.match(summary.message, /seed=\[secret\] pass=\[secret\] tier=3/);
        const written = [JSON.stringify(summary), lines.join("\n"), fs.readFileSync(path.join(dir, "audit", "dev.jsonl"), "utf8"), fs.readFileSync(path.join(dir, "stacks", "dev.json"), "utf8")];
        for (const text of written) {
            assert.ok(!text.includes(FAKE_SEED) && !text.includes(passphrase), text);
        }
        assert.match(readAudit(dir, "dev").pop()!.message ?? "", /seed=\[secret\]/);
    });

    it("records a failed up, keeps the last good tier and retries the failed step next time", async () => {
        const { dir, engine } = setup();
        engine.failUpAt = 1;
        const failed = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
        assert.strictEqual(failed.exitCode, ExitCode.EngineFailure);
        assert.strictEqual(failed.finalTier, 0);
        assert.match(failed.message, /simulated provider error/);
        engine.failUpAt = undefined;
        const resumed = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
        assert.deepStrictEqual(resumed.steps.map((s) => s.to), [1, 2]);
        assert.strictEqual(resumed.finalTier, 2);
    });

    it("reconciles a crash during up: interrupted in the audit, tier unchanged, next run resumes", async () => {
        const { dir, engine } = setup();
        await runPromotion(engine, promotionOptions(dir, "dev"));
        await assert.rejects(
            runPromotion(engine, promotionOptions(dir, "dev", { hooks: { duringUp: () => { throw new Error("simulated crash"); } } })),
            /simulated crash/,
        );
        const crashed = new StateStore(dir).read("dev");
        assert.strictEqual(crashed.tier, 0);
        assert.strictEqual(crashed.inProgress?.to, 1);
        assert.strictEqual(openSteps(readAudit(dir, "dev")).length, 1);

        const next = await runPromotion(engine, promotionOptions(dir, "dev"));
        assert.strictEqual(next.interrupted.length, 1);
        assert.strictEqual(next.interrupted[0].toTier, 1);
        assert.deepStrictEqual(next.steps.map((s) => [s.to, s.result]), [[1, "succeeded"]]);
        const audit = readAudit(dir, "dev");
        assert.deepStrictEqual(openSteps(audit), []);
        assert.deepStrictEqual(audit.map((r) => r.result), ["in-progress", "succeeded", "in-progress", "interrupted", "in-progress", "succeeded"]);
        assert.ok(engine.calls.includes("refresh dev"));
        assert.strictEqual(new StateStore(dir).read("dev").inProgress, undefined);
    });

    it("restores a missing final audit line from the state", async () => {
        const { dir, engine } = setup();
        await runPromotion(engine, promotionOptions(dir, "dev"));
        const file = path.join(dir, "audit", "dev.jsonl");
        const lines = fs.readFileSync(file, "utf8").trim().split("\n");
        fs.writeFileSync(file, lines[0] + "\n"); // as if the crash fell between state and audit
        fs.writeFileSync(headFile(dir, "dev"), JSON.stringify({ seq: 0, hash: lineHash(lines[0]) })); // the head moves after the line
        await runPromotion(engine, promotionOptions(dir, "dev"));
        const audit = readAudit(dir, "dev");
        assert.deepStrictEqual(openSteps(audit), []);
        assert.strictEqual(audit[1].result, "succeeded");
        assert.match(audit[1].message ?? "", /restored from the state/);
    });

    it("rolls back one tier", async () => {
        const { dir, engine } = setup();
        await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 1 } }));
        const back = await runPromotion(engine, promotionOptions(dir, "dev", { request: { rollback: true } }));
        assert.strictEqual(back.exitCode, ExitCode.Success);
        assert.deepStrictEqual(back.steps.map((s) => [s.kind, s.from, s.to, s.result]), [["rollback", 1, 0, "rolled-back"]]);
        assert.strictEqual(engine.deployed.get("dev"), 0);
        assert.strictEqual(readAudit(dir, "dev").pop()!.result, "rolled-back");
    });

    it("after a failed up, --rollback re-applies the recorded tier through the gates; a later rollback goes one tier down", async () => {
        const { dir, engine } = setup();
        await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
        engine.failUpAt = 3;
        const failed = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 3 }, otpCode: currentCode(FAKE_SEED) }));
        assert.strictEqual(failed.exitCode, ExitCode.EngineFailure);
        assert.match(failed.message, /--rollback re-applies tier 2/);
        assert.deepStrictEqual(new StateStore(dir).read("dev").failedUp?.to, 3);
        // "promote --to 2" has nothing to do: the recorded tier is 2.
        const same = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
        assert.deepStrictEqual([same.exitCode, same.steps.length], [ExitCode.Success, 0]);

        engine.calls = [];
        const back = await runPromotion(engine, promotionOptions(dir, "dev", { request: { rollback: true } }));
        assert.strictEqual(back.exitCode, ExitCode.Success, back.message);
        assert.deepStrictEqual(back.steps.map((s) => [s.kind, s.from, s.to, s.result]), [["rollback", 3, 2, "rolled-back"]]);
        assert.deepStrictEqual(engine.calls, ["preview dev 2", "up dev 2"], "the same gates (preview with policies), then up at tier 2");
        const state = new StateStore(dir).read("dev");
        assert.deepStrictEqual([state.tier, state.failedUp, state.pendingGates], [2, undefined, []]);
        assert.deepStrictEqual(readAudit(dir, "dev").slice(-2).map((r) => [r.kind, r.fromTier, r.toTier, r.result]), [
            ["rollback", 3, 2, "in-progress"], ["rollback", 3, 2, "rolled-back"],
        ]);

        const down = await runPromotion(engine, promotionOptions(dir, "dev", { request: { rollback: true } }));
        assert.deepStrictEqual(down.steps.map((s) => [s.kind, s.from, s.to, s.result]), [["rollback", 2, 1, "rolled-back"]]);
        assert.strictEqual(engine.deployed.get("dev"), 1);
    });

    it("after an interrupted up, --rollback re-applies the recorded tier", async () => {
        const { dir, engine } = setup();
        await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 1 } }));
        await assert.rejects(
            runPromotion(engine, promotionOptions(dir, "dev", { hooks: { duringUp: () => { throw new Error("simulated crash"); } } })),
            /simulated crash/,
        );
        const back = await runPromotion(engine, promotionOptions(dir, "dev", { request: { rollback: true } }));
        assert.deepStrictEqual(back.interrupted.map((r) => r.toTier), [2]);
        assert.deepStrictEqual(back.steps.map((s) => [s.kind, s.from, s.to, s.result]), [["rollback", 2, 1, "rolled-back"]]);
        assert.strictEqual(new StateStore(dir).read("dev").tier, 1);
        assert.strictEqual(new StateStore(dir).read("dev").failedUp, undefined);
    });

    it("refuses while another promotion holds the lock", async () => {
        const { dir, engine } = setup();
        const lock = acquireStackLock(dir, "dev", "other");
        await assert.rejects(runPromotion(engine, promotionOptions(dir, "dev")), (e: any) => e.exitCode === ExitCode.Locked && e.message.includes(String(process.pid)));
        lock.release();
    });

    it("refuses prod steps with a wrong code, then locks after five, with exit 5", async () => {
        const { dir, engine } = setup();
        const store = prodDeployedAt(dir, engine, 2);
        for (let i = 0; i < 5; i++) {
            const s = await runPromotion(engine, promotionOptions(dir, "prod", { otpCode: "000000" }));
            assert.strictEqual(s.exitCode, ExitCode.OtpRefused);
        }
        const locked = await runPromotion(engine, promotionOptions(dir, "prod", { otpCode: currentCode(FAKE_SEED) }));
        assert.strictEqual(locked.exitCode, ExitCode.OtpRefused);
        assert.match(locked.message, /locked until/);
        assert.ok(store.read("prod").otp.lockedUntil);
        const text = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
        assert.ok(!text.includes(FAKE_SEED));
    });

    it("lets a first deployment without a gate pass only with --bootstrap-otp-gate", async () => {
        const { dir, engine } = setup();
        new StateStore(dir).update("dev", (s) => (s.tier = 0 as Tier));
        const refused = await runPromotion(engine, promotionOptions(dir, "prod", { otpCode: "123456" }));
        assert.strictEqual(refused.exitCode, ExitCode.OtpRefused);
        assert.match(refused.message, /no deployed OtpGate/);
        const noCode = await runPromotion(engine, promotionOptions(dir, "prod"));
        assert.strictEqual(noCode.exitCode, ExitCode.OtpRefused);
        assert.match(noCode.message, /no OTP code exists for it: for the stack's first deployment pass --bootstrap-otp-gate/);
        assert.doesNotMatch(noCode.message, /pass --otp CODE/);
        const boot = await runPromotion(engine, promotionOptions(dir, "prod", { otpCode: "123456", bootstrapOtpGate: true }));
        assert.strictEqual(boot.exitCode, ExitCode.Success, boot.message);
        assert.strictEqual(boot.steps[0].otpVerified, false);
    });
});
