import * as assert from "assert";
import { kubernetesPdbsAlwaysAllowUnhealthyPodEviction } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesPdbsAlwaysAllowUnhealthyPodEviction";
import { pdbProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-pdbs-always-allow-unhealthy-pod-eviction", () => {
    const policy = kubernetesPdbsAlwaysAllowUnhealthyPodEviction;
    it("is silent on a PDB with unhealthyPodEvictionPolicy AlwaysAllow", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.pdb, props: pdbProps() }]), []);
    });
    it("fires on a PDB that leaves the policy at its default, naming the PDB", async () => {
        const props = variant(pdbProps(), (p) => delete (p.spec as any).unhealthyPodEvictionPolicy);
        assert.match((await messagesOf(policy, [{ type: T.pdb, props }]))[0], /PodDisruptionBudget backend has unhealthyPodEvictionPolicy unset \(IfHealthyBudget\): a crash-looping pod would block every drain/);
    });
    it("fires on IfHealthyBudget set explicitly", async () => {
        const props = variant(pdbProps(), (p) => (p.spec.unhealthyPodEvictionPolicy = "IfHealthyBudget"));
        assert.match((await messagesOf(policy, [{ type: T.pdb, props }]))[0], /"IfHealthyBudget"/);
    });
});
