/**
 * Real local clusters (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok):
 * node shapes, workloads that run, bind and get an address, admission that refuses, two
 * clusters behind one kubeconfig, and a stop that leaves no process behind. Skips loudly
 * without the binaries of scripts/install-kubernetes.sh (fails instead when CI=true).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import {
    KubeApi,
    KubeApiError,
    LocalClusterSpec,
    StartOptions,
    clusterApi,
    localClustersStatus,
    readState,
    resourcePath,
    startLocalClusters,
    stopLocalClusters,
} from "../../automation/localClusters";
import { KubeToolchain, requireToolchainOrSkip } from "../../automation/localClusters/toolchain";
import { isRunning } from "../../automation/localClusters/processes";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        try {
            const v = await fn();
            if (v) return v;
        } catch (err) {
            last = err;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
        await sleep(250);
    }
}

const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" as const };

function regionSpec(region: string): LocalClusterSpec {
    return {
        region,
        nodePools: [
            { name: "general", count: 3, cpu: "8", memory: "32Gi", labels: { "ai-platform/pool": "general" }, instanceType: "m6i.2xlarge" },
            { name: "gpu", count: 1, cpu: "16", memory: "64Gi", gpus: 1, labels: { "ai-platform/pool": "gpu" }, taints: [GPU_TAINT], instanceType: "g5.4xlarge" },
        ],
    };
}

interface Obj {
    metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
}

interface PodObj extends Obj {
    spec: { nodeName?: string };
    status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

function pidsOf(dir: string): number[] {
    const state = readState(dir);
    return Object.values(state.clusters).flatMap((c) => Object.values(c.processes).map((p) => p!.pid));
}

const log = (line: string) => console.log(`      [local-clusters] ${line}`);

describe("local clusters: one region with a general and a GPU pool", function () {
    this.timeout(600_000);
    let toolchain: KubeToolchain;
    let dir: string;
    let kubeconfig: string;
    let api: KubeApi;
    let options: StartOptions;

    before(async function () {
        toolchain = requireToolchainOrSkip(this);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-clusters-"));
        kubeconfig = path.join(dir, "kubeconfig");
        options = { dir, clusters: [regionSpec("us-west-2")], kubeconfigPath: kubeconfig, binaries: toolchain.binaries, log };
        const t0 = Date.now();
        const result = await startLocalClusters(options);
        log(`start took ${Date.now() - t0} ms`);
        assert.strictEqual(result.clusters[0].outcome, "started");
        api = clusterApi(dir, "us-west-2");
    });
    after(async () => {
        api?.close();
        if (dir) {
            await stopLocalClusters(dir, { remove: true });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("writes one kubeconfig (mode 0600) whose context is named after the region", () => {
        assert.strictEqual(fs.statSync(kubeconfig).mode & 0o777, 0o600);
        const config = parse(fs.readFileSync(kubeconfig, "utf8")) as { contexts: { name: string }[]; "current-context": string };
        assert.deepStrictEqual(config.contexts.map((c) => c.name), ["us-west-2"]);
        assert.strictEqual(config["current-context"], "us-west-2");
    });

    it("has Ready fake nodes shaped like the pools (capacity, GPU, labels, taints, zones)", async () => {
        const nodes = await api.get<{ items: (Obj & { spec: { taints?: unknown[] }; status: { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: { type: string; status: string }[] } })[] }>(
            "/api/v1/nodes",
        );
        const byName = new Map(nodes.items.map((n) => [n.metadata.name, n]));
        assert.deepStrictEqual([...byName.keys()].sort(), ["general-0", "general-1", "general-2", "gpu-0"]);
        for (const n of nodes.items) assert.ok(n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"), `${n.metadata.name} not Ready`);
        const gpu = byName.get("gpu-0")!;
        assert.strictEqual(gpu.status.capacity["nvidia.com/gpu"], "1");
        assert.strictEqual(gpu.status.allocatable["nvidia.com/gpu"], "1");
        assert.strictEqual(gpu.status.capacity.cpu, "16");
        assert.strictEqual(gpu.status.allocatable.memory, "64Gi");
        assert.strictEqual(gpu.metadata.labels!["node.kubernetes.io/instance-type"], "g5.4xlarge");
        assert.strictEqual(gpu.metadata.labels!["ai-platform/pool"], "gpu");
        assert.ok((gpu.spec.taints ?? []).some((t) => JSON.stringify(t).includes('"nvidia.com/gpu"') && JSON.stringify(t).includes("NoSchedule")));
        const general = byName.get("general-1")!;
        assert.strictEqual(general.status.capacity["nvidia.com/gpu"], undefined);
        assert.strictEqual(general.metadata.labels!["topology.kubernetes.io/region"], "us-west-2");
        assert.strictEqual(general.metadata.labels!["topology.kubernetes.io/zone"], "us-west-2b");
        assert.strictEqual(general.metadata.labels!["ai-platform/pool"], "general");
    });

    it("answers kubectl through the kubeconfig (server v1.36.3)", function () {
        if (!toolchain.kubectl) this.skip();
        const version = JSON.parse(execFileSync(toolchain.kubectl!.path, ["--kubeconfig", kubeconfig, "--context", "us-west-2", "version", "-o", "json"], { encoding: "utf8" }));
        assert.strictEqual(version.serverVersion.gitVersion, "v1.36.3");
        const nodes = execFileSync(toolchain.kubectl!.path, ["--kubeconfig", kubeconfig, "--context", "us-west-2", "get", "nodes", "-l", "ai-platform/pool=gpu", "-o", "name"], { encoding: "utf8" });
        assert.strictEqual(nodes.trim(), "node/gpu-0");
    });

    it("runs a Deployment, a StatefulSet with a bound PVC of the class, and an Ingress with an address", async () => {
        const ns = "app";
        const t0 = Date.now();
        await api.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
        await until("default ServiceAccount in app", async () => (await api.request("GET", resourcePath("v1", "serviceaccounts", "default", ns))).status === 200);
        const container = { name: "web", image: "nginx:1.27", resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } };
        await api.call("POST", resourcePath("apps/v1", "deployments", undefined, ns), {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "web" },
            spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } },
        });
        await api.call("POST", resourcePath("v1", "services", undefined, ns), {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "web" },
            spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 80 }] },
        });
        await api.call("POST", resourcePath("apps/v1", "statefulsets", undefined, ns), {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "db" },
            spec: {
                serviceName: "db",
                replicas: 1,
                selector: { matchLabels: { app: "db" } },
                template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ ...container, name: "db", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
                volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "encrypted", resources: { requests: { storage: "1Gi" } } } }],
            },
        });
        await api.call("POST", resourcePath("networking.k8s.io/v1", "ingresses", undefined, ns), {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web" },
            spec: { ingressClassName: "nginx", rules: [{ host: "web.local", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
        });

        const dep = await until("Deployment web with 2 ready replicas", async () => {
            const d = await api.get<Obj & { status: { readyReplicas?: number } }>(resourcePath("apps/v1", "deployments", "web", ns));
            return (d.status.readyReplicas ?? 0) >= 2 && d;
        });
        assert.ok(dep);
        log(`Deployment ready ${Date.now() - t0} ms after the namespace was created`);
        const pods = await api.get<{ items: PodObj[] }>(`${resourcePath("v1", "pods", undefined, ns)}?labelSelector=app%3Dweb`);
        for (const p of pods.items) {
            assert.strictEqual(p.status.phase, "Running");
            assert.match(p.status.podIP ?? "", /^10\.\d+\.\d+\.\d+$/);
            assert.ok(p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
            assert.match(p.spec.nodeName ?? "", /^general-/, "a pod without the toleration must not land on the tainted GPU node");
        }
        await until("StatefulSet db ready", async () => ((await api.get<{ status: { readyReplicas?: number } }>(resourcePath("apps/v1", "statefulsets", "db", ns))).status.readyReplicas ?? 0) >= 1);
        const pvc = await api.get<{ status: { phase: string }; spec: { storageClassName: string; volumeName: string } }>(resourcePath("v1", "persistentvolumeclaims", "data-db-0", ns));
        assert.strictEqual(pvc.status.phase, "Bound");
        assert.strictEqual(pvc.spec.storageClassName, "encrypted");
        const pv = await api.get<{ spec: { hostPath?: { path: string } } }>(resourcePath("v1", "persistentvolumes", pvc.spec.volumeName));
        assert.match(pv.spec.hostPath?.path ?? "", /^\/tmp\/hostpath_pv\//);
        const sc = await api.get<Obj & { metadata: { annotations: Record<string, string> } }>(resourcePath("storage.k8s.io/v1", "storageclasses", "encrypted"));
        assert.match(sc.metadata.annotations["ai-platform/local-stand-in"], /NOT encrypted at rest/);
        const ing = await until("Ingress web with a load-balancer address", async () => {
            const i = await api.get<{ status: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(resourcePath("networking.k8s.io/v1", "ingresses", "web", ns));
            return (i.status.loadBalancer?.ingress?.length ?? 0) > 0 && i;
        });
        assert.strictEqual(ing.status.loadBalancer!.ingress![0].ip, "127.0.0.1");
        // The EndpointSlice controller follows the pods' readiness on its own schedule.
        const sliceEndpoints = await until("the Service with both pods as endpoints", async () => {
            const slices = await api.get<{ items: { endpoints?: { addresses: string[] }[] }[] }>(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb`);
            const found = slices.items.flatMap((s) => s.endpoints ?? []);
            return found.length >= 2 && found;
        });
        assert.strictEqual(sliceEndpoints.length, 2, "the Service has both pods as endpoints");
        // Pulumi's Ingress and Service awaits read the v1 Endpoints object.
        const endpoints = await api.get<{ subsets?: { addresses?: { ip: string }[] }[] }>(resourcePath("v1", "endpoints", "web", ns));
        assert.strictEqual((endpoints.subsets ?? []).flatMap((s) => s.addresses ?? []).length, 2);
        log(`all of Deployment, StatefulSet+PVC, Ingress ready ${Date.now() - t0} ms after the namespace was created`);
    });

    it("gives a Service of type LoadBalancer an address", async () => {
        await api.call("POST", resourcePath("v1", "services", undefined, "app"), {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "web-public" },
            spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 443, targetPort: 80 }] },
        });
        const svc = await until("LoadBalancer address", async () => {
            const s = await api.get<{ status: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(resourcePath("v1", "services", "web-public", "app"));
            return (s.status.loadBalancer?.ingress?.length ?? 0) > 0 && s;
        });
        assert.strictEqual(svc.status.loadBalancer!.ingress![0].ip, "127.0.0.1");
        const plain = await api.get<{ status: { loadBalancer?: { ingress?: unknown[] } } }>(resourcePath("v1", "services", "web", "app"));
        assert.strictEqual(plain.status.loadBalancer?.ingress, undefined, "a ClusterIP Service gets no load-balancer address");
    });

    it("schedules a pod that tolerates the taint and asks for a GPU onto the GPU node", async () => {
        await api.call("POST", resourcePath("v1", "pods", undefined, "app"), {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "llm" },
            spec: {
                tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
                containers: [{ name: "llm", image: "ollama/ollama", resources: { limits: { "nvidia.com/gpu": "1", cpu: "2", memory: "4Gi" } } }],
            },
        });
        const pod = await until("GPU pod Running", async () => {
            const p = await api.get<PodObj>(resourcePath("v1", "pods", "llm", "app"));
            return p.status.phase === "Running" && p;
        });
        assert.strictEqual(pod.spec.nodeName, "gpu-0");
    });

    it("refuses, in the API server, a pod over a LimitRange and a pod over a ResourceQuota", async () => {
        const ns = "limits";
        await api.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
        await api.call("POST", resourcePath("v1", "limitranges", undefined, ns), {
            apiVersion: "v1",
            kind: "LimitRange",
            metadata: { name: "max" },
            spec: { limits: [{ type: "Container", max: { cpu: "1", memory: "1Gi" }, default: { cpu: "500m", memory: "512Mi" } }] },
        });
        await api.call("POST", resourcePath("v1", "resourcequotas", undefined, ns), {
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: { name: "pods" },
            spec: { hard: { pods: "1" } },
        });
        await until("ResourceQuota status computed", async () => (await api.get<{ status?: { hard?: Record<string, string> } }>(resourcePath("v1", "resourcequotas", "pods", ns))).status?.hard?.pods === "1");
        await until("default ServiceAccount in limits", async () => (await api.request("GET", resourcePath("v1", "serviceaccounts", "default", ns))).status === 200);
        const pod = (name: string, cpu: string) => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name },
            spec: { containers: [{ name: "c", image: "busybox", resources: { limits: { cpu, memory: "128Mi" } } }] },
        });
        const big = await api.request("POST", resourcePath("v1", "pods", undefined, ns), pod("big", "2"));
        assert.strictEqual(big.status, 403, big.text);
        assert.match(KubeApiError.reason(big.text), /maximum cpu usage per Container is 1/);
        const first = await api.request("POST", resourcePath("v1", "pods", undefined, ns), pod("first", "500m"));
        assert.strictEqual(first.status, 201, first.text);
        const second = await api.request("POST", resourcePath("v1", "pods", undefined, ns), pod("second", "500m"));
        assert.strictEqual(second.status, 403, second.text);
        assert.match(KubeApiError.reason(second.text), /exceeded quota: pods/);
    });

    it("deletes a namespace with its workloads (namespace controller, kwok pod deletion)", async () => {
        const t0 = Date.now();
        await api.call("DELETE", "/api/v1/namespaces/app");
        await until("namespace app gone", async () => (await api.request("GET", "/api/v1/namespaces/app")).status === 404, 180_000);
        log(`namespace deletion (Deployment, StatefulSet, PVC, Ingress, pods) took ${Date.now() - t0} ms`);
    });

    it("reports status: every process running, nodes, memory", async () => {
        const [status] = await localClustersStatus(dir);
        assert.strictEqual(status.region, "us-west-2");
        assert.strictEqual(status.running, true);
        assert.deepStrictEqual(status.nodes, { total: 4, ready: 4 });
        assert.deepStrictEqual(status.processes.map((p) => p.name), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]);
        for (const p of status.processes) assert.ok(p.running && p.rssBytes > 0, `${p.name} ${JSON.stringify(p)}`);
        log(`RSS of the cluster: ${(status.rssBytes / 2 ** 20).toFixed(0)} MiB (${status.processes.map((p) => `${p.name} ${(p.rssBytes / 2 ** 20).toFixed(0)}`).join(", ")})`);
    });

    it("is idempotent: a second start reports the running cluster and starts nothing", async () => {
        const pids = pidsOf(dir);
        const result = await startLocalClusters(options);
        assert.strictEqual(result.clusters[0].outcome, "running");
        assert.deepStrictEqual(pidsOf(dir), pids);
    });

    it("detects a dead process and restarts the cluster on the same data", async () => {
        const kwok = readState(dir).clusters["us-west-2"].processes.kwok!;
        process.kill(kwok.pid, "SIGKILL");
        await until("kwok gone", async () => !isRunning(kwok));
        const [status] = await localClustersStatus(dir);
        assert.strictEqual(status.running, false);
        assert.strictEqual(status.processes.find((p) => p.name === "kwok")!.running, false);
        const result = await startLocalClusters(options);
        assert.strictEqual(result.clusters[0].outcome, "started");
        api.close();
        api = clusterApi(dir, "us-west-2");
        // The namespace made before the restart is still there: etcd kept its data.
        assert.strictEqual((await api.request("GET", "/api/v1/namespaces/limits")).status, 200);
    });
});

describe("local clusters: two regions side by side", function () {
    this.timeout(600_000);
    let toolchain: KubeToolchain;
    let dir: string;
    let kubeconfig: string;

    before(function () {
        toolchain = requireToolchainOrSkip(this);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-clusters-2-"));
        kubeconfig = path.join(dir, "kube", "config");
    });
    after(async () => {
        if (dir) {
            await stopLocalClusters(dir, { remove: true });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("starts us-west-2 and eu-west-1 with one kubeconfig context each", async () => {
        const t0 = Date.now();
        const result = await startLocalClusters({
            dir,
            kubeconfigPath: kubeconfig,
            binaries: toolchain.binaries,
            clusters: [regionSpec("us-west-2"), { ...regionSpec("eu-west-1"), zones: ["eu-west-1a", "eu-west-1b"] }],
            log,
        });
        log(`two clusters started in ${Date.now() - t0} ms`);
        assert.deepStrictEqual(result.clusters.map((c) => c.outcome), ["started", "started"]);
        assert.notStrictEqual(result.clusters[0].ports.apiserver, result.clusters[1].ports.apiserver);
        const config = parse(fs.readFileSync(kubeconfig, "utf8")) as { contexts: { name: string; context: { cluster: string } }[]; clusters: { name: string; cluster: { server: string } }[] };
        assert.deepStrictEqual(config.contexts.map((c) => c.name), ["us-west-2", "eu-west-1"]);
        assert.strictEqual(fs.statSync(kubeconfig).mode & 0o777, 0o600);
        for (const region of ["us-west-2", "eu-west-1"]) {
            const api = clusterApi(dir, region);
            try {
                const nodes = await api.get<{ items: Obj[] }>("/api/v1/nodes");
                assert.strictEqual(nodes.items.length, 4);
                assert.ok(nodes.items.every((n) => n.metadata.labels!["topology.kubernetes.io/region"] === region));
            } finally {
                api.close();
            }
            if (toolchain.kubectl) {
                const out = execFileSync(toolchain.kubectl.path, ["--kubeconfig", kubeconfig, "--context", region, "get", "nodes", "-o", "jsonpath={.items[0].metadata.labels.topology\\.kubernetes\\.io/region}"], { encoding: "utf8" });
                assert.strictEqual(out, region);
            }
        }
        const zones = new Set<string>();
        const eu = clusterApi(dir, "eu-west-1");
        try {
            for (const n of (await eu.get<{ items: Obj[] }>("/api/v1/nodes")).items) zones.add(n.metadata.labels!["topology.kubernetes.io/zone"]);
        } finally {
            eu.close();
        }
        assert.deepStrictEqual([...zones].sort(), ["eu-west-1a", "eu-west-1b"]);
        const status = await localClustersStatus(dir);
        for (const s of status) log(`${s.region}: RSS ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB`);
    });

    it("stops every process it started, and a second stop is a no-op", async () => {
        const pids = pidsOf(dir);
        assert.strictEqual(pids.length, 10);
        const records = Object.values(readState(dir).clusters).flatMap((c) => Object.values(c.processes));
        const t0 = Date.now();
        const results = await stopLocalClusters(dir);
        log(`stop took ${Date.now() - t0} ms`);
        assert.deepStrictEqual(results.map((r) => r.stopped), [5, 5]);
        for (const r of records) assert.ok(!isRunning(r), `pid ${r!.pid} still running`);
        for (const pid of pids) assert.ok(!fs.existsSync(`/proc/${pid}`) || fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z "), `pid ${pid} still exists`);
        const again = await stopLocalClusters(dir);
        assert.deepStrictEqual(again.map((r) => r.stopped), [0, 0]);
        const status = await localClustersStatus(dir);
        assert.ok(status.every((s) => !s.running));
    });
});

describe("local clusters: a cluster that cannot start", function () {
    this.timeout(120_000);
    let toolchain: KubeToolchain;
    let dir: string;

    before(function () {
        toolchain = requireToolchainOrSkip(this);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-clusters-fail-"));
    });
    after(async () => {
        if (dir) {
            await stopLocalClusters(dir, { remove: true });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("throws with the log of the process that exited, and leaves no process running", async () => {
        // kube-scheduler refuses the apiserver's flags and exits at once.
        const binaries = { ...toolchain.binaries, kubeApiserver: toolchain.binaries.kubeScheduler };
        await assert.rejects(
            startLocalClusters({ dir, kubeconfigPath: path.join(dir, "kubeconfig"), binaries, clusters: [regionSpec("us-west-2")], readyTimeoutMs: 30_000 }),
            /us-west-2: kube-apiserver \(pid \d+\) exited; last lines of .*kube-apiserver\.log:\n.*unknown flag/s,
        );
        const state = readState(dir);
        assert.deepStrictEqual(state.clusters["us-west-2"].processes, {});
        assert.ok(!fs.existsSync(path.join(dir, "kubeconfig")), "no kubeconfig for a cluster that did not start");
    });
});
