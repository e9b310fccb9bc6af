import * as assert from "assert";
import { LABEL, TAG } from "../../contract/markers";
import { CostResource, estimateCost, PRICES } from "../../cost/costModel";

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);
const r = (type: string, name: string, props: Record<string, any>, custom?: boolean): CostResource => ({ type, name, urn: `urn:pulumi:dev::ai-platform::${type}::${name}`, props, custom });
const west = { [TAG.region]: "us-west-2", [TAG.component]: "kubernetes-platform" };

/** A tier 2-like stack in us-west-2 with one workload on an unpriced (existing) cluster in eu-west-1. */
function stack(): CostResource[] {
    return [
        r("aws:eks/cluster:Cluster", "eks", { tags: west }),
        r("aws:eks/nodeGroup:NodeGroup", "general", { tags: west, instanceTypes: ["c5.xlarge"], scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 10 } }),
        r("aws:ec2/natGateway:NatGateway", "nat", { tags: west }),
        r("aws:lb/loadBalancer:LoadBalancer", "alb", { tags: west, loadBalancerType: "application" }),
        r("aws:rds/instance:Instance", "postgres", { tags: west, instanceClass: "db.r5.2xlarge", allocatedStorage: 100, maxAllocatedStorage: 200, storageType: "gp3" }),
        r("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { tags: west, nodeType: "cache.r5.large", numCacheClusters: 3 }),
        r("aws:kms/key:Key", "key", { tags: west }),
        r("aws:secretsmanager/secret:Secret", "gate", { tags: west, replicas: [{ region: "eu-west-1" }] }),
        r("aws:ec2/launchTemplate:LaunchTemplate", "workers-lt", { instanceType: "t3.large", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }] }),
        r("aws:autoscaling/group:Group", "workers", { tags: [], minSize: 2, desiredCapacity: 2, maxSize: 5, launchTemplate: { id: "workers-lt-id", version: "$Latest" } }),
        r("aws:route53/zone:Zone", "zone", { name: "example.com" }),
        r("kubernetes:apps/v1:Deployment", "backend-west", {
            metadata: { name: "backend", labels: { [LABEL.region]: "us-west-2" } },
            spec: { replicas: 3, template: { spec: { containers: [{ name: "b", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } } },
        }),
        r("kubernetes:apps/v1:Deployment", "backend-eu", {
            metadata: { name: "backend-eu", labels: { [LABEL.region]: "eu-west-1" } },
            spec: { replicas: 3, template: { spec: { containers: [{ name: "b", resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } } }] } } },
        }),
        r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "backend-eu-hpa", { spec: { maxReplicas: 10, scaleTargetRef: { kind: "Deployment", name: "backend-eu" } } }),
        r("aws:iam/role:Role", "role", {}),
        r("aws:s3/bucketV2:BucketV2", "backups", {}),
        r("aws:sagemaker/endpoint:Endpoint", "llm", {}),
        r("aws:ec2/instance:Instance", "far-away", { tags: { [TAG.region]: "sa-east-1" }, instanceType: "t3.medium" }),
        r("ai-platform:tier2:KubernetesPlatform", "platform", {}, false),
    ];
}

describe("cost model: estimateCost", () => {
    const estimate = estimateCost(stack(), { defaultRegion: "us-west-2" });
    const line = (name: string, detail?: RegExp) => {
        const found = estimate.lines.filter((l) => l.name === name && (!detail || detail.test(l.detail)));
        assert.strictEqual(found.length, 1, `one line for ${name} ${detail ?? ""}`);
        return found[0];
    };

    it("uses the price table's 730 hours per month", () => {
        assert.strictEqual(PRICES.hoursPerMonth, 730);
    });

    it("prices each resource as a hand calculation from prices.json says", () => {
        close(line("eks").monthly, 0.1 * 730, "EKS control plane 0.10 x 730 = 73.00");
        close(line("general", /c5\.xlarge/).monthly, 0.17 * 730 * 3, "3 x c5.xlarge 0.17 x 730 x 3 = 372.30");
        close(line("general", /c5\.xlarge/).monthlyWorstCase, 0.17 * 730 * 10, "max 10 x c5.xlarge = 1241.00");
        close(line("general", /node disks/).monthly, 20 * 3 * 0.1, "3 x 20 GB gp2 x 0.10 = 6.00");
        close(line("nat").monthly, 0.045 * 730, "NAT 0.045 x 730 = 32.85");
        close(line("alb").monthly, 0.0225 * 730, "ALB 0.0225 x 730 = 16.425");
        close(line("postgres", /db\.r5/).monthly, 1.0 * 730, "db.r5.2xlarge 1.00 x 730 = 730.00");
        close(line("postgres", /GB/).monthly, 100 * 0.115, "100 GB x 0.115 = 11.50");
        close(line("postgres", /GB/).monthlyWorstCase, 200 * 0.115, "autoscaling to 200 GB = 23.00");
        close(line("redis").monthly, 0.216 * 730 * 3, "3 x cache.r5.large 0.216 x 730 x 3 = 473.04");
        close(line("key").monthly, 1.0, "KMS key 1.00");
        close(line("gate").monthly, 0.4 * 2, "secret + 1 replica 0.40 x 2 = 0.80");
        close(line("workers", /t3\.large/).monthly, 0.0832 * 730 * 2, "2 x t3.large 0.0832 x 730 x 2 = 121.472");
        close(line("workers", /t3\.large/).monthlyWorstCase, 0.0832 * 730 * 5, "max 5 x t3.large = 303.68");
        close(line("workers", /GB/).monthly, 50 * 2 * 0.08, "2 x 50 GB gp3 x 0.08 = 8.00");
        close(line("zone").monthly, 0.5, "hosted zone 0.50");
        assert.strictEqual(line("zone").region, "global");
    });

    it("prices Kubernetes workloads only where no priced nodes run them, HPA max for the worst case", () => {
        assert.strictEqual(estimate.lines.filter((l) => l.name === "backend-west").length, 0, "us-west-2 pods run on the priced node group");
        const cpu = line("backend-eu", /vCPU/);
        const mem = line("backend-eu", /GB requested/);
        close(cpu.monthly, 0.5 * 3 * 0.04456 * 730, "1.5 vCPU x 0.04456 x 730 = 48.7932");
        close(cpu.monthlyWorstCase, 0.5 * 10 * 0.04456 * 730, "HPA max 10: 5 vCPU x 0.04456 x 730 = 162.644");
        close(mem.monthly, 1 * 3 * 0.004865 * 730, "3 GB x 0.004865 x 730 = 10.65435");
        assert.strictEqual(cpu.region, "eu-west-1");
    });

    it("takes a workload's worst case from the first HPA that targets it by namespace, kind and name", () => {
        const deployment = (name: string, namespace?: string) =>
            r("kubernetes:apps/v1:Deployment", `${name}-${namespace ?? "none"}`, {
                metadata: { name, namespace },
                spec: { replicas: 1, template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: "1", memory: "1Gi" } } }] } } },
            });
        const hpa = (name: string, target: Record<string, unknown>, maxReplicas: number, namespace?: string) =>
            r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name, { metadata: { namespace }, spec: { maxReplicas, scaleTargetRef: target } });
        const worst = estimateCost([
            deployment("web", "apps"),
            deployment("web"),
            deployment("api", "apps"),
            hpa("web-hpa", { kind: "Deployment", name: "web" }, 4, "apps"),
            hpa("web-hpa-later", { kind: "Deployment", name: "web" }, 9, "apps"),
            hpa("default-web-hpa", { kind: "Deployment", name: "web" }, 6),
            hpa("api-as-statefulset", { kind: "StatefulSet", name: "api" }, 7, "apps"),
        ]).lines.filter((l) => l.unit === "vCPU-hour");
        assert.deepStrictEqual(
            worst.map((l) => [l.name, l.quantityWorstCase]),
            [["web-apps", 4], ["web-none", 6], ["api-apps", 1]],
        );
    });

    it("adds the lines up into totals, nodes, regions and components", () => {
        const expected =
            73 + 372.3 + 6 + 32.85 + 16.425 + 730 + 11.5 + 473.04 + 1 + 0.8 + 121.472 + 8 + 0.5 + 48.7932 + 10.65435;
        close(estimate.monthlyExpected, expected, "monthly expected");
        close(estimate.hourlyExpected, expected / 730, "hourly expected");
        const worst = 73 + 1241 + 20 + 32.85 + 16.425 + 730 + 23 + 473.04 + 1 + 0.8 + 303.68 + 20 + 0.5 + 162.644 + 10 * 0.004865 * 730;
        close(estimate.monthlyWorstCase, worst, "monthly worst case");
        // The sa-east-1 instance cannot be priced (no such region in the table) but is still a node.
        assert.deepStrictEqual(estimate.nodes, { expected: 6, worstCase: 16 });
        assert.deepStrictEqual(estimate.nodesByRegion, { "us-west-2": { expected: 5, worstCase: 15 }, "sa-east-1": { expected: 1, worstCase: 1 } });
        close(estimate.byRegion["eu-west-1"].monthlyExpected, 48.7932 + 10.65435, "eu-west-1");
        close(estimate.byComponent["kubernetes-platform"].monthlyExpected, 73 + 372.3 + 6 + 32.85 + 16.425 + 730 + 11.5 + 473.04 + 1 + 0.8, "component");
    });

    it("names the top drivers in order", () => {
        assert.deepStrictEqual(
            estimate.topDrivers(3).map((l) => l.name),
            ["postgres", "redis", "general"],
        );
    });

    it("lists unpriced resources with a reason instead of counting zero, and ignores free ones", () => {
        const unpriced = Object.fromEntries(estimate.unpriced.map((u) => [u.type, u.reason]));
        assert.match(unpriced["aws:sagemaker/endpoint:Endpoint"], /no price rule/);
        assert.match(unpriced["aws:ec2/instance:Instance"], /sa-east-1 is not in the price table/);
        assert.strictEqual(estimate.unpriced.length, 2);
        assert.deepStrictEqual(estimate.usageBased.map((u) => u.type), ["aws:s3/bucketV2:BucketV2"]);
        assert.ok(!estimate.lines.some((l) => l.type.startsWith("aws:iam/") || l.type.startsWith("ai-platform:")));
    });

    it("marks unpriced compute (a type without a rule, an instance in an unpriced region) apart from unpriced storage", () => {
        assert.deepStrictEqual(Object.fromEntries(estimate.unpriced.map((u) => [u.type, u.compute])), { "aws:sagemaker/endpoint:Endpoint": true, "aws:ec2/instance:Instance": true });
        const volume = estimateCost([r("aws:ebs/volume:Volume", "restored", { tags: west })], { defaultRegion: "us-west-2" });
        assert.strictEqual(volume.unpriced[0].compute, false);
    });

    it("names the instance type missing from the table and where its price goes", () => {
        const e = estimateCost([r("aws:eks/nodeGroup:NodeGroup", "p4d", { tags: west, instanceTypes: ["p4d.24xlarge"], scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 4 } })], { defaultRegion: "us-west-2" });
        assert.match(e.unpriced[0].reason, /EC2 instance type "p4d\.24xlarge" has no price for us-west-2; add "p4d\.24xlarge" to regions\["us-west-2"\]\.ec2Hourly in cost\/prices\.json/);
        assert.strictEqual(e.unpriced[0].compute, true);
        assert.deepStrictEqual(e.nodes, { expected: 1, worstCase: 4 }, "its nodes still count towards maxNodes");
    });

    it("expects a workload that an HPA scales at the HPA's minReplicas (it declares no replicas of its own)", () => {
        const unpricedRegion = { [LABEL.region]: "eu-west-1" };
        const e = estimateCost(
            [
                r("kubernetes:apps/v1:Deployment", "ollama", { metadata: { name: "ollama", labels: unpricedRegion }, spec: { template: { spec: { containers: [{ name: "o", resources: { requests: { cpu: "1", memory: "2Gi" } } }] } } } }),
                r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "ollama-hpa", { metadata: { labels: unpricedRegion }, spec: { minReplicas: 2, maxReplicas: 3, scaleTargetRef: { kind: "Deployment", name: "ollama" } } }),
            ],
            { defaultRegion: "eu-west-1" },
        );
        const cpu = e.lines.find((l) => l.unit === "vCPU-hour")!;
        assert.deepStrictEqual([cpu.quantity, cpu.quantityWorstCase], [2, 3]);
    });

    it("reports an ASG whose launch template is missing as not priced", () => {
        const e = estimateCost([r("aws:autoscaling/group:Group", "orphan", { maxSize: 3, launchTemplate: { id: "nope" } })], { defaultRegion: "us-west-2" });
        assert.match(e.unpriced[0].reason, /launch template/);
        assert.strictEqual(e.monthlyExpected, 0);
    });

    it("prices a region from its own column (t3.medium in ap-southeast-1 = 0.0528 x 730 = 38.544)", () => {
        const e = estimateCost([r("aws:ec2/instance:Instance", "host", { instanceType: "t3.medium" })], { defaultRegion: "ap-southeast-1" });
        close(e.monthlyExpected, 0.0528 * 730, "t3.medium in Singapore");
        assert.deepStrictEqual(e.nodes, { expected: 1, worstCase: 1 });
    });
});
