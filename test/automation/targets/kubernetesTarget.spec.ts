/**
 * The driver's Kubernetes target checks against a real local cluster (two t3.medium-shaped
 * general nodes, one tainted GPU node): the preflight names what is missing and what does not
 * fit, the rollout checks name pods the scheduler leaves Pending and pods the API server refuses,
 * in the cluster's own words. Skips loudly without scripts/install-kubernetes.sh's binaries
 * (fails instead when CI=true).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeApi, resourcePath, startLocalClusters, stopLocalClusters } from "../../../automation/localClusters";
import { KubeToolchain, requireToolchainOrSkip } from "../../../automation/localClusters/toolchain";
import { connect } from "../../../automation/targets/kubernetesTarget";
import { preflightRegion } from "../../../automation/targets/preflight";
import { podProblems, verifyRegion, workloadProblems } from "../../../automation/targets/rollout";
import { KubeObject } from "../../../policies/shared/capacity";
import { NODE_POOL_LABEL } from "../../../contract/nodePools";

const REGION = "us-west-2";
const NS = "team";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await fn().catch(() => undefined);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(300);
    }
}

function deployment(name: string, replicas: number, memory: string, extra: Record<string, unknown> = {}) {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: NS, labels: { "ai-platform.io/region": REGION } },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { app: name } },
                spec: { containers: [{ name, image: "stand-in", resources: { requests: { cpu: "100m", memory }, limits: { cpu: "500m", memory } } }], ...extra },
            },
        },
    };
}

/** A declared object in the shape the preflight reads from a preview. */
function declared(o: any): KubeObject {
    return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels ?? {}, spec: o.spec };
}

describe("Kubernetes targets: preflight and rollout checks on a real cluster", function () {
    this.timeout(600_000);
    let toolchain: KubeToolchain;
    let dir: string;
    let kubeconfig: string;
    let api: KubeApi;
    let cluster: ReturnType<typeof connect>;

    before(async function () {
        toolchain = requireToolchainOrSkip(this);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "targets-"));
        kubeconfig = path.join(dir, "kubeconfig");
        await startLocalClusters({
            dir: path.join(dir, "clusters"),
            kubeconfigPath: kubeconfig,
            binaries: toolchain.binaries,
            clusters: [
                {
                    region: REGION,
                    nodePools: [
                        { name: "general", count: 2, cpu: "1930m", memory: "3308Mi", pods: 17, labels: { [NODE_POOL_LABEL]: "general" }, instanceType: "t3.medium" },
                        { name: "gpu", count: 1, cpu: "3920m", memory: "14727Mi", pods: 29, gpus: 1, labels: { [NODE_POOL_LABEL]: "gpu" }, taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }], instanceType: "g4dn.xlarge" },
                    ],
                },
            ],
        });
        cluster = connect(REGION, kubeconfig, REGION);
        const { credentialsFor } = await import("../../../automation/targets/kubeconfig");
        api = KubeApi.fromCredentials(credentialsFor(kubeconfig, REGION));
        await api.apply(resourcePath("v1", "namespaces", NS), { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
        await until("the namespace's default ServiceAccount", async () => (await api.request("GET", resourcePath("v1", "serviceaccounts", "default", NS))).status === 200);
    });

    after(async () => {
        cluster?.close();
        api?.close();
        if (dir) {
            await stopLocalClusters(path.join(dir, "clusters"), { remove: true });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("preflight: names a missing StorageClass, IngressClass and namespace", async () => {
        const sts = {
            kind: "StatefulSet",
            metadata: { name: "db", namespace: "elsewhere", labels: { "ai-platform.io/region": REGION } },
            spec: { replicas: 1, template: { spec: { containers: [{ resources: { requests: { cpu: "100m", memory: "128Mi" } } }] } }, volumeClaimTemplates: [{ spec: { storageClassName: "gold" } }] },
        };
        const ingress = { kind: "Ingress", metadata: { name: "web", namespace: NS, labels: {} }, spec: { ingressClassName: "traefik" } };
        const report = await preflightRegion([declared(sts), declared(ingress)], cluster);
        assert.strictEqual(report.ok, false);
        assert.deepStrictEqual(report.problems.map((p) => p.replace(/ \(.*\)$/, "")), [
            `${REGION}: StorageClass "gold" does not exist in the cluster`,
            `${REGION}: IngressClass "traefik" does not exist in the cluster`,
            `${REGION}: namespace "elsewhere" does not exist in the cluster`,
        ]);
    });

    it("preflight: the cluster's StorageClass and IngressClass pass, and pods that fit pass with figures", async () => {
        const sts = { ...deployment("db", 1, "256Mi"), kind: "StatefulSet", spec: { ...deployment("db", 1, "256Mi").spec, volumeClaimTemplates: [{ spec: { storageClassName: "encrypted" } }] } };
        const ingress = { kind: "Ingress", metadata: { name: "web", namespace: NS, labels: {} }, spec: { ingressClassName: "nginx" } };
        const report = await preflightRegion([declared(sts), declared(ingress), declared(deployment("api", 2, "1Gi"))], cluster);
        assert.deepStrictEqual(report.problems, []);
        assert.match(report.lines[0], /us-west-2: 2 schedulable node\(s\)|us-west-2: 3 schedulable node\(s\)/);
    });

    it("preflight: refuses pods the nodes cannot hold, in the scheduler's terms, and a GPU pod without a toleration", async () => {
        const big = declared(deployment("api", 3, "3Gi"));
        const gpu = declared(deployment("llm", 1, "1Gi"));
        gpu.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"] = "1";
        const report = await preflightRegion([big, gpu], cluster);
        assert.strictEqual(report.ok, false);
        assert.ok(report.problems.some((p) => /Deployment\/api: 1 of 3 pod\(s\) .* fit on no node: 0\/3 nodes can take it: 2 Insufficient memory, 1 node\(s\) had untolerated taint \{nvidia\.com\/gpu: true\}/.test(p)), report.problems.join("\n"));
        assert.ok(report.problems.some((p) => /Deployment\/llm: 1 of 1 pod\(s\) .* untolerated taint/.test(p)), report.problems.join("\n"));
    });

    it("verification: names a pod the scheduler leaves Pending, with the scheduler's reason, and the workload short of replicas", async () => {
        const since = new Date(Date.now() - 1000);
        await api.apply(resourcePath("apps/v1", "deployments", "hungry", NS), deployment("hungry", 1, "6Gi"));
        const problems = await until("the Pending pod", async () => {
            const found = await verifyRegion(cluster, [NS], since);
            return found.some((p) => p.object.startsWith(`Pod ${NS}/hungry-`) && /Insufficient memory/.test(p.reason)) ? found : undefined;
        });
        const pending = problems.find((p) => p.object.startsWith(`Pod ${NS}/hungry-`))!;
        assert.match(pending.reason, /^Pending: 0\/3 nodes are available: .*Insufficient memory/);
        assert.ok(problems.some((p) => p.object === `Deployment ${NS}/hungry` && /0\/1 available/.test(p.reason)), JSON.stringify(problems));
        // The rollout watch treats it as fatal once the scheduler has refused it for the grace period.
        const watched = await podProblems(cluster, NS, since, Date.now() + 60_000, 15_000, true);
        assert.ok(watched.some((p) => p.fatal && p.object.startsWith(`Pod ${NS}/hungry-`)));
        await api.call("DELETE", resourcePath("apps/v1", "deployments", "hungry", NS));
    });

    it("watch: names pods the API server refuses (LimitRange), as the ReplicaSet's FailedCreate event says", async () => {
        const since = new Date(Date.now() - 1000);
        await api.apply(resourcePath("v1", "limitranges", "max", NS), { apiVersion: "v1", kind: "LimitRange", metadata: { name: "max", namespace: NS }, spec: { limits: [{ type: "Container", max: { cpu: "250m" } }] } });
        await api.apply(resourcePath("apps/v1", "deployments", "greedy", NS), deployment("greedy", 1, "128Mi"));
        const refused = await until("the admission refusal", async () => {
            const found = await podProblems(cluster, NS, since);
            return found.find((p) => p.fatal && /refused by the API server/.test(p.reason));
        });
        assert.match(refused.object, /^ReplicaSet team\/greedy-/);
        assert.match(refused.reason, /forbidden: maximum cpu usage per Container is 250m, but limit is 500m/);
        await api.call("DELETE", resourcePath("apps/v1", "deployments", "greedy", NS));
        await api.call("DELETE", resourcePath("v1", "limitranges", "max", NS));
    });

    it("verification: a healthy workload, its HPA and PDB pass; an HPA without its target and a PDB that allows nothing are named", async () => {
        await api.apply(resourcePath("apps/v1", "deployments", "web", NS), deployment("web", 2, "128Mi"));
        await api.apply(resourcePath("policy/v1", "poddisruptionbudgets", "web", NS), { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } } });
        await api.apply(resourcePath("policy/v1", "poddisruptionbudgets", "strict", NS), { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "strict", namespace: NS }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: "web" } } } });
        const hpa = (name: string, target: string) => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name, namespace: NS }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas: 2, maxReplicas: 4, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] } });
        await api.apply(resourcePath("autoscaling/v2", "horizontalpodautoscalers", "web", NS), hpa("web", "web"));
        await api.apply(resourcePath("autoscaling/v2", "horizontalpodautoscalers", "ghost", NS), hpa("ghost", "nothing-here"));
        const problems = await until("the settled namespace", async () => {
            const found = await workloadProblems(cluster, NS);
            const webReady = !found.some((p) => p.object === `Deployment ${NS}/web` || p.object === `PodDisruptionBudget ${NS}/web`);
            return webReady && found.some((p) => p.object === `PodDisruptionBudget ${NS}/strict`) ? found : undefined;
        });
        assert.deepStrictEqual(problems.map((p) => p.object).sort(), [`HorizontalPodAutoscaler ${NS}/ghost`, `PodDisruptionBudget ${NS}/strict`]);
        assert.match(problems.find((p) => p.object.endsWith("/ghost"))!.reason, /Deployment nothing-here does not exist|cannot scale its target/);
        assert.match(problems.find((p) => p.object.endsWith("/strict"))!.reason, /allows no disruption \(2 healthy of 2 wanted/);
    });
});
