/**
 * Parity: for the same stack, the offline engine (mock runtime + in-process rules) and the real
 * engine (Automation API preview with the four packs) report the same policy violations, by
 * policy name and resource name. The stack is broken through config alone (a cap of 1 USD and a
 * per-container CPU maximum below the catalog's limits), mandatory, so the real preview also
 * exercises the CLI's non-zero exit on mandatory violations.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyViolation } from "../../automation/engines/engine";
import { OfflineEngine } from "../../automation/engines/offline/offlineEngine";
import { PulumiEngine } from "../../automation/engines/pulumi/pulumiEngine";
import { MINIMUM_PULUMI_VERSION, pulumiOptionsFor } from "../../automation/engines/select";
import { removeProject, renderProject, RenderProject, requireToolchain } from "./realEngine";

/** "policy @ resource name" (stack policies: "policy @ stack"), the identity both engines share. */
function identities(violations: PolicyViolation[]): string[] {
    const name = (urn?: string) => (urn && !urn.includes("pulumi:pulumi:Stack") ? urn.split("::").pop() : "stack");
    return [...new Set(violations.map((v) => `${v.policyName} @ ${name(v.resourceUrn)}`))].sort();
}

describe("real engine: parity of policy results with the offline engine", function () {
    this.timeout(900_000);
    let project: RenderProject | undefined;
    const saved = { ...process.env };
    after(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        removeProject(project);
    });

    it("reports the same violations (policy, resource) for a render-mode stack at tier 3", async function () {
        const toolchain = requireToolchain(this);
        project = renderProject(toolchain, { config: { monthlyCostCap: 1, maxContainerCpu: "1", policyEnforcement: "mandatory" } });
        Object.assign(process.env, project.env);
        const request = { stack: "dev", tier: 3 as const };

        const offline = await new OfflineEngine({ projectDir: project.dir, stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "parity-offline-")) }).preview(request);
        const real = await new PulumiEngine({ workDir: project.dir, ...pulumiOptionsFor({ path: path.join(toolchain.binDir, "pulumi"), version: MINIMUM_PULUMI_VERSION }) }).preview(request);

        assert.ok(offline.ok && real.ok, `both previews ran: offline ${offline.error ?? "ok"}, real ${real.error ?? "ok"}`);
        const expected = identities(offline.policyViolations);
        assert.ok(expected.some((v) => v.startsWith("cost-within-monthly-cap @ ")), expected.join("\n"));
        assert.ok(expected.some((v) => v.startsWith("kubernetes-container-limits-within-maxima @ ")), expected.join("\n"));
        assert.deepStrictEqual(identities(real.policyViolations), expected);
        const mandatory = (vs: PolicyViolation[]) => vs.filter((v) => v.enforcementLevel === "mandatory").length;
        assert.ok(mandatory(real.policyViolations) > 0, "the real engine reports the mandatory violations it exited on");
    });
});
