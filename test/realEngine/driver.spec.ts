/**
 * The promotion driver on the real engine (Automation API, local file:// backend, passphrase
 * secrets): a render-mode dev stack goes to tier 2, then to tier 3 only with a valid OTP code;
 * the manifests land on disk and the audit log records the real engine.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { readAudit } from "../../automation/audit/auditLog";
import { runCli } from "../../automation/cli";
import { selectEngine } from "../../automation/engines/select";
import { ExitCode } from "../../automation/exitCodes";
import { currentCode } from "../../automation/otp/totp";
import { pulumi, removeProject, renderProject, RenderProject, requireToolchain } from "./realEngine";

async function driver(project: RenderProject, argv: string[]): Promise<{ code: number; text: string }> {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: { ...project.env, CI: "", PROMOTION_OTP: "" } };
    const code = await runCli(argv, io, { projectDir: project.dir });
    return { code, text: lines.join("\n") };
}

function filesIn(dir: string): string[] {
    return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).map(String) : [];
}

describe("real engine: the driver promotes a render-mode dev stack from tier 2 to 3", function () {
    this.timeout(1_800_000);
    let project: RenderProject | undefined;
    let stateDir: string;
    const saved = { ...process.env };

    before(function () {
        project = renderProject(requireToolchain(this));
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-real-state-"));
        // The Automation API reads the backend, passphrase and PATH from the process environment.
        Object.assign(process.env, project.env);
    });
    after(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        removeProject(project);
    });

    it("deploys tier 2 first (the lowest tier of platform kubernetes) and renders the primary region", async () => {
        const run = await driver(project!, ["promote", "--stack", "dev", "--engine", "pulumi", "--to", "2", "--state-dir", stateDir]);
        assert.strictEqual(run.code, ExitCode.Success, run.text);
        assert.match(run.text, /engine pulumi/);
        const manifests = filesIn(path.join(project!.renderDir, "us-west-2"));
        assert.ok(manifests.some((f) => /deployment.*backend-api|backend-api.*deployment/i.test(f)), `no backend-api Deployment among ${manifests.join(", ")}`);
    });

    it("refuses the tier-3 step without an OTP code (exit 5)", async () => {
        const run = await driver(project!, ["promote", "--stack", "dev", "--engine", "pulumi", "--state-dir", stateDir]);
        assert.strictEqual(run.code, ExitCode.OtpRefused, run.text);
        assert.ok(!fs.existsSync(path.join(project!.renderDir, "eu-west-1")), "tier 3 must not be rendered without approval");
    });

    it("promotes to tier 3 with a valid code: both regions rendered, the gated sync included, the audit names the real engine", async () => {
        const seed = JSON.parse(pulumi(project!, ["stack", "output", "otpSeed", "--show-secrets", "--json", "--stack", "dev"]).stdout) as string;
        assert.match(seed, /^[A-Z2-7]{32}$/, "the OtpGate seed is a 160-bit base32 secret");
        const run = await driver(project!, ["promote", "--stack", "dev", "--engine", "pulumi", "--otp", currentCode(seed), "--state-dir", stateDir]);
        assert.strictEqual(run.code, ExitCode.Success, run.text);
        assert.ok(!run.text.includes(seed), "the seed never appears in the driver's output");

        for (const region of ["us-west-2", "eu-west-1"]) {
            const manifests = filesIn(path.join(project!.renderDir, region));
            assert.ok(manifests.some((f) => /cross-region-sync/.test(f)), `no cross-region-sync manifest in ${region}: ${manifests.join(", ")}`);
        }
        const last = readAudit(stateDir, "dev").filter((r) => r.result !== "in-progress").pop()!;
        assert.strictEqual(last.engine, "pulumi");
        assert.deepStrictEqual([last.fromTier, last.toTier, last.result, last.otpVerified], [2, 3, "succeeded", true]);
        const stackFile = parse(fs.readFileSync(path.join(project!.dir, "Pulumi.dev.yaml"), "utf8"));
        assert.strictEqual(String(stackFile.config["ai-platform:tier"]), "3", "a later plain `pulumi up` keeps the deployed tier");
        const audit = fs.readFileSync(path.join(stateDir, "audit", "dev.jsonl"), "utf8");
        assert.ok(!audit.includes(seed), "the seed never appears in the audit log");
        // The step previewed with --save-plan and applied exactly that plan with up --plan.
        assert.match(last.planDigest ?? "", /^sha256:[0-9a-f]{64}$/);
        const plans = filesIn(path.join(stateDir, "plans", "dev"));
        assert.ok(plans.some((f) => f === `${last.stepId}.plan.json`), `no saved update plan of the step among ${plans.join(", ")}`);
    });

    it("up --plan refuses a plan saved for another configuration (plan-changed)", async () => {
        const engine = selectEngine("pulumi", { projectDir: project!.dir });
        const file = path.join(stateDir, "plans", "dev", "direct.plan.json");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const preview = await engine.preview({ stack: "dev", tier: 3, plan: { file } });
        assert.ok(preview.ok, preview.error);
        assert.ok(fs.existsSync(file), "preview --save-plan wrote the plan");
        const changed = await engine.up({ stack: "dev", tier: 3, configOverrides: { domain: "changed.airgap.example.com" }, plan: { file, digest: preview.planDigest } });
        assert.strictEqual(changed.ok, false, "the CLI refuses operations the plan does not hold");
        assert.strictEqual(changed.planChanged, true, changed.error);
    });
});
