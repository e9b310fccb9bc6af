/** Pure spec builders of the Kubernetes workloads, checked against the SutazAI catalog. */
import * as assert from "assert";
import { sutazaiCatalog } from "../../config/catalog";
import { ServiceCatalog, ServiceDefinition } from "../../contract/catalog";
import { hpaSpec, pdbSpec, PDB_MAX_UNAVAILABLE } from "../../components/kubernetes/autoscaling";
import { containerSpec, GPU_NODE_POOL, GPU_RESOURCE, PROBE_TIMING } from "../../components/kubernetes/container";
import { deploymentSpec, ROLLING_UPDATE, serviceSpec } from "../../components/kubernetes/deployment";
import { ingressSpec } from "../../components/kubernetes/ingress";
import { selectorLabels, WorkloadContext } from "../../components/kubernetes/labels";
import { limitRangeSpec, resourceQuotaSpec, QUOTA_HEADROOM } from "../../components/kubernetes/namespace";
import { networkPolicySpecs } from "../../components/kubernetes/networkPolicies";
import { planWorkloads } from "../../components/kubernetes/plan";
import { cpuToMillicores, memoryToBytes } from "../../contract/quantities";
import { defaultIngressRoutes, publicHealthPath } from "../../components/kubernetes/routes";
import { statefulSetSpec } from "../../components/kubernetes/statefulSet";
import { OLLAMA_MIN_REPLICAS } from "../../config/catalog/sutazai";
import { memoryToBytes as bytes } from "../../contract/quantities";
import { LABEL } from "../../contract/markers";

const ctx: WorkloadContext = { tier: 2, region: "us-west-2", namespace: "ai-platform", partOf: "sutazai" };

function specOf(service: ServiceDefinition) {
    const placement = service.tiers[2];
    if (service.kind === "stateful") return statefulSetSpec(ctx, service, placement, `${service.name}-headless`, "encrypted-gp3");
    return deploymentSpec(ctx, service, placement, { gpu: service.kind === "gpu" });
}

function containersOf(spec: any): any[] {
    return spec.template.spec.containers;
}

describe("kubernetes spec builders", () => {
    describe("containers", () => {
        for (const service of sutazaiCatalog.services) {
            it(`${service.name}: requests and limits are the catalog's`, () => {
                const [container] = containersOf(specOf(service));
                assert.strictEqual(container.resources.requests.cpu, service.resources.requests.cpu);
                assert.strictEqual(container.resources.requests.memory, service.resources.requests.memory);
                assert.strictEqual(container.resources.limits.cpu, service.resources.limits.cpu);
                assert.strictEqual(container.resources.limits.memory, service.resources.limits.memory);
            });
        }

        it("runs every pod as non-root without privilege escalation", () => {
            for (const service of sutazaiCatalog.services) {
                const spec: any = specOf(service);
                assert.strictEqual(spec.template.spec.securityContext.runAsNonRoot, true, service.name);
                assert.ok(spec.template.spec.securityContext.runAsUser > 0, service.name);
                assert.strictEqual(containersOf(spec)[0].securityContext.allowPrivilegeEscalation, false, service.name);
            }
        });

        it("gates traffic on the health path and restarts only a process that stops answering (a TCP connect)", () => {
            const backend = sutazaiCatalog.services.find((s) => s.name === "backend-api")!;
            const c: any = containerSpec(backend, { gpu: false });
            assert.deepStrictEqual(c.readinessProbe.httpGet, { path: "/health", port: 8000 });
            assert.deepStrictEqual(c.livenessProbe.tcpSocket, { port: 8000 });
            assert.strictEqual(c.livenessProbe.httpGet, undefined);
            // Readiness looks more often and gives up sooner; liveness waits for 3 failures 20 s apart.
            assert.strictEqual(c.readinessProbe.periodSeconds * c.readinessProbe.failureThreshold, 30);
            assert.strictEqual(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold, 60);
            assert.strictEqual(c.startupProbe, undefined);
        });

        it("gives a service with no check besides a TCP connect readiness only: liveness on the same check would restart it whenever it is not ready", () => {
            const backend = sutazaiCatalog.services.find((s) => s.name === "backend-api")!;
            const bare: ServiceDefinition = { ...backend, healthPath: undefined };
            const c: any = containerSpec(bare, { gpu: false });
            assert.deepStrictEqual(c.readinessProbe.tcpSocket, { port: 8000 });
            assert.strictEqual(c.livenessProbe, undefined);
        });

        it("probes every catalog service with different readiness and liveness checks", () => {
            for (const service of sutazaiCatalog.services) {
                const c: any = containersOf(specOf(service))[0];
                const check = (p: any) => JSON.stringify({ httpGet: p.httpGet, tcpSocket: p.tcpSocket, exec: p.exec });
                assert.ok(c.readinessProbe && c.livenessProbe, service.name);
                assert.notStrictEqual(check(c.readinessProbe), check(c.livenessProbe), service.name);
            }
        });

        it("uses the catalog's readiness commands and liveness paths, with more time for commands", () => {
            const c = (name: string): any => containersOf(specOf(sutazaiCatalog.services.find((s) => s.name === name)!))[0];
            assert.deepStrictEqual(c("redis").readinessProbe.exec.command, ["redis-cli", "ping"]);
            assert.strictEqual(c("redis").readinessProbe.timeoutSeconds, PROBE_TIMING.commandTimeoutSeconds);
            assert.deepStrictEqual(c("redis").livenessProbe.tcpSocket, { port: 6379 });
            assert.deepStrictEqual([c("qdrant").readinessProbe.httpGet.path, c("qdrant").livenessProbe.httpGet.path], ["/readyz", "/livez"]);
            assert.deepStrictEqual([c("prometheus").readinessProbe.httpGet.path, c("prometheus").livenessProbe.httpGet.path], ["/-/ready", "/-/healthy"]);
        });

        it("gives slow starters (Ollama, Neo4j) a startup probe that covers their start, and liveness no initial delay behind it", () => {
            for (const name of ["ollama", "neo4j"]) {
                const service = sutazaiCatalog.services.find((s) => s.name === name)!;
                const c: any = containersOf(specOf(service))[0];
                assert.ok(c.startupProbe, name);
                assert.ok(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold >= service.probes!.startupSeconds!, name);
                assert.deepStrictEqual({ ...c.startupProbe, periodSeconds: 0, failureThreshold: 0, timeoutSeconds: 0 }, { ...c.livenessProbe, periodSeconds: 0, failureThreshold: 0, timeoutSeconds: 0 }, `${name}: the startup probe runs the liveness check`);
                assert.strictEqual(c.livenessProbe.initialDelaySeconds, undefined, name);
            }
            assert.ok(sutazaiCatalog.services.find((s) => s.name === "ollama")!.probes!.startupSeconds! >= 300);
        });

        it("puts GPU services on the GPU pool with one GPU", () => {
            const ollama = sutazaiCatalog.services.find((s) => s.kind === "gpu")!;
            const spec: any = specOf(ollama);
            assert.strictEqual(containersOf(spec)[0].resources.limits[GPU_RESOURCE], "1");
            assert.deepStrictEqual(spec.template.spec.nodeSelector, { [GPU_NODE_POOL.labelKey]: "gpu" });
            assert.strictEqual(spec.template.spec.tolerations[0].key, GPU_RESOURCE);
            assert.strictEqual(spec.template.spec.tolerations[0].effect, "NoSchedule");
            const backend: any = specOf(sutazaiCatalog.services.find((s) => s.name === "backend-api")!);
            assert.strictEqual(backend.template.spec.nodeSelector, undefined);
            assert.strictEqual(containersOf(backend)[0].resources.limits[GPU_RESOURCE], undefined);
        });
    });

    describe("read-only root and node-local disk", () => {
        it("gives every container a read-only root and an emptyDir with the catalog's size limit at each writable path", () => {
            for (const service of sutazaiCatalog.services) {
                const spec: any = specOf(service);
                const [c] = containersOf(spec);
                assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true, service.name);
                const volumes = Object.fromEntries((spec.template.spec.volumes ?? []).map((v: any) => [v.name, v]));
                for (const writable of service.writablePaths) {
                    const mount = (c.volumeMounts ?? []).find((m: any) => m.mountPath === writable.path);
                    assert.ok(mount, `${service.name}: ${writable.path} is mounted`);
                    assert.deepStrictEqual(volumes[mount.name].emptyDir, { sizeLimit: writable.sizeLimit }, `${service.name}: ${writable.path}`);
                }
                for (const volume of Object.values(volumes) as any[]) {
                    if (volume.emptyDir) assert.ok(volume.emptyDir.sizeLimit, `${service.name}: ${volume.name} has a size limit`);
                }
            }
        });

        it("keeps a Deployment's storage (Ollama's models) in a size-limited emptyDir, a StatefulSet's on its claim", () => {
            const ollama = sutazaiCatalog.services.find((s) => s.name === "ollama")!;
            const spec: any = specOf(ollama);
            const data = spec.template.spec.volumes.find((v: any) => v.name === "data");
            assert.deepStrictEqual(data.emptyDir, { sizeLimit: "50Gi" });
            assert.ok(containersOf(spec)[0].volumeMounts.some((m: any) => m.name === "data" && m.mountPath === ollama.storage!.mountPath));
            const neo4j: any = specOf(sutazaiCatalog.services.find((s) => s.name === "neo4j")!);
            assert.ok(!neo4j.template.spec.volumes.some((v: any) => v.name === "data"), "the claim template provides it");
            assert.ok(containersOf(neo4j)[0].volumeMounts.some((m: any) => m.name === "data" && m.mountPath === "/data"));
        });

        it("requests and limits the catalog's ephemeral storage, the limit holding every emptyDir of the pod", () => {
            for (const service of sutazaiCatalog.services) {
                const spec: any = specOf(service);
                const [c] = containersOf(spec);
                assert.strictEqual(c.resources.requests["ephemeral-storage"], service.ephemeralStorage.request, service.name);
                assert.strictEqual(c.resources.limits["ephemeral-storage"], service.ephemeralStorage.limit, service.name);
                const held = (spec.template.spec.volumes ?? []).filter((v: any) => v.emptyDir).reduce((sum: number, v: any) => sum + bytes(v.emptyDir.sizeLimit), 0);
                assert.ok(held <= bytes(service.ephemeralStorage.limit), `${service.name}: emptyDirs ${held} B within the limit`);
            }
        });
    });

    describe("spread and disruption", () => {
        const spreadOf = (spec: any) => Object.fromEntries((spec.template.spec.topologySpreadConstraints ?? []).map((c: any) => [c.topologyKey, c]));
        it("spreads replicated Deployments over nodes and zones as a preference, honouring taints, on their own pods", () => {
            const backend = sutazaiCatalog.services.find((s) => s.name === "backend-api")!;
            const spread = spreadOf(specOf(backend));
            for (const key of ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]) {
                assert.strictEqual(spread[key].whenUnsatisfiable, "ScheduleAnyway", key);
                assert.strictEqual(spread[key].maxSkew, 1);
                assert.strictEqual(spread[key].nodeTaintsPolicy, "Honor");
                assert.deepStrictEqual(spread[key].labelSelector.matchLabels, selectorLabels(ctx, backend.name));
            }
        });
        it("keeps the members of replicated StatefulSets on distinct nodes (DoNotSchedule) and only prefers distinct zones", () => {
            for (const name of ["neo4j", "rabbitmq", "qdrant"]) {
                const spread = spreadOf(specOf(sutazaiCatalog.services.find((s) => s.name === name)!));
                assert.strictEqual(spread["kubernetes.io/hostname"].whenUnsatisfiable, "DoNotSchedule", name);
                assert.strictEqual(spread["topology.kubernetes.io/zone"].whenUnsatisfiable, "ScheduleAnyway", name);
            }
        });
        it("declares no spread for single replicas", () => {
            const grafana: any = specOf(sutazaiCatalog.services.find((s) => s.name === "grafana")!);
            assert.strictEqual(grafana.template.spec.topologySpreadConstraints, undefined);
        });
        it("runs Ollama at two replicas or more from tier 2, so a drain (PDB maxUnavailable 1) leaves one serving", () => {
            const ollama = sutazaiCatalog.services.find((s) => s.name === "ollama")!;
            assert.strictEqual(OLLAMA_MIN_REPLICAS, 2);
            for (const tier of [2, 3] as const) {
                assert.strictEqual(ollama.tiers[tier].autoscaling!.minReplicas, OLLAMA_MIN_REPLICAS);
                assert.ok(ollama.tiers[tier].autoscaling!.minReplicas > PDB_MAX_UNAVAILABLE);
            }
            assert.ok(spreadOf(specOf(ollama))["kubernetes.io/hostname"]);
        });
    });

    describe("deployments and stateful sets", () => {
        it("rolls Deployments one pod at a time, never below the desired count (1/0); inference replaces its pod first (0/1)", () => {
            assert.deepStrictEqual(ROLLING_UPDATE, { maxSurge: 1, maxUnavailable: 0 });
            for (const service of sutazaiCatalog.services.filter((s) => s.kind !== "stateful")) {
                const spec: any = specOf(service);
                const expected = service.kind === "gpu" ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge: 1, maxUnavailable: 0 };
                assert.deepStrictEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: expected }, service.name);
                // The selector picks the pods the template creates.
                for (const [key, value] of Object.entries(spec.selector.matchLabels)) {
                    assert.strictEqual(spec.template.metadata.labels[key], value, `${service.name} ${key}`);
                }
            }
        });

        it("gives StatefulSets volume claims on the encrypted class, sized from the catalog", () => {
            for (const service of sutazaiCatalog.services.filter((s) => s.kind === "stateful" && s.storage)) {
                const spec: any = specOf(service);
                const [claim] = spec.volumeClaimTemplates;
                assert.strictEqual(claim.spec.storageClassName, "encrypted-gp3", service.name);
                assert.strictEqual(claim.spec.resources.requests.storage, service.storage!.size, service.name);
                assert.strictEqual(spec.serviceName, `${service.name}-headless`);
                assert.strictEqual(spec.replicas, service.tiers[2].replicas);
            }
        });

        it("makes the governing Service of a StatefulSet headless", () => {
            const neo4j = sutazaiCatalog.services.find((s) => s.name === "neo4j")!;
            assert.strictEqual(serviceSpec(ctx, neo4j, { headless: true }).clusterIP, "None");
            assert.strictEqual(serviceSpec(ctx, neo4j, { headless: false }).clusterIP, undefined);
        });
    });

    describe("autoscaling and disruption budgets", () => {
        const autoscaled = sutazaiCatalog.services.filter((s) => s.tiers[2].autoscaling);
        it("has autoscaled services in the catalog (backend 3-10)", () => {
            const backend = autoscaled.find((s) => s.name === "backend-api")!;
            assert.strictEqual(backend.tiers[2].autoscaling!.minReplicas, 3);
            assert.strictEqual(backend.tiers[2].autoscaling!.maxReplicas, 10);
        });
        for (const service of autoscaled) {
            it(`${service.name}: HPA bounds, targets and windows come from the catalog`, () => {
                const hpa = service.tiers[2].autoscaling!;
                const spec: any = hpaSpec(service.name, hpa);
                assert.strictEqual(spec.minReplicas, hpa.minReplicas);
                assert.strictEqual(spec.maxReplicas, hpa.maxReplicas);
                assert.strictEqual(spec.scaleTargetRef.name, service.name);
                const target = (name: string) => spec.metrics.find((m: any) => m.resource.name === name).resource.target.averageUtilization;
                assert.strictEqual(target("cpu"), 70);
                assert.strictEqual(target("memory"), 80);
                assert.strictEqual(spec.behavior.scaleUp.stabilizationWindowSeconds, 30);
                assert.strictEqual(spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
            });
        }
        it("refuses HPA bounds with min above max", () => {
            const bad = { minReplicas: 5, maxReplicas: 2, cpuUtilization: 70, memoryUtilization: 80, scaleUpWindowSeconds: 30, scaleDownWindowSeconds: 300 };
            assert.throws(() => hpaSpec("backend-api", bad), /minReplicas \(5\).*maxReplicas \(2\)/);
        });
        it("lets drains take one pod of a service at a time, and always a pod that runs but is not ready", () => {
            const spec: any = pdbSpec(ctx, "neo4j");
            assert.strictEqual(spec.maxUnavailable, PDB_MAX_UNAVAILABLE);
            assert.strictEqual(PDB_MAX_UNAVAILABLE, 1);
            assert.strictEqual(spec.unhealthyPodEvictionPolicy, "AlwaysAllow");
            assert.deepStrictEqual(spec.selector.matchLabels, selectorLabels(ctx, "neo4j"));
        });
    });

    describe("plan", () => {
        it("skips managed stores on AWS and runs them as StatefulSets without a cloud", () => {
            const onAws = planWorkloads(sutazaiCatalog, 2, { managedServicesAvailable: true, gpuNodesAvailable: true });
            const bare = planWorkloads(sutazaiCatalog, 2, { managedServicesAvailable: false, gpuNodesAvailable: true });
            assert.strictEqual(onAws.find((w) => w.service.name === "postgresql")!.shape, "managed");
            assert.strictEqual(bare.find((w) => w.service.name === "postgresql")!.shape, "statefulSet");
            assert.strictEqual(onAws.find((w) => w.service.name === "ollama")!.shape, "gpu");
            assert.strictEqual(onAws.find((w) => w.service.name === "backend-api")!.shape, "deployment");
        });
        it("refuses tiers below 2", () => {
            assert.throws(() => planWorkloads(sutazaiCatalog, 1, { managedServicesAvailable: true, gpuNodesAvailable: true }), /start at tier 2/);
        });
    });

    describe("namespace guardrails", () => {
        const tiny: ServiceCatalog = {
            name: "tiny",
            services: [
                {
                    name: "api",
                    description: "",
                    image: "api:1",
                    ports: [80],
                    kind: "stateless",
                    group: "application",
                    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
                    writablePaths: [{ path: "/tmp", sizeLimit: "1Gi" }],
                    ephemeralStorage: { request: "512Mi", limit: "2Gi" },
                    tiers: {
                        0: { replicas: 1 },
                        1: { replicas: 1 },
                        2: { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, memoryUtilization: 80, scaleUpWindowSeconds: 30, scaleDownWindowSeconds: 300 } },
                        3: { replicas: 2 },
                    },
                },
                {
                    name: "db",
                    description: "",
                    image: "db:1",
                    ports: [5432],
                    kind: "stateful",
                    group: "core",
                    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
                    storage: { size: "10Gi", mountPath: "/data" },
                    writablePaths: [],
                    ephemeralStorage: { request: "256Mi", limit: "1Gi" },
                    tiers: { 0: { replicas: 1 }, 1: { replicas: 1 }, 2: { replicas: 3 }, 3: { replicas: 3 } },
                },
            ],
        };

        it("sizes the quota for every service at its maximum (plus surge and headroom)", () => {
            const hard: any = resourceQuotaSpec(planWorkloads(tiny, 2, { managedServicesAvailable: false, gpuNodesAvailable: true })).hard;
            // api: 4 max + 1 surge = 5 pods; db: 3 pods, 3 claims.
            assert.strictEqual(QUOTA_HEADROOM, 1.2);
            assert.strictEqual(hard.pods, String(Math.ceil(8 * 1.2)));
            assert.strictEqual(hard["requests.cpu"], `${Math.ceil((5 * 500 + 3 * 250) * 1.2)}m`);
            assert.strictEqual(hard["limits.memory"], `${Math.ceil((5 * 2048 + 3 * 1024) * 1.2)}Mi`);
            assert.strictEqual(hard.persistentvolumeclaims, String(Math.ceil(3 * 1.2)));
            // Ephemeral storage: 5 x 512Mi + 3 x 256Mi requested, 5 x 2Gi + 3 x 1Gi limits.
            assert.strictEqual(hard["requests.ephemeral-storage"], `${Math.ceil((5 * 512 + 3 * 256) * 1.2)}Mi`);
            assert.strictEqual(hard["limits.ephemeral-storage"], `${Math.ceil((5 * 2048 + 3 * 1024) * 1.2)}Mi`);
        });

        it("adds the reserve of workloads declared beside the catalog, ephemeral storage included", () => {
            const plan = planWorkloads(tiny, 2, { managedServicesAvailable: false, gpuNodesAvailable: true });
            const reserve = { pods: 2, requests: { cpu: "500m", memory: "512Mi", ephemeralStorage: "1Gi" }, limits: { cpu: "2000m", memory: "1Gi", ephemeralStorage: "6Gi" } };
            const hard: any = resourceQuotaSpec(plan, reserve).hard;
            assert.strictEqual(hard["requests.ephemeral-storage"], `${Math.ceil((5 * 512 + 3 * 256 + 1024) * 1.2)}Mi`);
            assert.strictEqual(hard["limits.ephemeral-storage"], `${Math.ceil((5 * 2048 + 3 * 1024 + 6 * 1024) * 1.2)}Mi`);
        });

        it("covers the real catalog's limits at maximum scale", () => {
            const plan = planWorkloads(sutazaiCatalog, 2, { managedServicesAvailable: true, gpuNodesAvailable: true });
            const hard: any = resourceQuotaSpec(plan).hard;
            const needed = plan
                .filter((w) => w.shape !== "managed")
                .reduce((sum, w) => sum + (w.placement.autoscaling?.maxReplicas ?? w.placement.replicas) * cpuToMillicores(w.service.resources.limits.cpu), 0);
            assert.ok(cpuToMillicores(hard["limits.cpu"]) >= needed);
            assert.ok(Number(hard[`requests.${GPU_RESOURCE}`]) >= 1);
        });

        it("caps single containers at the stack's maxima", () => {
            const spec: any = limitRangeSpec({ cpu: "4", memory: "8Gi" });
            assert.deepStrictEqual(spec.limits[0].max, { cpu: "4", memory: "8Gi" });
            assert.strictEqual(spec.limits[0].type, "Container");
            assert.ok(spec.limits[0].default.cpu && spec.limits[0].defaultRequest.memory);
        });

        it("defaults ephemeral storage for containers that name none, so the quota's ephemeral-storage keys admit them", () => {
            const spec: any = limitRangeSpec({ cpu: "4", memory: "8Gi" });
            assert.strictEqual(spec.limits[0].defaultRequest["ephemeral-storage"], "256Mi");
            assert.strictEqual(spec.limits[0].default["ephemeral-storage"], "1Gi");
        });

        it("rejects malformed quantities with the value in the message", () => {
            assert.throws(() => cpuToMillicores("two"), /"two"/);
            assert.throws(() => memoryToBytes("1 GB"), /"1 GB"/);
            assert.strictEqual(memoryToBytes("1Gi"), 1024 ** 3);
        });
    });

    describe("network policies", () => {
        const specs = networkPolicySpecs(ctx, {
            ingressControllerNamespace: "ingress-nginx",
            publicApps: [{ app: "frontend", ports: [8501] }],
            managedServiceCidrs: [],
        });
        it("denies all ingress and egress by default", () => {
            const deny = specs.find((p) => p.name === "default-deny-all")!;
            assert.deepStrictEqual(deny.spec.podSelector, {});
            assert.deepStrictEqual(deny.spec.policyTypes, ["Ingress", "Egress"]);
            assert.strictEqual(deny.spec.ingress, undefined);
            assert.strictEqual(deny.spec.egress, undefined);
        });
        it("lets the ingress controller reach only the public services", () => {
            const allow: any = specs.find((p) => p.name === "allow-ingress-controller-to-frontend")!.spec;
            assert.strictEqual(allow.podSelector.matchLabels[LABEL.app], "frontend");
            assert.strictEqual(allow.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "ingress-nginx");
            assert.deepStrictEqual(allow.ingress[0].ports, [{ protocol: "TCP", port: 8501 }]);
        });
        it("opens the managed stores only when there are some", () => {
            assert.ok(!specs.some((p) => p.name === "allow-managed-stores"));
            const withStores = networkPolicySpecs(ctx, { ingressControllerNamespace: "x", publicApps: [], managedServiceCidrs: ["10.10.0.0/16"] });
            const stores: any = withStores.find((p) => p.name === "allow-managed-stores")!.spec;
            assert.deepStrictEqual(stores.egress[0].to, [{ ipBlock: { cidr: "10.10.0.0/16" } }]);
            assert.deepStrictEqual(stores.egress[0].ports.map((p: any) => p.port), [5432, 6379]);
        });
    });

    describe("ingress", () => {
        it("publishes the frontend at / and the API at /api and its health path", () => {
            const routes = defaultIngressRoutes(sutazaiCatalog);
            assert.deepStrictEqual(
                routes.map((r) => [r.path, r.service]),
                [["/api", "backend-api"], ["/health", "backend-api"], ["/", "frontend"]],
            );
            assert.strictEqual(publicHealthPath(sutazaiCatalog), "/health");
        });
        it("terminates TLS for every host and orders longer prefixes first", () => {
            const spec: any = ingressSpec({
                host: "ai.example.com",
                extraHosts: ["us-west-2.ai.example.com"],
                className: "nginx",
                tlsSecretName: "platform-tls",
                routes: [{ path: "/", service: "frontend", port: 8501 }, { path: "/api", service: "backend-api", port: 8000 }],
            });
            assert.deepStrictEqual(spec.tls, [{ hosts: ["ai.example.com", "us-west-2.ai.example.com"], secretName: "platform-tls" }]);
            assert.deepStrictEqual(spec.rules[0].http.paths.map((p: any) => p.path), ["/api", "/"]);
            assert.strictEqual(spec.rules.length, 2);
        });
        it("refuses an Ingress with nothing to publish", () => {
            assert.throws(() => ingressSpec({ host: "a.b", className: "nginx", tlsSecretName: "t", routes: [] }), /at least one route/);
        });
    });
});
