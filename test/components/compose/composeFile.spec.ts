import * as assert from "assert";
import { parse } from "yaml";
import { defaultCatalog, resourcesAt } from "../../../config/catalog";
import { composeCpus, composeMemory } from "../../../contract/quantities";
import { composeDocument, cpuSharesFor, dataSlots, DATA_SLOTS, holdsLocalData, renderComposeFile, requiredSecrets } from "../../../components/compose/composeFile";
import { routesFromCatalog } from "../../../components/compose/routes";

describe("compose file renderer", () => {
    const text = renderComposeFile(defaultCatalog, { mode: "compose", project: "ai-platform" });
    const document = parse(text);

    it("renders every catalog service", () => {
        assert.deepStrictEqual(Object.keys(document.services).sort(), defaultCatalog.services.map((s) => s.name).sort());
    });

    it("gives every service deploy.resources limits and reservations", () => {
        for (const [name, service] of Object.entries<any>(document.services)) {
            const { limits, reservations } = service.deploy.resources;
            assert.ok(limits.cpus && limits.memory, `${name} limits`);
            assert.ok(reservations.cpus && reservations.memory, `${name} reservations`);
        }
    });

    it("backend figures equal seed 002 section 3.1: cpus 2.0 / 2G, reservations 1.0 / 1G", () => {
        assert.deepStrictEqual(document.services["backend-api"].deploy.resources, {
            limits: { cpus: "2.0", memory: "2G" },
            reservations: { cpus: "1.0", memory: "1G" },
        });
    });

    it("derives the figures from the catalog's requests and limits", () => {
        for (const s of defaultCatalog.services) {
            const resources = document.services[s.name].deploy.resources;
            const catalogFigures = resourcesAt(s, 0);
            assert.strictEqual(resources.limits.cpus, composeCpus(catalogFigures.limits.cpu));
            assert.strictEqual(resources.reservations.cpus, composeCpus(catalogFigures.requests.cpu));
            assert.strictEqual(resources.reservations.memory, composeMemory(catalogFigures.requests.memory));
        }
    });

    it("carries each CPU reservation as cpu_shares (1024 per core), since Compose v2 ignores reservations.cpus", () => {
        assert.strictEqual(document.services["backend-api"].cpu_shares, 1024);
        assert.strictEqual(document.services.grafana.cpu_shares, 51);
        assert.strictEqual(cpuSharesFor("1m"), 2, "docker's minimum weight");
        for (const s of defaultCatalog.services) {
            assert.strictEqual(document.services[s.name].cpu_shares, cpuSharesFor(resourcesAt(s, 0).requests.cpu), s.name);
        }
    });

    it("says in its header what the figures mean on one host", () => {
        assert.match(text, /hard limits/);
        assert.match(text, /ignores reservations\.cpus/);
        assert.match(text, /compose-fits-host/);
    });

    it("keeps passwords out of the file: services read generated secret files", () => {
        assert.strictEqual(document.services.postgresql.environment.POSTGRES_PASSWORD_FILE, "/run/secrets/postgres_password");
        assert.deepStrictEqual(Object.keys(document.secrets).sort(), requiredSecrets(defaultCatalog).sort());
        assert.ok(!/password\s*[:=]\s*\w/i.test(text.replace(/_password|PASSWORD_FILE|PASSWORD__FILE/g, "")));
    });

    it("converts quantities the way docker reads them", () => {
        assert.strictEqual(composeCpus("500m"), "0.5");
        assert.strictEqual(composeCpus("2"), "2.0");
        assert.strictEqual(composeMemory("256Mi"), "256M");
        assert.strictEqual(composeMemory("1536Mi"), "1536M");
        assert.throws(() => composeCpus("two"), /malformed cpu quantity "two"/);
    });
});

describe("swarm stack file", () => {
    const document = composeDocument(defaultCatalog, { mode: "swarm", project: "ai-platform" });

    it("declares an encrypted overlay network", () => {
        assert.deepStrictEqual(document.networks.platform, { driver: "overlay", attachable: false, driver_opts: { encrypted: "true" } });
    });

    it("runs stateless services at 3 replicas with start-first rolling updates", () => {
        for (const s of defaultCatalog.services.filter((x) => !holdsLocalData(x))) {
            assert.strictEqual(document.services[s.name].deploy.replicas, 3, s.name);
            assert.strictEqual(document.services[s.name].deploy.update_config.order, "start-first");
            assert.strictEqual(document.services[s.name].deploy.placement, undefined);
        }
    });

    it("updates services with local data stop-first, so two containers never share a data directory", () => {
        const withData = defaultCatalog.services.filter(holdsLocalData).map((s) => s.name);
        assert.ok(withData.includes("postgresql") && withData.includes("ollama"));
        for (const name of withData) assert.strictEqual(document.services[name].deploy.update_config.order, "stop-first", name);
    });

    it("pins services with local data to a manager's data slot and uses external swarm secrets", () => {
        const slot = dataSlots(defaultCatalog).get("neo4j");
        assert.deepStrictEqual(document.services.neo4j.deploy.placement.constraints, ["node.role == manager", `node.labels.ai-platform.data-slot-${slot} == true`]);
        assert.deepStrictEqual(document.secrets.postgres_password, { external: true });
    });

    it("spreads the data services over one slot per manager, balanced by reserved memory", () => {
        const slots = dataSlots(defaultCatalog);
        assert.deepStrictEqual([...new Set(slots.values())].sort(), [1, 2, 3]);
        assert.strictEqual(DATA_SLOTS, 3);
        const reserved = [1, 2, 3].map((n) =>
            [...slots].filter(([, slot]) => slot === n).reduce((sum, [name]) => sum + parseFloat(document.services[name].deploy.resources.reservations.memory) * (document.services[name].deploy.resources.reservations.memory.endsWith("G") ? 1024 : 1), 0),
        );
        assert.ok(Math.max(...reserved) - Math.min(...reserved) <= 512, `slots reserve ${reserved.join(", ")} MiB`);
    });
});

describe("load balancer routes from the catalog", () => {
    it("frontend is the default route, the API answers /api/*", () => {
        const routes = routesFromCatalog(defaultCatalog);
        assert.deepStrictEqual(routes.find((r) => r.name === "frontend")?.pathPatterns, undefined);
        assert.deepStrictEqual(routes.find((r) => r.name === "backend-api")?.pathPatterns, ["/api/*"]);
        assert.strictEqual(routes.find((r) => r.name === "backend-api")?.port, 8000);
    });
});
