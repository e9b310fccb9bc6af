/**
 * `pulumi preview --policy-pack` with the real engine on a render-mode stack: the four packs load
 * as they are, the shipped configuration passes them, and a deliberately broken program is denied
 * with the expected policy names and a non-zero exit.
 */
import * as assert from "assert";
import * as path from "path";
import { policyPackDirs, writePolicyPackConfigs } from "../../automation/engines/policyRules";
import { stackConfigFor } from "../../automation/engines/stackFile";
import { pulumi, removeProject, renderProject, RenderProject, requireToolchain } from "./realEngine";

function previewWithAllPacks(project: RenderProject, tier: 2 | 3): ReturnType<typeof pulumi> {
    const packs = policyPackDirs(path.join(project.dir, "policies"));
    const configs = writePolicyPackConfigs(stackConfigFor(project.dir, "dev", tier), packs, path.join(project.dir, ".policy-config"));
    const flags = packs.flatMap((pack, i) => ["--policy-pack", pack, "--policy-pack-config", configs[i]]);
    return pulumi(project, ["preview", "--config", `ai-platform:tier=${tier}`, ...flags]);
}

describe("real engine: pulumi preview --policy-pack on a render-mode stack", function () {
    this.timeout(900_000);
    let project: RenderProject | undefined;
    afterEach(() => removeProject(project));

    it("loads all four packs and passes the shipped configuration at tier 3", function () {
        project = renderProject(requireToolchain(this));
        const run = previewWithAllPacks(project, 3);
        assert.strictEqual(run.status, 0, run.output);
        for (const pack of ["encryption", "otp-gated-sync", "resource-limits", "cost-caps"]) {
            assert.match(run.output, new RegExp(`✅ ${pack}@v`), `pack ${pack} did not pass:\n${run.output}`);
        }
    });

    it("denies a broken program: container without limits, sync without its gate, over the cap", function () {
        project = renderProject(requireToolchain(this), { broken: true, config: { monthlyCostCap: 1, policyEnforcement: "mandatory" } });
        const run = previewWithAllPacks(project, 2);
        assert.notStrictEqual(run.status, 0, run.output);
        for (const policy of ["kubernetes-containers-have-requests-and-limits", "sync-workload-reads-otp-seed-from-mounted-file", "sync-workload-keeps-gate-secrets-out-of-env", "cost-within-monthly-cap"]) {
            assert.match(run.output, new RegExp(`mandatory.*${policy}|${policy}.*mandatory`, "i"), `expected a mandatory ${policy} violation:\n${run.output}`);
        }
        assert.match(run.output, /no-limits/);
        assert.match(run.output, /ungated-sync/);
    });
});
