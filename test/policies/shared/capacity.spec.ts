import * as assert from "assert";
import { GPU_NODE_POOL, NODE_POOL_LABEL } from "../../../contract/nodePools";
import { hostSpreadOf, KubeObject, NodeSlot, placePods, podGroupsAtMinimum, podRequests, quotaShortfalls, selects, surgePods } from "../../../policies/shared/capacity";

const GiB = 2 ** 30;
const node = (name: string, memoryGiB: number, extra: Partial<NodeSlot> = {}): NodeSlot => ({
    name,
    labels: { [NODE_POOL_LABEL]: "general" },
    taints: [],
    allocatable: { cpuMillicores: 2000, memoryBytes: memoryGiB * GiB, gpus: 0, ephemeralBytes: 40 * GiB, pods: 10 },
    ...extra,
});
const workload = (kind: string, name: string, spec: any, namespace = "ns"): KubeObject => ({ kind, name, namespace, labels: {}, spec });
const podSpec = (memory: string, extra: any = {}) => ({ template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m", memory } } }], ...extra } } });

describe("capacity: pods at their minimum on nodes", () => {
    it("counts an init container when it asks for more than the containers, and limits where a request is missing", () => {
        const r = podRequests({ containers: [{ resources: { requests: { cpu: "100m", memory: "256Mi" } } }, { resources: { limits: { cpu: "1", memory: "1Gi" } } }], initContainers: [{ resources: { requests: { cpu: "2", memory: "64Mi" } } }] });
        assert.deepStrictEqual(r, { cpuMillicores: 2000, memoryBytes: 256 * 2 ** 20 + GiB, gpus: 0, ephemeralBytes: 0 });
    });
    it("sums ephemeral-storage requests like memory, falling back to the limit", () => {
        const r = podRequests({ containers: [{ resources: { requests: { "ephemeral-storage": "1Gi" } } }, { resources: { limits: { "ephemeral-storage": "512Mi" } } }] });
        assert.strictEqual(r.ephemeralBytes, GiB + 512 * 2 ** 20);
    });
    it("reads a hard per-node spread over the pods' own labels, and ignores soft, zone and foreign-selector constraints", () => {
        const template = (constraint: any) => ({ metadata: { labels: { app: "neo4j", tier: "2" } }, spec: { topologySpreadConstraints: [constraint] } });
        const hard = { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "neo4j" } }, nodeTaintsPolicy: "Honor" };
        assert.deepStrictEqual(hostSpreadOf(template(hard), "ns"), { maxSkew: 1, honorTaints: true, selectorKey: 'ns/{"matchLabels":{"app":"neo4j"}}' });
        assert.strictEqual(hostSpreadOf(template({ ...hard, whenUnsatisfiable: "ScheduleAnyway" }), "ns"), undefined);
        assert.strictEqual(hostSpreadOf(template({ ...hard, topologyKey: "topology.kubernetes.io/zone" }), "ns"), undefined);
        assert.strictEqual(hostSpreadOf(template({ ...hard, labelSelector: { matchLabels: { app: "redis" } } }), "ns"), undefined);
        // whenUnsatisfiable defaults to DoNotSchedule; taints count as domains unless Honor is set.
        const defaulted = { maxSkew: 2, topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "neo4j" } } };
        assert.deepStrictEqual(hostSpreadOf(template(defaulted), "ns")?.honorTaints, false);
    });
    it("matches label selectors with matchLabels and matchExpressions; an empty one selects nothing", () => {
        const labels = { app: "a", tier: "2" };
        assert.ok(selects({ matchLabels: { app: "a" }, matchExpressions: [{ key: "tier", operator: "In", values: ["2", "3"] }] }, labels));
        assert.ok(!selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["2"] }] }, labels));
        assert.ok(selects({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels));
        assert.ok(!selects({}, labels));
    });
    it("places a hard per-node spread evenly, counting a tainted node as a domain unless taints are honoured", () => {
        const spread = (honour: boolean) => ({
            template: {
                metadata: { labels: { app: "q" } },
                spec: {
                    containers: [{ name: "c", resources: { requests: { cpu: "100m", memory: "256Mi" } } }],
                    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "q" } }, ...(honour ? { nodeTaintsPolicy: "Honor" } : {}) }],
                },
            },
        });
        const tainted = node("gpu-1", 16, { taints: [{ key: GPU_NODE_POOL.taintKey, value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }] });
        const nodes = [node("n1", 4), node("n2", 4), tainted];
        // Honoured: 4 pods go 2/2 on the general nodes. Ignored: the GPU node stays at 0, so each general node holds 1.
        assert.deepStrictEqual(placePods(podGroupsAtMinimum([workload("StatefulSet", "q", { replicas: 4, ...spread(true) })]), nodes).unplaced, []);
        const ignored = placePods(podGroupsAtMinimum([workload("StatefulSet", "q", { replicas: 4, ...spread(false) })]), nodes).unplaced;
        assert.deepStrictEqual(ignored.map((u) => u.pods), [2]);
        assert.match(ignored[0].reason, /2 node\(s\) didn't match pod topology spread constraints/);
    });
    it("takes an HPA's minReplicas over spec.replicas and 1 when neither is set", () => {
        const groups = podGroupsAtMinimum([
            workload("Deployment", "a", { replicas: 1, ...podSpec("1Gi") }),
            workload("HorizontalPodAutoscaler", "a", { scaleTargetRef: { kind: "Deployment", name: "a" }, minReplicas: 4 }),
            workload("StatefulSet", "b", podSpec("1Gi")),
        ]);
        assert.deepStrictEqual(groups.map((g) => [g.workload, g.count]), [["Deployment/a", 4], ["StatefulSet/b", 1]]);
    });
    it("resolves maxSurge: integers, percentages rounded up, 25 % by default, none for Recreate", () => {
        assert.strictEqual(surgePods({ strategy: { rollingUpdate: { maxSurge: 2 } } }, 3), 2);
        assert.strictEqual(surgePods({ strategy: { rollingUpdate: { maxSurge: "50%" } } }, 3), 2);
        assert.strictEqual(surgePods({}, 3), 1);
        assert.strictEqual(surgePods({ strategy: { type: "Recreate" } }, 3), 0);
    });
    it("places by memory, selectors and taints, and names the reasons per node", () => {
        const gpuNode = node("gpu-1", 16, {
            labels: { [NODE_POOL_LABEL]: "gpu" },
            taints: [{ key: GPU_NODE_POOL.taintKey, value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }],
            allocatable: { cpuMillicores: 4000, memoryBytes: 16 * GiB, gpus: 1, ephemeralBytes: 180 * GiB, pods: 10 },
        });
        const groups = podGroupsAtMinimum([workload("Deployment", "big", { replicas: 3, ...podSpec("3Gi") })]);
        const result = placePods(groups, [node("n1", 4), node("n2", 4), gpuNode]);
        assert.strictEqual(result.unplaced.length, 1);
        assert.strictEqual(result.unplaced[0].pods, 1);
        assert.strictEqual(result.unplaced[0].reason, "0/3 nodes can take it: 2 Insufficient memory, 1 node(s) had untolerated taint {nvidia.com/gpu: true}");
    });
    it("packs tightly, so a pod said not to fit fits under no placement of the same pods", () => {
        // 2 GiB + 1 GiB + 1 GiB on two 2 GiB nodes fits only when the 2 GiB pod gets a node of its own.
        const groups = podGroupsAtMinimum([workload("Deployment", "a", { replicas: 1, ...podSpec("2Gi") }), workload("Deployment", "b", { replicas: 2, ...podSpec("1Gi") })]);
        assert.deepStrictEqual(placePods(groups, [node("n1", 2), node("n2", 2)]).unplaced, []);
    });
    it("blames the same pods whatever order the workloads were declared in (offline and real engines differ)", () => {
        // Three equal one-pod workloads, room for two: the one left out is the same in every order.
        const objects = ["x", "y", "z"].map((name) => workload("Deployment", name, { replicas: 1, ...podSpec("2Gi") }));
        const blamed = (order: KubeObject[]) => placePods(podGroupsAtMinimum(order), [node("n1", 2), node("n2", 2)]).unplaced.map((u) => u.group.workload);
        const first = blamed(objects);
        assert.strictEqual(first.length, 1);
        for (const order of [[objects[2], objects[0], objects[1]], [objects[1], objects[2], objects[0]], [...objects].reverse()]) {
            assert.deepStrictEqual(blamed(order), first);
        }
    });
    it("tells namespaces of the same name in different regions apart when checking quotas", () => {
        const inRegion = (o: KubeObject, region: string) => ({ ...o, labels: { "ai-platform.io/region": region } });
        const objects = [
            inRegion(workload("Deployment", "a", { replicas: 2, ...podSpec("1Gi") }), "r1"),
            inRegion(workload("Deployment", "a", { replicas: 2, ...podSpec("1Gi") }), "r2"),
            inRegion(workload("ResourceQuota", "q", { hard: { pods: "3" } }), "r1"),
        ];
        assert.deepStrictEqual(quotaShortfalls(podGroupsAtMinimum(objects), objects), []);
        const tight = [...objects, inRegion(workload("ResourceQuota", "q", { hard: { pods: "1" } }), "r2")];
        assert.deepStrictEqual(quotaShortfalls(podGroupsAtMinimum(tight), tight).map((s) => [s.resource, s.needed, s.hard]), [["pods", 2, 1]]);
    });
});
