/**
 * The program of the first issue under mocks, with the shipped stack files at tiers 0-3,
 * evaluated by all four packs with the stack's own policy config; then a deliberately broken
 * variant of the prod tier 3 stack that the packs must deny.
 */
import * as assert from "assert";
import { ANNOTATION, LABEL, ROLE, TAG } from "../../contract/markers";
import { parseStackConfig } from "../../config/config";
import { evaluatePolicies, PolicyViolation, RecordedResourceLike } from "../../policies/evaluator";
import { POLICY_PACKS } from "../../policies/packs";
import { policyPackConfigFor } from "../../policies/policyConfig";
import { PROJECT, runProgram } from "../support/programUnderMocks";
import * as os from "os";
import * as path from "path";
import { rawStackConfig, ShippedStack } from "../policies/support/stackFiles";

/** Warnings a healthy stack may show: budget alerts (seed 002 section 7.1). */
const COST_WARNINGS = new Set(["cost-approaching-monthly-cap"]);

/**
 * The `local` stack names the kubeconfig its clusters write when they start; under mocks it
 * renders instead (the same objects, no cluster needed).
 */
function mocksOverrides(stack: ShippedStack): Record<string, string> {
    return stack === "local" ? { kubeconfig: "", renderDir: path.join(os.tmpdir(), "ai-platform-local-render") } : {};
}

async function evaluate(
    stack: ShippedStack,
    tier: string,
    breakIt?: (resources: RecordedResourceLike[]) => RecordedResourceLike[],
    overrides: Record<string, string> = {},
): Promise<PolicyViolation[]> {
    const raw = rawStackConfig(stack, { tier, ...mocksOverrides(stack), ...overrides });
    const run = await runProgram(raw, { stack });
    const recorded: RecordedResourceLike[] = JSON.parse(JSON.stringify(run.resources));
    const resources = breakIt ? breakIt(recorded) : recorded;
    return evaluatePolicies(resources, POLICY_PACKS, policyPackConfigFor(parseStackConfig(raw, PROJECT, stack)));
}

const describeViolations = (violations: PolicyViolation[]) =>
    violations.map((v) => `[${v.enforcementLevel}] ${v.policyPackName}/${v.policyName} ${v.resourceUrn ?? ""}: ${v.message}`).join("\n");

describe("policy packs on the shipped stacks (program under mocks)", function () {
    this.timeout(300000);

    const shipped: Array<[ShippedStack, string[]]> = [
        ["dev", ["0", "1", "2", "3"]],
        ["prod", ["0", "1", "2", "3"]],
        ["airgap", ["2", "3"]],
        ["local", ["2", "3"]],
    ];
    for (const [stack, tiers] of shipped) {
        for (const tier of tiers) {
            it(`${stack} at tier ${tier} passes all four packs (only cost warnings)`, async () => {
                const violations = await evaluate(stack, tier);
                const unexpected = violations.filter((v) => !COST_WARNINGS.has(v.policyName));
                assert.deepStrictEqual(unexpected, [], describeViolations(unexpected));
                assert.ok(violations.every((v) => v.enforcementLevel === "advisory"));
            });
        }
    }

    it("denies prod compose tiers on hosts the catalog does not fit, and a stateful service updating start-first", async () => {
        const mandatory = (violations: PolicyViolation[]) => violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName);
        // Tier 0 on the seed's application size (8 GiB for 19 GiB of memory limits).
        assert.ok(mandatory(await evaluate("prod", "0", undefined, { hostInstanceType: "c5.xlarge" })).includes("compose-fits-host"));
        // Tier 1 on t3.medium managers (Ollama's 4 GiB limit on a 3 GiB node) and postgresql start-first.
        const tier1 = await evaluate("prod", "1", (resources) => {
            const file = resources.find((r) => r.inputs?.tags?.[TAG.role] === ROLE.composeFile)!;
            file.inputs!.content = String(file.inputs!.content).replace(/(postgresql:[\s\S]*?order: )stop-first/, "$1start-first");
            return resources;
        }, { swarmManagerInstanceType: "t3.medium" });
        assert.deepStrictEqual(mandatory(tier1).filter((p) => p.startsWith("swarm-")).sort(), ["swarm-stack-fits-nodes", "swarm-stateful-services-update-stop-first"], describeViolations(tier1));
    });

    it("denies a prod tier 2 whose workloads lose their hardening: writable root, no ephemeral storage, unbounded emptyDir, same probes, no spread, blocking PDB", async () => {
        const violations = await evaluate("prod", "2", (resources) => {
            const workload = (name: string) => resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs?.metadata?.name === name)!;
            const backend = workload("backend-api").inputs!.spec.template.spec;
            backend.containers[0].securityContext.readOnlyRootFilesystem = false;
            delete backend.containers[0].resources.limits["ephemeral-storage"];
            backend.volumes[0].emptyDir = {};
            const frontend = workload("frontend").inputs!.spec.template.spec;
            frontend.containers[0].livenessProbe = { ...frontend.containers[0].readinessProbe, periodSeconds: 30 };
            delete frontend.topologySpreadConstraints;
            const pdb = resources.find((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")!;
            delete pdb.inputs!.spec.unhealthyPodEvictionPolicy;
            return resources;
        });
        const denied = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName).sort();
        assert.deepStrictEqual(
            [...new Set(denied)],
            [
                "kubernetes-containers-have-read-only-root-filesystem",
                "kubernetes-containers-have-requests-and-limits",
                "kubernetes-empty-dir-volumes-have-size-limit",
                "kubernetes-liveness-and-readiness-probes-differ",
                "kubernetes-pdbs-always-allow-unhealthy-pod-eviction",
                "kubernetes-replicated-workloads-spread-across-nodes-and-zones",
            ],
            describeViolations(violations),
        );
    });

    it("denies prod with a GPU node group of an instance type the price table does not have, naming it; dev only warns", async () => {
        const p4d = (resources: RecordedResourceLike[]) => {
            const gpu = resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && /gpu/.test(r.name))!;
            gpu.inputs!.instanceTypes = ["p4d.24xlarge"];
            const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && /gpu/.test(r.name));
            if (template?.inputs?.instanceType) template.inputs.instanceType = "p4d.24xlarge";
            return resources;
        };
        const prod = (await evaluate("prod", "2", p4d)).filter((v) => v.policyName === "compute-resources-priced");
        assert.strictEqual(prod.length, 1, describeViolations(prod));
        assert.strictEqual(prod[0].enforcementLevel, "mandatory");
        assert.match(prod[0].message, /"p4d\.24xlarge" has no price for us-west-2; add "p4d\.24xlarge" to regions\["us-west-2"\]\.ec2Hourly in cost\/prices\.json/);
        const dev = (await evaluate("dev", "2", p4d)).filter((v) => v.policyName === "compute-resources-priced");
        assert.deepStrictEqual(dev.map((v) => v.enforcementLevel), ["advisory"]);
    });

    it("denies a broken prod tier 3: unencrypted volume, container without limits, ungated sync, over-cap fleet", async () => {
        const violations = await evaluate("prod", "3", (resources) => {
            // 1. the root volume of one launch template unencrypted
            const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
            template.inputs!.blockDeviceMappings[0].ebs.encrypted = "false";
            // 2. one container without limits
            const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs?.metadata?.labels?.[LABEL.role] !== ROLE.crossRegionSync)!;
            delete deployment.inputs!.spec.template.spec.containers[0].resources.limits;
            // 3. the OTP gate removed while sync and replication stay, and one sync workload unannotated
            const withoutGate = resources.filter((r) => !(r.type.endsWith("Secret") && JSON.stringify(r.inputs ?? {}).includes(ROLE.otpGateSecret)));
            const sync = withoutGate.find((r) => r.inputs?.metadata?.labels?.[LABEL.role] === ROLE.crossRegionSync && r.type === "kubernetes:apps/v1:Deployment")!;
            delete sync.inputs!.metadata.annotations?.[ANNOTATION.otpGate];
            delete sync.inputs!.spec.template.metadata?.annotations?.[ANNOTATION.otpGate];
            // 4. an over-cap fleet: 200 GPU nodes
            const gpu = withoutGate.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && /gpu/.test(r.name))!;
            gpu.inputs!.scalingConfig = { minSize: 200, desiredSize: 200, maxSize: 200 };
            return withoutGate;
        });
        const denied = new Set(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName));
        for (const expected of [
            "launch-template-volumes-encrypted-with-customer-managed-key",
            "kubernetes-containers-have-requests-and-limits",
            "sync-workload-names-otp-gate",
            "sync-workload-gate-exists",
            "replication-requires-otp-gate",
            "multi-region-stack-requires-otp-gate",
            "cost-within-monthly-cap",
            "worst-case-hourly-cost-within-limit",
            "worst-case-nodes-within-max-nodes",
            "node-capacity-within-max-nodes",
        ]) {
            assert.ok(denied.has(expected), `${expected} not among the denials:\n${describeViolations(violations)}`);
        }
    });
});
