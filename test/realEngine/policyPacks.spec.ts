/**
 * `pulumi preview --policy-pack` with the real engine on a render-mode stack: the four packs load
 * as they are, the shipped configuration passes them, and a deliberately broken program is denied
 * with the expected policy names and a non-zero exit, by the four packs and by the combined pack
 * the driver loads alike.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { combinedPolicyPack, policyPackDirs, writePolicyPackConfigs } from "../../automation/engines/policyRules";
import { toPolicyViolation } from "../../automation/engines/pulumi/pulumiEngine";
import { stackConfigFor } from "../../automation/engines/stackFile";
import { CliResult, pulumi, removeProject, renderProject, RenderProject, requireToolchain } from "./realEngine";

interface PackedPreview extends CliResult {
    /** Every policy violation of the run's event log as the driver reads it: "level pack/policy urn". */
    violations: string[];
}

function preview(project: RenderProject, tier: 2 | 3, packs: "four" | "combined"): PackedPreview {
    const stackConfig = stackConfigFor(project.dir, "dev", tier);
    const policiesDir = path.join(project.dir, "policies");
    const configDir = path.join(project.dir, ".policy-config");
    let flags: string[];
    if (packs === "four") {
        const dirs = policyPackDirs(policiesDir);
        const configs = writePolicyPackConfigs(stackConfig, dirs, configDir);
        flags = dirs.flatMap((pack, i) => ["--policy-pack", pack, "--policy-pack-config", configs[i]]);
    } else {
        const combined = combinedPolicyPack(policiesDir, stackConfig, configDir);
        flags = ["--policy-pack", combined.dir, "--policy-pack-config", combined.config];
    }
    const eventLog = path.join(project.dir, `events-${packs}.jsonl`);
    // The CLI offers --event-log (what the Automation API reads) only with PULUMI_DEBUG_COMMANDS.
    const env = { ...project.env, PULUMI_DEBUG_COMMANDS: "true" };
    const run = pulumi({ dir: project.dir, env }, ["preview", "--config", `ai-platform:tier=${tier}`, "--event-log", eventLog, ...flags]);
    assert.ok(fs.existsSync(eventLog), `pulumi preview wrote no event log:\n${run.output}`);
    const violations = fs
        .readFileSync(eventLog, "utf8")
        .split("\n")
        .filter((line) => line.includes('"policyEvent"'))
        .map((line) => toPolicyViolation(JSON.parse(line).policyEvent))
        .map((v) => `${v.enforcementLevel} ${v.policyPackName}/${v.policyName} ${v.resourceUrn ?? ""}`)
        .sort();
    return { ...run, violations };
}

describe("real engine: pulumi preview --policy-pack on a render-mode stack", function () {
    this.timeout(900_000);
    let project: RenderProject | undefined;
    afterEach(() => removeProject(project));

    it("loads all four packs and passes the shipped configuration at tier 3", function () {
        project = renderProject(requireToolchain(this));
        const run = preview(project, 3, "four");
        assert.strictEqual(run.status, 0, run.output);
        for (const pack of ["encryption", "otp-gated-sync", "resource-limits", "cost-caps"]) {
            assert.match(run.output, new RegExp(`✅ ${pack}@v`), `pack ${pack} did not pass:\n${run.output}`);
        }
    });

    it("denies a broken program: container without limits, sync without its gate, over the cap; the combined pack reports the same", function () {
        project = renderProject(requireToolchain(this), { broken: true, config: { monthlyCostCap: 1, policyEnforcement: "mandatory" } });
        const run = preview(project, 2, "four");
        assert.notStrictEqual(run.status, 0, run.output);
        for (const policy of ["kubernetes-containers-have-requests-and-limits", "sync-workload-reads-otp-seed-from-mounted-file", "sync-workload-keeps-gate-secrets-out-of-env", "cost-within-monthly-cap"]) {
            assert.match(run.output, new RegExp(`mandatory.*${policy}|${policy}.*mandatory`, "i"), `expected a mandatory ${policy} violation:\n${run.output}`);
        }
        assert.match(run.output, /no-limits/);
        assert.match(run.output, /ungated-sync/);

        const combined = preview(project, 2, "combined");
        assert.notStrictEqual(combined.status, 0, combined.output);
        assert.ok(run.violations.length >= 4, run.violations.join("\n"));
        assert.deepStrictEqual(combined.violations, run.violations);
    });
});
