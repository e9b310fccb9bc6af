/**
 * The cost model on inputs as a real preview gives them: the launch template id an autoscaling
 * group or node group references is not known yet (absent, or the policy SDK's unknown value),
 * and a read replica's replicateSourceDb is not known either.
 */
import * as assert from "assert";
import { TAG } from "../../contract/markers";
import { CostResource, estimateCost } from "../../cost/costModel";
import { asPreviewProps, UNKNOWN_STRING } from "../policies/support/previewUnknowns";

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);
const r = (type: string, name: string, props: Record<string, any>): CostResource => ({ type, name, urn: `urn:pulumi:dev::ai-platform::${type}::${name}`, props });
const swarmTags = (role: string) => ({ [TAG.region]: "us-west-2", [TAG.component]: "swarm", Name: `swarm-${role}` });
/** Autoscaling groups take their tags as a list. */
const asList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));

function workerTemplate(role = "worker"): CostResource {
    return r("aws:ec2/launchTemplate:LaunchTemplate", `swarm-${role}`, {
        instanceType: "t3.large",
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }],
        tags: swarmTags(role),
    });
}

function workers(launchTemplate: Record<string, unknown>, maxSize = 5): CostResource {
    return r("aws:autoscaling/group:Group", "swarm-workers", { minSize: 2, desiredCapacity: 2, maxSize, launchTemplate, tags: asList(swarmTags("worker")) });
}

describe("cost model: unknown values of a real preview", () => {
    it("pairs an autoscaling group with its launch template by Name and component tags when the id is undefined", () => {
        const e = estimateCost([workerTemplate("manager"), workerTemplate(), workers({ id: undefined, version: undefined })]);
        const hours = e.lines.find((l) => l.name === "swarm-workers" && /t3\.large/.test(l.detail))!;
        close(hours.monthly, 0.0832 * 730 * 2, "2 x t3.large 0.0832 x 730 = 121.472");
        close(hours.monthlyWorstCase, 0.0832 * 730 * 5, "max 5 x t3.large = 303.68");
        close(e.lines.find((l) => l.name === "swarm-workers" && /GB/.test(l.detail))!.monthly, 2 * 50 * 0.08, "2 x 50 GB gp3 x 0.08 = 8.00");
        assert.deepStrictEqual(e.unpriced, []);
        assert.deepStrictEqual(e.nodesByRegion, { "us-west-2": { expected: 2, worstCase: 5 } });
    });

    it("pairs them the same way when the id is the policy SDK's unknown value", () => {
        const group = workers({});
        const props = asPreviewProps({ ...group.props, launchTemplate: { id: UNKNOWN_STRING, version: UNKNOWN_STRING } });
        const e = estimateCost([workerTemplate(), { ...group, props }]);
        close(e.monthlyExpected, 0.0832 * 730 * 2 + 2 * 50 * 0.08, "hours + volumes");
        assert.deepStrictEqual(e.nodes, { expected: 2, worstCase: 5 });
    });

    it("still counts the nodes of a group whose template cannot be found, and lists it as not priced", () => {
        const lone = r("aws:autoscaling/group:Group", "lone", { desiredCapacity: 3, maxSize: 25, launchTemplate: { id: undefined }, tags: asList({ [TAG.region]: "eu-west-1" }) });
        const e = estimateCost([lone]);
        assert.strictEqual(e.unpriced.length, 1);
        assert.match(e.unpriced[0].reason, /launch template/);
        assert.strictEqual(e.monthlyExpected, 0);
        assert.deepStrictEqual(e.nodesByRegion, { "eu-west-1": { expected: 3, worstCase: 25 } });
        assert.deepStrictEqual(e.fleets.map((f) => [f.name, f.nodes.worstCase]), [["lone", 25]]);
    });

    it("does not guess between two templates with the same tags", () => {
        const e = estimateCost([workerTemplate(), { ...workerTemplate(), name: "twin" }, workers({ id: undefined })]);
        assert.match(e.unpriced[0].reason, /launch template/);
        assert.deepStrictEqual(e.nodes, { expected: 2, worstCase: 5 });
    });

    it("takes a node group's disks from its template paired by tags, and lists them when no template matches", () => {
        const tags = { [TAG.region]: "us-west-2", [TAG.component]: "kubernetes-platform", Name: "eks-general" };
        const template = r("aws:ec2/launchTemplate:LaunchTemplate", "eks-general-template", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3" } }], tags });
        const group = r("aws:eks/nodeGroup:NodeGroup", "eks-general-nodes", { instanceTypes: ["c5.xlarge"], scalingConfig: { desiredSize: 3, maxSize: 10 }, launchTemplate: { id: undefined }, tags });
        const paired = estimateCost([template, group]);
        close(paired.lines.find((l) => /GB/.test(l.detail))!.monthly, 3 * 100 * 0.08, "3 x 100 GB gp3 x 0.08 = 24.00");
        const alone = estimateCost([group]);
        close(alone.monthlyExpected, 3 * 0.17 * 730, "compute still priced: 3 x 0.17 x 730 = 372.30");
        assert.match(alone.unpriced[0].reason, /node disks: its launch template/);
        assert.deepStrictEqual(alone.nodes, { expected: 3, worstCase: 10 });
    });
});

describe("cost model: Aurora and read replicas", () => {
    const west = { [TAG.region]: "us-west-2", [TAG.component]: "database" };
    const primary = r("aws:rds/instance:Instance", "db-primary", { instanceClass: "db.r5.2xlarge", allocatedStorage: 100, storageType: "gp3", identifier: "platform-db", tags: west });

    it("lists an Aurora cluster as usage-based, not free", () => {
        const e = estimateCost([r("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql" })]);
        assert.deepStrictEqual(e.usageBased.map((u) => u.type), ["aws:rds/cluster:Cluster"]);
        assert.match(e.usageBased[0].reason, /Aurora storage/);
    });

    it("prices a replica's storage as its source's (replicateSourceDb known): 100 GB x 0.115 = 11.50", () => {
        const replica = r("aws:rds/instance:Instance", "db-replica-1", { instanceClass: "db.r5.2xlarge", replicateSourceDb: "platform-db", tags: west });
        const e = estimateCost([primary, replica]);
        const storage = e.lines.find((l) => l.name === "db-replica-1" && /GB/.test(l.detail))!;
        close(storage.monthly, 100 * 0.115, "inherited storage");
        assert.match(storage.detail, /as its source db-primary/);
    });

    it("finds the source by component and region when replicateSourceDb is not known yet", () => {
        const replica = r("aws:rds/instance:Instance", "db-replica-1", { instanceClass: "db.r5.2xlarge", replicateSourceDb: undefined, tags: west });
        const e = estimateCost([primary, replica]);
        close(e.lines.filter((l) => l.name === "db-replica-1").reduce((s, l) => s + l.monthly, 0), 1.0 * 730 + 100 * 0.115, "hours + inherited storage");
        assert.deepStrictEqual(e.unpriced, []);
    });

    it("lists a replica's storage as not priced when its source is not in the stack, and still prices its hours", () => {
        const replica = r("aws:rds/instance:Instance", "db-replica-1", { instanceClass: "db.r5.2xlarge", replicateSourceDb: "arn:aws:rds:us-east-1:1:db:elsewhere", tags: west });
        const e = estimateCost([replica]);
        close(e.monthlyExpected, 1.0 * 730, "hours only");
        assert.strictEqual(e.unpriced.length, 1);
        assert.match(e.unpriced[0].reason, /storage: no allocatedStorage/);
    });
});
