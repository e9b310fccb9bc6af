import * as assert from "assert";
import { CatalogError, ServiceCatalog, TIERS, defaultCatalog, resourcesAt, validateCatalog } from "../../config/catalog";

function clone(): ServiceCatalog {
    return JSON.parse(JSON.stringify(defaultCatalog));
}

function problemsOf(catalog: ServiceCatalog): string[] {
    try {
        validateCatalog(catalog);
    } catch (error) {
        assert.ok(error instanceof CatalogError);
        return (error as CatalogError).problems;
    }
    assert.fail("catalog was accepted");
}

const service = (catalog: ServiceCatalog, name: string) => catalog.services.find((s) => s.name === name)!;

describe("default catalog (seeds 002/003)", () => {
    it("validates", () => validateCatalog(defaultCatalog));

    it("has every service of the seeds", () => {
        const names = defaultCatalog.services.map((s) => s.name);
        for (const name of ["backend-api", "frontend", "ollama", "postgresql", "redis", "neo4j", "rabbitmq", "chromadb", "qdrant", "prometheus", "grafana", "loki"]) {
            assert.ok(names.includes(name), `missing ${name}`);
        }
    });

    it("backend-api: requests 500m/1Gi, limits 2000m/2Gi, HPA 3-10 at CPU 70 % / memory 80 %, windows 30 s / 300 s", () => {
        const backend = service(defaultCatalog, "backend-api");
        assert.deepStrictEqual(backend.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "2Gi" } });
        for (const tier of [2, 3] as const) {
            assert.deepStrictEqual(backend.tiers[tier].autoscaling, {
                minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80, scaleUpWindowSeconds: 30, scaleDownWindowSeconds: 300,
            });
        }
    });

    it("backend-api on the single host: reservations 1 core / 1Gi, limits 2 cores / 2Gi (seed 002 section 3.1)", () => {
        assert.deepStrictEqual(resourcesAt(service(defaultCatalog, "backend-api"), 0), {
            requests: { cpu: "1000m", memory: "1Gi" },
            limits: { cpu: "2000m", memory: "2Gi" },
        });
        assert.deepStrictEqual(resourcesAt(service(defaultCatalog, "backend-api"), 2), service(defaultCatalog, "backend-api").resources);
    });

    it("seven agent services at 256Mi, 2-5 per type", () => {
        const agents = defaultCatalog.services.filter((s) => s.group === "agents");
        assert.strictEqual(agents.length, 7);
        for (const agent of agents) {
            assert.strictEqual(agent.resources.requests.memory, "256Mi");
            assert.deepStrictEqual([agent.tiers[2].autoscaling?.minReplicas, agent.tiers[2].autoscaling?.maxReplicas], [2, 5]);
        }
    });

    it("frontend 2-5, ollama on the GPU pool with 2Gi", () => {
        const frontend = service(defaultCatalog, "frontend");
        assert.deepStrictEqual([frontend.tiers[2].autoscaling?.minReplicas, frontend.tiers[2].autoscaling?.maxReplicas], [2, 5]);
        const ollama = service(defaultCatalog, "ollama");
        assert.strictEqual(ollama.kind, "gpu");
        assert.strictEqual(ollama.resources.requests.memory, "2Gi");
    });

    it("stateless services run 3 replicas at tier 1 (seed 002 section 3.2)", () => {
        for (const s of defaultCatalog.services.filter((x) => x.kind === "stateless")) {
            assert.strictEqual(s.tiers[1].replicas, 3, s.name);
        }
    });

    it("managed PostgreSQL and Redis from tier 2; Redis 3 nodes, Neo4j 3 cores, RabbitMQ 3 nodes", () => {
        for (const tier of [2, 3] as const) {
            assert.strictEqual(service(defaultCatalog, "postgresql").tiers[tier].runsAs, "managed");
            assert.strictEqual(service(defaultCatalog, "redis").tiers[tier].runsAs, "managed");
            assert.strictEqual(service(defaultCatalog, "redis").tiers[tier].replicas, 3);
            assert.strictEqual(service(defaultCatalog, "neo4j").tiers[tier].replicas, 3);
            assert.strictEqual(service(defaultCatalog, "rabbitmq").tiers[tier].replicas, 3);
        }
    });
});

describe("validateCatalog", () => {
    it("rejects a request above its limit", () => {
        const catalog = clone();
        service(catalog, "frontend").resources.requests.cpu = "3";
        const found = problemsOf(catalog);
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /service "frontend": cpu request 3 exceeds limit 500m/);
    });

    it("rejects a memory request above its limit", () => {
        const catalog = clone();
        service(catalog, "redis").resources.requests.memory = "1Gi";
        assert.match(problemsOf(catalog)[0], /service "redis": memory request 1Gi exceeds limit 512Mi/);
    });

    it("rejects autoscaling min above max", () => {
        const catalog = clone();
        const hpa = service(catalog, "backend-api").tiers[2].autoscaling!;
        hpa.minReplicas = 12;
        assert.ok(problemsOf(catalog).some((p) => /backend-api" tier 2: autoscaling min 12 > max 10/.test(p)));
    });

    it("checks a tier's own resources too", () => {
        const catalog = clone();
        service(catalog, "backend-api").tiers[0].resources!.requests.memory = "4Gi";
        assert.deepStrictEqual(problemsOf(catalog), ['service "backend-api" tier 0: memory request 4Gi exceeds limit 2Gi; requests must be <= limits']);
    });

    it("rejects a missing tier", () => {
        const catalog = clone();
        delete (service(catalog, "loki").tiers as Record<number, unknown>)[3];
        assert.deepStrictEqual(problemsOf(catalog), ['service "loki": no placement for tier 3; every tier 0-3 needs an entry']);
    });

    it("rejects malformed quantities and duplicate names", () => {
        const catalog = clone();
        service(catalog, "grafana").resources.limits.memory = "lots";
        catalog.services.push({ ...service(catalog, "qdrant") });
        const found = problemsOf(catalog);
        assert.ok(found.some((p) => /grafana": resources.limits.memory "lots"/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /qdrant": duplicate name/.test(p)), found.join("\n"));
    });

    it("asks every service for its writable paths and ephemeral storage, naming the service and the field", () => {
        const catalog = clone();
        delete (service(catalog, "frontend") as any).writablePaths;
        delete (service(catalog, "loki") as any).ephemeralStorage;
        const found = problemsOf(catalog);
        assert.ok(found.some((p) => /service "frontend": writablePaths is missing: list the paths the image writes to/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /service "loki": ephemeralStorage is missing/.test(p)), found.join("\n"));
    });

    it("rejects relative, repeated and storage writable paths and sizes that are not sizes", () => {
        const catalog = clone();
        service(catalog, "grafana").writablePaths = [{ path: "tmp", sizeLimit: "1Gi" }, { path: "/var/lib/grafana", sizeLimit: "1Gi" }, { path: "/x", sizeLimit: "big" }, { path: "/x", sizeLimit: "1Gi" }];
        const found = problemsOf(catalog);
        assert.ok(found.includes('service "grafana": writablePaths[0].path "tmp" must be an absolute path such as "/tmp"'), found.join("\n"));
        assert.ok(found.some((p) => /writablePaths\[1\]\.path "\/var\/lib\/grafana" is the storage mount path/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /writablePaths\[2\]\.sizeLimit "big" is not a size/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /writablePaths\[3\]\.path "\/x" is listed twice/.test(p)), found.join("\n"));
    });

    it("rejects an ephemeral-storage request above its limit, and a limit below the emptyDirs it holds (Ollama's 50Gi model cache)", () => {
        const catalog = clone();
        service(catalog, "frontend").ephemeralStorage = { request: "2Gi", limit: "1Gi" };
        service(catalog, "ollama").ephemeralStorage = { request: "8Gi", limit: "20Gi" };
        const found = problemsOf(catalog);
        assert.ok(found.includes('service "frontend": ephemeralStorage.request 2Gi exceeds ephemeralStorage.limit 1Gi; requests must be <= limits'), found.join("\n"));
        assert.ok(found.some((p) => /service "ollama": ephemeralStorage\.limit 20Gi is below the emptyDirs it holds \(\/tmp 2Gi, \/root\/\.ollama 50Gi\)/.test(p)), found.join("\n"));
    });

    it("rejects probes that would check readiness twice or liveness like readiness", () => {
        const catalog = clone();
        service(catalog, "grafana").probes = { livenessPath: "/api/health" };
        service(catalog, "loki").probes = { readinessCommand: ["wget", "-q", "localhost:3100/ready"] };
        service(catalog, "neo4j").probes = { startupSeconds: 5 };
        const found = problemsOf(catalog);
        assert.ok(found.some((p) => /service "grafana": probes\.livenessPath "\/api\/health" is the healthPath/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /service "loki": probes\.readinessCommand and healthPath both say when the service is ready/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /service "neo4j": probes\.startupSeconds 5 must be a whole number of seconds 10\.\.3600/.test(p)), found.join("\n"));
    });

    it("covers every tier of every service", () => {
        for (const s of defaultCatalog.services) {
            for (const tier of TIERS) assert.ok(s.tiers[tier], `${s.name} tier ${tier}`);
        }
    });
});
