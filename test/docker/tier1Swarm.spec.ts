/**
 * Tier 1 on a real Docker Engine: a single-node swarm on a private dockerd deploys the rendered
 * stack file unchanged (`docker stack deploy --resolve-image never`, stand-in images under the
 * catalog's names), after the managers' converge step (the bash function of the boot script)
 * has labelled the data slots. One node of this machine cannot hold the whole stack (it is sized
 * for 3 managers and 2+ workers), so some tasks stay Pending; the test reads why and checks it
 * against the fit check.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { composeDocument, DATA_SLOT_LABEL_PREFIX, DATA_SLOTS, dataSlots, holdsLocalData, renderComposeFile, requiredSecrets } from "../../components/compose/composeFile";
import { dataSlotConvergeFunction } from "../../components/tier1/swarmUserData";
import { defaultCatalog } from "../../config/catalog";
import { DockerNode, serviceDemands, swarmFitProblems } from "../../policies/shared/dockerFit";
import { parseComposeBytes, parseComposeCpus } from "../../contract/quantities";
import { imagesOf, PrivateDockerEngine, requireDockerTools } from "../support/dockerEngine";

const STACK = "ai-platform";
const MIB = 1024 ** 2;

interface Task {
    service: string;
    state: string;
    desired: string;
    error: string;
}

describe("Docker Engine: the tier-1 stack file on a single-node swarm", function () {
    this.timeout(300_000);
    const document = composeDocument(defaultCatalog, { mode: "swarm", project: STACK }) as { services: Record<string, any>; networks: Record<string, any> };
    let engine: PrivateDockerEngine | undefined;
    let workDir: string;
    let firstDeploy = { status: 0 as number | null, stderr: "" };
    let node: any;
    let tasks: Task[] = [];
    const converged = { first: "", labelsAfterFirst: [] as string[], second: "", labelsAfterRemoval: [] as string[], afterRemoval: "" };

    const tasksOf = (stack: string): Task[] =>
        engine!
            .run(["stack", "ps", stack, "--no-trunc", "--format", "{{json .}}"], { allowFailure: true })
            .stdout.split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line))
            .map((t) => ({ service: String(t.Name).replace(/\.\d+$/, "").replace(`${stack}_`, ""), state: String(t.CurrentState).split(" ")[0], desired: t.DesiredState, error: t.Error }));

    /** Waits until no task is on its way (every one Running, Pending, Rejected or Failed) and the counts hold for 3 s. */
    const settle = async (stack: string, minTasks: number) => {
        let last = "";
        let stableSince = Date.now();
        return engine!.waitFor(`the tasks of stack ${stack} to settle`, () => {
            const now = tasksOf(stack).filter((t) => t.desired !== "Shutdown");
            const key = now.map((t) => `${t.service}:${t.state}`).sort().join(",");
            if (key !== last) {
                last = key;
                stableSince = Date.now();
                return undefined;
            }
            const moving = now.some((t) => !["Running", "Pending", "Rejected", "Failed"].includes(t.state));
            return now.length >= minTasks && !moving && Date.now() - stableSince >= 3000 ? now : undefined;
        }, 180_000, 500);
    };

    const convergeDataSlots = () => {
        const run = spawnSync("bash", ["-euo", "pipefail", "-c", `${dataSlotConvergeFunction(DATA_SLOTS)}\nconverge_data_slots`], {
            env: { ...engine!.env, AI_PLATFORM_STATE_DIR: path.join(engine!.dir, "state") },
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, run.stderr);
        return run.stdout;
    };
    const slotLabels = () =>
        Object.entries<string>(engine!.inspect(["self"], "node")[0].Spec.Labels ?? {}).filter(([k]) => k.startsWith(DATA_SLOT_LABEL_PREFIX)).map(([k, v]) => `${k}=${v}`).sort();

    before(async function () {
        const tools = requireDockerTools(this);
        engine = await PrivateDockerEngine.start(tools);
        console.log(`      [docker] private dockerd answered in ${engine.startupMs} ms`);
        engine.makeStandInImages(imagesOf(document));
        engine.run(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
        workDir = fs.mkdtempSync(path.join(engine.dir, "tier1-"));
        fs.writeFileSync(path.join(workDir, "docker-stack.yaml"), renderComposeFile(defaultCatalog, { mode: "swarm", project: STACK }));
        // Before the secrets exist: the stack must refuse to deploy (they are external).
        firstDeploy = engine.run(["stack", "deploy", "--resolve-image", "never", "-c", "docker-stack.yaml", STACK], { cwd: workDir, allowFailure: true });
        for (const name of requiredSecrets(defaultCatalog)) engine.run(["secret", "create", name, "-"], { input: `test-only-${name}` });
        // The converge step of the boot script: labels from nothing, a second run, and again after
        // the labels are gone (as when the labelled node is replaced).
        converged.first = convergeDataSlots();
        converged.labelsAfterFirst = slotLabels();
        converged.second = convergeDataSlots();
        const nodeId = engine.inspect(["self"], "node")[0].ID;
        engine.run(["node", "update", ...[1, 2, 3].flatMap((n) => ["--label-rm", `${DATA_SLOT_LABEL_PREFIX}${n}`]), nodeId]);
        converged.labelsAfterRemoval = slotLabels();
        converged.afterRemoval = convergeDataSlots();
        const started = Date.now();
        engine.run(["stack", "deploy", "--resolve-image", "never", "-c", "docker-stack.yaml", STACK], { cwd: workDir });
        const expected = Object.values(document.services).reduce((n, s) => n + s.deploy.replicas, 0);
        tasks = await settle(STACK, expected);
        console.log(`      [docker] stack deploy of ${expected} tasks settled (${tasks.filter((t) => t.state === "Running").length} running, ${tasks.filter((t) => t.state === "Pending").length} pending) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        node = engine.inspect(["self"], "node")[0];
    });

    after(async () => {
        if (engine) await engine.stop();
    });

    it("needs its secrets created beforehand (external swarm secrets)", () => {
        assert.notStrictEqual(firstDeploy.status, 0);
        assert.match(firstDeploy.stderr, /secret not found: (postgres_password|grafana_admin_password)/);
    });

    it("the managers' converge step labels every data slot on a ready manager, and puts them back when they are lost", () => {
        const all = [1, 2, 3].map((n) => `${DATA_SLOT_LABEL_PREFIX}${n}=true`);
        assert.match(converged.first, /^data slot 1: node \w+\ndata slot 2: node \w+\ndata slot 3: node \w+\n$/);
        assert.deepStrictEqual(converged.labelsAfterFirst, all);
        assert.strictEqual(converged.second, "", "a second run changes nothing");
        assert.deepStrictEqual(converged.labelsAfterRemoval, []);
        assert.match(converged.afterRemoval, /data slot 1: .*\ndata slot 2: .*\ndata slot 3: /);
        assert.deepStrictEqual(slotLabels(), all);
    });

    it("creates every service with its replicas, limits, reservations, update order and placement as declared", () => {
        const services = engine!.inspect(Object.keys(document.services).map((s) => `${STACK}_${s}`), "service");
        const slots = dataSlots(defaultCatalog);
        for (const spec of services.map((s) => s.Spec)) {
            const name = spec.Name.replace(`${STACK}_`, "");
            const declared = document.services[name].deploy;
            const { Limits, Reservations } = spec.TaskTemplate.Resources;
            assert.strictEqual(spec.Mode.Replicated.Replicas, declared.replicas, `${name} replicas`);
            assert.strictEqual(Limits.NanoCPUs, Math.round(parseComposeCpus(declared.resources.limits.cpus)! * 1e9), `${name} CPU limit`);
            assert.strictEqual(Limits.MemoryBytes, parseComposeBytes(declared.resources.limits.memory), `${name} memory limit`);
            assert.strictEqual(Reservations.NanoCPUs, Math.round(parseComposeCpus(declared.resources.reservations.cpus)! * 1e9), `${name} CPU reservation`);
            assert.strictEqual(Reservations.MemoryBytes, parseComposeBytes(declared.resources.reservations.memory), `${name} memory reservation`);
            const withData = holdsLocalData(defaultCatalog.services.find((s) => s.name === name)!);
            assert.strictEqual(spec.UpdateConfig.Order, withData ? "stop-first" : "start-first", `${name} update order`);
            assert.deepStrictEqual(
                spec.TaskTemplate.Placement?.Constraints ?? [],
                withData ? ["node.role == manager", `node.labels.${DATA_SLOT_LABEL_PREFIX}${slots.get(name)} == true`] : [],
                `${name} placement`,
            );
        }
    });

    it("attaches the services to an overlay network with encryption on, and reads secrets from swarm secrets", () => {
        const [network] = engine!.inspect([`${STACK}_platform`], "network");
        assert.strictEqual(network.Driver, "overlay");
        assert.strictEqual(network.Scope, "swarm");
        assert.strictEqual(network.Options.encrypted, "true");
        const [postgres] = engine!.inspect([`${STACK}_postgresql`], "service");
        assert.deepStrictEqual(postgres.Spec.TaskTemplate.ContainerSpec.Secrets.map((s: any) => s.SecretName), ["postgres_password"]);
    });

    it("runs the tasks that fit with the declared limits (docker inspect of their containers)", () => {
        const ids = engine!.run(["ps", "-q", "--filter", `label=com.docker.stack.namespace=${STACK}`]).stdout.split("\n").filter(Boolean);
        const containers = engine!.inspect(ids, "container");
        assert.strictEqual(containers.length, tasks.filter((t) => t.state === "Running").length);
        assert.ok(containers.length > 0);
        for (const c of containers) {
            const name = c.Config.Labels["com.docker.swarm.service.name"].replace(`${STACK}_`, "");
            const limits = document.services[name].deploy.resources.limits;
            assert.strictEqual(c.HostConfig.NanoCpus, Math.round(parseComposeCpus(limits.cpus)! * 1e9), `${name} CPU limit`);
            assert.strictEqual(c.HostConfig.Memory, parseComposeBytes(limits.memory), `${name} memory limit`);
        }
    });

    it("leaves the tasks this one node has no room for Pending, says why, and the fit check agrees", () => {
        const resources = node.Description.Resources;
        const reserved = (t: Task) => document.services[t.service].deploy.resources.reservations;
        const running = tasks.filter((t) => t.state === "Running");
        const pending = tasks.filter((t) => t.state === "Pending");
        assert.deepStrictEqual(tasks.filter((t) => t.state !== "Running" && t.state !== "Pending"), [], "no task rejected or failed");
        const used = {
            cpu: running.reduce((s, t) => s + Math.round(parseComposeCpus(reserved(t).cpus)! * 1e9), 0),
            memory: running.reduce((s, t) => s + parseComposeBytes(reserved(t).memory)!, 0),
        };
        assert.ok(used.cpu <= resources.NanoCPUs && used.memory <= resources.MemoryBytes, "the running tasks' reservations fit the node");
        for (const t of pending) {
            assert.match(t.error, /no suitable node \(insufficient resources on 1 node\)/, `${t.service}: ${t.error}`);
            const r = reserved(t);
            assert.ok(
                used.cpu + parseComposeCpus(r.cpus)! * 1e9 > resources.NanoCPUs || used.memory + parseComposeBytes(r.memory)! > resources.MemoryBytes,
                `${t.service} is Pending though its reservation fits what is left`,
            );
        }
        const thisNode: DockerNode = { name: "this node", role: "manager", vcpus: resources.NanoCPUs / 1e9, cpuMillicores: resources.NanoCPUs / 1e6, memoryMib: resources.MemoryBytes / MIB };
        const problems = swarmFitProblems(serviceDemands(document), [thisNode]);
        assert.strictEqual(pending.length > 0, problems.length > 0, problems.join("\n"));
    });

    it("keeps a stack whose reservation exceeds the node Pending, with the scheduler's reason", async () => {
        const resources = node.Description.Resources;
        const backend = document.services["backend-api"];
        const tooBig = `${Math.ceil(resources.MemoryBytes / 1024 ** 3) + 1}G`;
        const stack = {
            services: {
                "backend-api": {
                    image: backend.image,
                    networks: backend.networks,
                    deploy: { ...backend.deploy, replicas: 1, resources: { limits: { ...backend.deploy.resources.limits, memory: tooBig }, reservations: { ...backend.deploy.resources.reservations, memory: tooBig } } },
                },
            },
            networks: document.networks,
        };
        fs.writeFileSync(path.join(workDir, "too-big.yaml"), stringify(stack));
        engine!.run(["stack", "deploy", "--resolve-image", "never", "-c", "too-big.yaml", "too-big"], { cwd: workDir });
        const [task] = await engine!.waitFor("the oversized task to be Pending with a reason", () => {
            const found = tasksOf("too-big").filter((t) => t.state === "Pending" && t.error);
            return found.length > 0 ? found : undefined;
        }, 60_000);
        engine!.run(["stack", "rm", "too-big"], { allowFailure: true });
        assert.match(task.error, /no suitable node \(insufficient resources on 1 node\)/);
        const thisNode: DockerNode = { name: "this node", role: "manager", vcpus: resources.NanoCPUs / 1e9, cpuMillicores: resources.NanoCPUs / 1e6, memoryMib: resources.MemoryBytes / MIB };
        assert.match(swarmFitProblems(serviceDemands(stack), [thisNode]).join(), /backend-api 1\/1/);
    });

    it("stops everything it started: swarm, daemons, shims, mounts", async () => {
        const removed = Date.now();
        engine!.run(["stack", "rm", STACK]);
        const report = await engine!.stop();
        console.log(`      [docker] stack removed and engine stopped in ${Date.now() - removed} ms (cleaned: ${report.links.join(", ") || "no links"}, ${report.firewall.length} firewall entries)`);
        assert.deepStrictEqual(report.killed, []);
        assert.deepStrictEqual(engine!.leftovers(), { processes: [], mounts: [] });
    });
});
