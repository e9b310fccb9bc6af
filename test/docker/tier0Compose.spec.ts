/**
 * Tier 0 on a real Docker Engine: `docker compose up` (Compose v2) of the rendered compose file
 * on a private dockerd, with stand-in images under the catalog's names. One override file is
 * added, and it only moves the secret files: the rendered file reads them from the host's
 * /opt/ai-platform/secrets (written by the boot script), the test from its temp dir.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { composeDocument, renderComposeFile, requiredSecrets } from "../../components/compose/composeFile";
import { defaultCatalog } from "../../config/catalog";
import { DockerNode, demandTotals, serviceDemands, singleHostFitProblems } from "../../policies/shared/dockerFit";
import { parseComposeBytes, parseComposeCpus } from "../../contract/quantities";
import { imagesOf, PrivateDockerEngine, requireDockerTools } from "../support/dockerEngine";

const PROJECT = "ai-platform";
const MIB = 1024 ** 2;

describe("Docker Engine: the tier-0 compose file under docker compose (Compose v2)", function () {
    this.timeout(300_000);
    const document = composeDocument(defaultCatalog, { mode: "compose", project: PROJECT }) as { services: Record<string, any> };
    let engine: PrivateDockerEngine | undefined;
    let workDir: string;
    let containers: any[] = [];

    const compose = (args: string[], options: { allowFailure?: boolean } = {}) =>
        engine!.run(["compose", "-f", "docker-compose.yaml", "-f", "secrets.override.yaml", ...args], { cwd: workDir, ...options });

    before(async function () {
        const tools = requireDockerTools(this);
        engine = await PrivateDockerEngine.start(tools);
        console.log(`      [docker] private dockerd answered in ${engine.startupMs} ms`);
        engine.makeStandInImages(imagesOf(document));
        workDir = fs.mkdtempSync(path.join(engine.dir, "tier0-"));
        fs.writeFileSync(path.join(workDir, "docker-compose.yaml"), renderComposeFile(defaultCatalog, { mode: "compose", project: PROJECT }));
        const secrets: Record<string, { file: string }> = {};
        for (const name of requiredSecrets(defaultCatalog)) {
            const file = path.join(workDir, "secrets", name);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, `test-only-${name}`, { mode: 0o600 });
            secrets[name] = { file };
        }
        fs.writeFileSync(path.join(workDir, "secrets.override.yaml"), stringify({ secrets }));
        const started = Date.now();
        compose(["up", "--detach", "--wait", "--wait-timeout", "120"]);
        console.log(`      [docker] compose up of ${Object.keys(document.services).length} services: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const ids = engine.run(["ps", "-aq", "--filter", `label=com.docker.compose.project=${PROJECT}`]).stdout.split("\n").filter(Boolean);
        containers = engine.inspect(ids, "container");
    });

    after(async () => {
        if (engine) {
            compose(["down", "--volumes", "--timeout", "5"], { allowFailure: true });
            await engine.stop();
        }
    });

    const containerOf = (service: string) => containers.find((c) => c.Config.Labels["com.docker.compose.service"] === service);

    it("starts every service, and each keeps running", () => {
        assert.deepStrictEqual(containers.map((c) => c.Config.Labels["com.docker.compose.service"]).sort(), Object.keys(document.services).sort());
        for (const c of containers) assert.strictEqual(c.State.Running, true, `${c.Name}: ${c.State.Status} ${c.State.Error}`);
    });

    it("gives every container the declared hard limits, memory reservation and CPU weight (docker inspect)", () => {
        for (const [name, service] of Object.entries<any>(document.services)) {
            const host = containerOf(name).HostConfig;
            const { limits, reservations } = service.deploy.resources;
            assert.strictEqual(host.NanoCpus, Math.round(parseComposeCpus(limits.cpus)! * 1e9), `${name} CPU limit`);
            assert.strictEqual(host.Memory, parseComposeBytes(limits.memory), `${name} memory limit`);
            assert.strictEqual(host.MemoryReservation, parseComposeBytes(reservations.memory), `${name} memory reservation (a soft limit)`);
            assert.strictEqual(host.CpuShares, service.cpu_shares, `${name} cpu_shares carries the CPU reservation`);
            assert.strictEqual(host.RestartPolicy.Name, "unless-stopped");
        }
    });

    it("agrees with the host-fit check: its sums are the engine's, and CPU reservations are advisory on one host", () => {
        const demands = serviceDemands(document);
        const totals = demandTotals(demands);
        const sum = (f: (h: any) => number) => containers.reduce((s, c) => s + f(c.HostConfig), 0);
        assert.strictEqual(Math.round(totals.cpuLimits * 1e9), sum((h) => h.NanoCpus));
        assert.strictEqual(totals.memoryLimitsMib * MIB, sum((h) => h.Memory));
        assert.strictEqual(totals.memoryReservationsMib * MIB, sum((h) => h.MemoryReservation));

        const capacity = engine!.capacity();
        const machine: DockerNode = { name: "this engine's machine", role: "host", vcpus: capacity.cpus, cpuMillicores: capacity.cpus * 1000, memoryMib: capacity.memoryBytes / MIB };
        const problems = singleHostFitProblems(demands, machine);
        // The check's verdict on this machine, item by item, from what the engine reports.
        assert.strictEqual(problems.some((p) => p.startsWith("memory limits")), sum((h) => h.Memory) > capacity.memoryBytes);
        assert.strictEqual(problems.some((p) => p.startsWith("CPU reservations")), totals.cpuReservations > capacity.cpus);
        // Compose v2 started every container although the CPU reservations exceed the machine
        // (4.0 on 2 CPUs here): nothing on one host refuses them, hence the rule before deployment.
        if (totals.cpuReservations > capacity.cpus) {
            assert.ok(containers.every((c) => c.State.Running));
        }
    });

    it("is refused by the engine, as the fit check says, when a CPU limit exceeds the machine's CPUs", () => {
        const { cpus } = engine!.capacity();
        // The rendered backend service with one change: a CPU limit one above the machine's CPUs.
        const backend = document.services["backend-api"];
        const single = {
            name: `${PROJECT}-cpu-check`,
            services: {
                "backend-api": { image: backend.image, networks: backend.networks, deploy: { resources: { ...backend.deploy.resources, limits: { ...backend.deploy.resources.limits, cpus: `${cpus + 1}.0` } } } },
            },
            networks: (document as Record<string, any>).networks,
        };
        fs.writeFileSync(path.join(workDir, "over-cpu.yaml"), stringify(single));
        const up = engine!.run(["compose", "-f", "over-cpu.yaml", "up", "--detach"], { cwd: workDir, allowFailure: true });
        engine!.run(["compose", "-f", "over-cpu.yaml", "down"], { cwd: workDir, allowFailure: true });
        assert.notStrictEqual(up.status, 0);
        assert.match(up.stderr, new RegExp(`Range of CPUs is from 0\\.01 to ${cpus}\\.00, as there are only ${cpus} CPUs available`));
        const machine: DockerNode = { name: "this machine", role: "host", vcpus: cpus, cpuMillicores: cpus * 1000, memoryMib: 1e9 };
        assert.match(singleHostFitProblems(serviceDemands(single), machine).join(), /above the \d+ CPUs of this machine: docker refuses/);
    });

    it("stops everything it started: no daemon, shim or mount of the engine is left", async () => {
        compose(["down", "--volumes", "--timeout", "5"]);
        const stopped = Date.now();
        const report = await engine!.stop();
        console.log(`      [docker] engine stopped in ${Date.now() - stopped} ms (cleaned: ${report.links.length} links, ${report.firewall.length} firewall entries)`);
        assert.deepStrictEqual(report.killed, [], "every process ended with the daemons");
        assert.deepStrictEqual(engine!.leftovers(), { processes: [], mounts: [] });
        assert.ok(!fs.existsSync(engine!.dir));
    });
});
