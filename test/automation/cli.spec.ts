import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ExitCode } from "../../automation/exitCodes";
import { currentCode } from "../../automation/otp/totp";
import { parseCliArgs } from "../../automation/cliArgs";
import { loadDriverConfig, validateDriverConfig } from "../../automation/driverConfig";
import { cli, ROOT, tempStateDir } from "./support/cliHarness";
import { FAKE_SEED, FakeEngine } from "./support/fakeEngine";

/** Environment of a local shell: `CI` unset, as `otp-code` requires. */
const LOCAL: NodeJS.ProcessEnv = { CI: undefined };

describe("driver CLI (fake engine)", () => {
    function withFake() {
        const engine = new FakeEngine();
        return { engine, context: { engine: () => engine } };
    }

    it("parses flags and refuses bad input with exit 2 naming the flag", async () => {
        assert.deepStrictEqual(parseCliArgs(["promote", "--stack", "dev", "--to", "2", "--config", "monthlyCostCap=1"]).config, { monthlyCostCap: "1" });
        for (const [argv, pattern] of [
            [["promote"], /--stack/],
            [["promote", "--stack", "dev", "--to", "5"], /--to 5: a tier is 0, 1, 2 or 3/],
            [["deploy"], /unknown command "deploy"/],
            [["promote", "--stack", "dev", "--engine", "terraform"], /--engine terraform/],
            [["promote", "--stack", "dev", "--config", "novalue"], /key=value/],
            [["promote", "--stack", "../x"], /not a valid stack name/],
            [["review", "--stack", "dev"], /--to N/],
        ] as [string[], RegExp][]) {
            const run = await cli([...argv, "--state-dir", tempStateDir()]);
            assert.strictEqual(run.code, ExitCode.BadInput, argv.join(" "));
            assert.match(run.text(), pattern);
        }
    });

    it("refuses a stack without a stack file and an invalid config value with exit 2", async () => {
        const { context } = withFake();
        const missing = await cli(["promote", "--stack", "staging", "--state-dir", tempStateDir()], context);
        assert.strictEqual(missing.code, ExitCode.BadInput);
        assert.match(missing.text(), /Pulumi\.staging\.yaml/);
        const invalid = await cli(["promote", "--stack", "dev", "--config", "monthlyCostCap=lots", "--state-dir", tempStateDir()], context);
        assert.strictEqual(invalid.code, ExitCode.BadInput);
        assert.match(invalid.text(), /monthlyCostCap/);
    });

    it("promotes with --json printing exactly one JSON summary on stdout", async () => {
        const { context } = withFake();
        const dir = tempStateDir();
        const run = await cli(["promote", "--stack", "dev", "--to", "1", "--json", "--state-dir", dir], context);
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        const summary = run.json();
        assert.strictEqual(summary.exitCode, 0);
        assert.deepStrictEqual(summary.steps.map((s: any) => [s.from, s.to, s.result]), [[null, 0, "succeeded"], [0, 1, "succeeded"]]);
        assert.ok(run.err.some((l) => /gate policy: passed/.test(l)), "progress streams to stderr with --json");
    });

    it("streams steps and gates, refuses prod before dev (exit 8) and a skip (exit 8)", async () => {
        const { context } = withFake();
        const dir = tempStateDir();
        const prod = await cli(["promote", "--stack", "prod", "--otp", "123456", "--state-dir", dir], context);
        assert.strictEqual(prod.code, ExitCode.OrderRefused);
        assert.match(prod.text(), /after dev was promoted to tier 0/);
        const skip = await cli(["promote", "--stack", "dev", "--to", "2", "--no-walk", "--state-dir", dir], context);
        assert.strictEqual(skip.code, ExitCode.OrderRefused);
        assert.match(skip.text(), /skipping a tier is refused/);
        const ok = await cli(["promote", "--stack", "dev", "--state-dir", dir], context);
        assert.strictEqual(ok.code, ExitCode.Success);
        assert.match(ok.text(), /dev step none -> 0: preview/);
        assert.match(ok.text(), /gate cost: passed/);
        assert.match(ok.text(), /gate otp: not required/);
    });

    it("shows status with pending gates and history from the audit log", async () => {
        const { context } = withFake();
        const dir = tempStateDir();
        await cli(["promote", "--stack", "dev", "--to", "3", "--state-dir", dir], context);
        const status = await cli(["status", "--json", "--state-dir", dir], context);
        const stacks = status.json().stacks;
        const dev = stacks.find((s: any) => s.stack === "dev");
        const prod = stacks.find((s: any) => s.stack === "prod");
        assert.strictEqual(dev.tier, 2);
        assert.ok(dev.pendingGates.some((g: string) => /^otp \(step to 3/.test(g)), JSON.stringify(dev.pendingGates));
        assert.ok(prod.pendingGates.some((g: string) => /otp: the step to tier 0 needs an OTP code/.test(g)));
        const text = await cli(["status", "--state-dir", dir], context);
        assert.match(text.text(), /dev: tier 2 \(next: 3\)/);
        const history = await cli(["history", "--stack", "dev", "--json", "--state-dir", dir], context);
        assert.deepStrictEqual(history.json().records.map((r: any) => r.result), ["in-progress", "succeeded", "in-progress", "succeeded", "in-progress", "succeeded", "otp-refused"]);
    });

    it("prints a current OTP code (6 digits only) once the gate exists, exit 5 before", async () => {
        const { engine, context } = withFake();
        const dir = tempStateDir();
        // otp-code is for local use: run it with CI unset (the test runner itself may set CI).
        const before = await cli(["otp-code", "--stack", "dev", "--state-dir", dir], context, LOCAL);
        assert.strictEqual(before.code, ExitCode.OtpRefused);
        assert.match(before.text(), /no deployed OtpGate/);
        engine.deployed.set("dev", 2);
        const now = new Date();
        const after = await cli(["otp-code", "--stack", "dev", "--state-dir", dir], { ...context, now: () => now }, LOCAL);
        assert.strictEqual(after.code, ExitCode.Success);
        assert.deepStrictEqual(after.out, [currentCode(FAKE_SEED, now)]);
    });

    it("refuses otp-code in CI (exit 5) so a job cannot mint its own approval; CI=false or empty is local", async () => {
        const { engine, context } = withFake();
        engine.deployed.set("dev", 2);
        for (const ci of ["true", "1", "yes"]) {
            const run = await cli(["otp-code", "--stack", "dev", "--state-dir", tempStateDir()], context, { CI: ci });
            assert.strictEqual(run.code, ExitCode.OtpRefused, ci);
            assert.deepStrictEqual(run.out, [], "no code printed");
            assert.match(run.text(), /authenticator app/);
            assert.match(run.text(), /PROMOTION_OTP/);
        }
        for (const ci of ["false", ""]) {
            const run = await cli(["otp-code", "--stack", "dev", "--state-dir", tempStateDir()], context, { CI: ci });
            assert.strictEqual(run.code, ExitCode.Success, `CI=${JSON.stringify(ci)}: ${run.text()}`);
            assert.match(run.out.join("\n"), /^\d{6}$/);
        }
    });

    it("takes the code from PROMOTION_OTP", async () => {
        const { engine, context } = withFake();
        const dir = tempStateDir();
        await cli(["promote", "--stack", "dev", "--to", "2", "--state-dir", dir], context);
        assert.strictEqual(engine.deployed.get("dev"), 2);
        const run = await cli(["promote", "--stack", "dev", "--state-dir", dir], context, { PROMOTION_OTP: currentCode(FAKE_SEED) });
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        assert.match(run.text(), /gate otp: passed for plan \S+ \(code verified at the start of this run\)/);
    });
});

describe("driver CLI: policy-config", () => {
    it("writes the packs' config of a Kubernetes-only stack without --to at its platform's lowest tier (2), and of an AWS stack at tier 0", async () => {
        const dir = tempStateDir();
        const airgap = await cli(["policy-config", "--stack", "airgap", "--out", path.join(dir, "airgap"), "--json", "--state-dir", dir]);
        assert.strictEqual(airgap.code, ExitCode.Success, airgap.text());
        assert.strictEqual(airgap.json().tier, 2);
        const limits = JSON.parse(fs.readFileSync(path.join(dir, "airgap", "resource-limits.json"), "utf8"));
        assert.strictEqual(limits["node-capacity-within-max-nodes"].defaultRegion, "us-west-2");
        // The combined pack's file holds every pack's entries, the same as the packs' own files.
        assert.deepStrictEqual(airgap.json().files.map((f: string) => path.basename(f)), ["encryption.json", "otp-gated-sync.json", "resource-limits.json", "cost-caps.json", "all-packs.json"]);
        const combined = JSON.parse(fs.readFileSync(path.join(dir, "airgap", "all-packs.json"), "utf8"));
        assert.deepStrictEqual(combined["node-capacity-within-max-nodes"], limits["node-capacity-within-max-nodes"]);
        const dev = await cli(["policy-config", "--stack", "dev", "--out", path.join(dir, "dev"), "--json", "--state-dir", dir]);
        assert.strictEqual(dev.code, ExitCode.Success, dev.text());
        assert.strictEqual(dev.json().tier, 0);
    });
});

describe("driver config", () => {
    it("reads the committed automation/driver.config.json", () => {
        const config = loadDriverConfig(ROOT);
        assert.deepStrictEqual(config.environments, ["dev", "prod"]);
        assert.deepStrictEqual([config.otp.maxWrongCodes, config.otp.wrongCodeWindowMinutes, config.otp.lockoutMinutes], [5, 15, 15]);
    });

    it("refuses invalid settings naming the field", () => {
        assert.throws(() => validateDriverConfig({ environments: "dev" }), /environments must be a list/);
        assert.throws(() => validateDriverConfig({ environments: ["dev", "dev"] }), /lists a stack twice/);
        assert.throws(() => validateDriverConfig({ otp: { requiredForTiers: [4] } }), /otp.requiredForTiers/);
        assert.throws(() => validateDriverConfig({ otp: { lockoutMinutes: 0 } }), /otp.lockoutMinutes/);
    });
});
