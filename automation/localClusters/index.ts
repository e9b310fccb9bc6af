/**
 * Local Kubernetes control planes as a deployment target: one cluster per region, each a
 * real etcd, kube-apiserver, kube-controller-manager and kube-scheduler with its own PKI and
 * loopback ports, and fake nodes shaped like the stack's node pools, played by kwok. The
 * processes run detached and outlive the command that starts them; `<dir>/state.json`
 * records them. One kubeconfig names one context per region.
 *
 *   startLocalClusters(options)   start (or find running) and set up every cluster, write the kubeconfig
 *   localClustersStatus(dir)      processes, ports, nodes and memory of every recorded cluster
 *   stopLocalClusters(dir)        SIGTERM, then SIGKILL after a grace period; idempotent
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { KubeApi, resourcePath } from "./kubeApi";
import {
    DEFAULT_INGRESS_CLASS,
    DEFAULT_STORAGE_CLASS,
    HOSTPATH_PV_ROOT,
    KWOK_NODE_SELECTOR,
    MANAGED_NODE_LABEL,
    ingressClass,
    localStagesYaml,
    kwokRbac,
    nodeObjects,
    storageClass,
    validateSpec,
} from "./manifests";
import { ClusterPki, FRONT_PROXY_CLIENT, IDENTITIES, SERVICE_CIDR, ensureClusterPki, kubeconfigFor } from "./pki";
import { freeLoopbackPorts, isRunning, portIsFree, rssBytes, spawnDetached, tail, terminate } from "./processes";
import {
    ClusterPorts,
    ClusterRecord,
    ClusterStatus,
    LocalClusterBinaries,
    LocalClusterSpec,
    PROCESS_NAMES,
    ProcessName,
    ProcessRecord,
    StartOptions,
    StartResult,
    StartedCluster,
    StateFile,
} from "./types";

export * from "./types";
export { KubeApi, KubeApiError, resourcePath } from "./kubeApi";
export { requireKubeToolchain, requireToolchainOrSkip, lookupKubeToolchain, KUBERNETES_VERSION } from "./toolchain";
export { HOSTPATH_PV_ROOT, LOAD_BALANCER_IP, STAND_IN_ANNOTATION, DEFAULT_INGRESS_CLASS, DEFAULT_STORAGE_CLASS } from "./manifests";

const STATE_FILE = "state.json";
const DEFAULT_READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------- state ---

export function statePath(dir: string): string {
    return path.join(path.resolve(dir), STATE_FILE);
}

export function readState(dir: string): StateFile {
    const file = statePath(dir);
    if (!fs.existsSync(file)) return { version: 1, clusters: {} };
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
    if (parsed.version !== 1 || typeof parsed.clusters !== "object") throw new Error(`${file}: not a local-clusters state file (version ${String(parsed.version)})`);
    return parsed;
}

function writeState(dir: string, state: StateFile): void {
    const file = statePath(dir);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
}

/** A lock file around start and stop, so two commands do not start the same cluster twice. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const lock = path.join(dir, ".lock");
    const deadline = Date.now() + 300_000;
    for (;;) {
        try {
            fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
            break;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
            const holder = Number(fs.readFileSync(lock, "utf8").trim());
            let alive = Number.isInteger(holder) && holder > 0;
            try {
                if (alive) process.kill(holder, 0);
            } catch {
                alive = false;
            }
            if (!alive) {
                fs.rmSync(lock, { force: true });
                continue;
            }
            if (Date.now() > deadline) throw new Error(`${lock} is held by process ${holder}`);
            await sleep(200);
        }
    }
    try {
        return await fn();
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

// ------------------------------------------------------------------ layout ---

interface ClusterPaths {
    dir: string;
    pki: string;
    logs: string;
    etcdData: string;
    kubeconfigs: string;
    kwokHome: string;
    localStages: string;
}

function clusterPaths(stateDir: string, region: string): ClusterPaths {
    const dir = path.join(path.resolve(stateDir), region);
    return {
        dir,
        pki: path.join(dir, "pki"),
        logs: path.join(dir, "logs"),
        etcdData: path.join(dir, "etcd"),
        kubeconfigs: path.join(dir, "kubeconfigs"),
        kwokHome: path.join(dir, "kwok"),
        localStages: path.join(dir, "kwok", "local-stages.yaml"),
    };
}

function adminApi(record: ClusterRecord): KubeApi {
    const pki = path.join(record.dir, "pki");
    return new KubeApi({ server: record.server, caFile: path.join(pki, "ca.crt"), certFile: path.join(pki, "admin.crt"), keyFile: path.join(pki, "admin.key") });
}

/** A client for one running cluster, authenticated as its admin (system:masters). */
export function clusterApi(dir: string, region: string): KubeApi {
    const record = readState(dir).clusters[region];
    if (!record) throw new Error(`no local cluster ${region} in ${statePath(dir)}`);
    return adminApi(record);
}

// -------------------------------------------------------------- processes ---

/** The command line of each process of a cluster. */
export function processCommands(
    record: Pick<ClusterRecord, "region" | "ports" | "podCidr">,
    paths: ClusterPaths,
    pki: ClusterPki,
    binaries: LocalClusterBinaries,
): Record<ProcessName, { binary: string; args: string[]; env?: NodeJS.ProcessEnv }> {
    const { ports } = record;
    const kc = (name: string) => path.join(paths.kubeconfigs, `${name}.kubeconfig`);
    const etcdClientUrl = `https://127.0.0.1:${ports.etcdClient}`;
    const etcdPeerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
    return {
        etcd: {
            binary: binaries.etcd,
            args: [
                `--name=${record.region}`,
                `--data-dir=${paths.etcdData}`,
                `--listen-client-urls=${etcdClientUrl}`,
                `--advertise-client-urls=${etcdClientUrl}`,
                `--listen-peer-urls=${etcdPeerUrl}`,
                `--initial-advertise-peer-urls=${etcdPeerUrl}`,
                `--initial-cluster=${record.region}=${etcdPeerUrl}`,
                "--initial-cluster-state=new",
                `--cert-file=${pki.etcdServer.cert}`,
                `--key-file=${pki.etcdServer.key}`,
                `--trusted-ca-file=${pki.ca.cert}`,
                "--client-cert-auth=true",
                "--unsafe-no-fsync=true",
                "--log-level=warn",
            ],
        },
        "kube-apiserver": {
            binary: binaries.kubeApiserver,
            args: [
                `--etcd-servers=${etcdClientUrl}`,
                `--etcd-cafile=${pki.ca.cert}`,
                `--etcd-certfile=${pki.apiserverEtcdClient.cert}`,
                `--etcd-keyfile=${pki.apiserverEtcdClient.key}`,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                `--secure-port=${ports.apiserver}`,
                `--tls-cert-file=${pki.apiserver.cert}`,
                `--tls-private-key-file=${pki.apiserver.key}`,
                `--client-ca-file=${pki.ca.cert}`,
                `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
                `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
                "--requestheader-username-headers=X-Remote-User",
                "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
                `--proxy-client-key-file=${pki.frontProxyClient.key}`,
                "--authorization-mode=Node,RBAC",
                `--service-cluster-ip-range=${SERVICE_CIDR}`,
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                `--service-account-key-file=${pki.serviceAccountPub}`,
                `--service-account-signing-key-file=${pki.serviceAccountKey}`,
                "--allow-privileged=true",
                // The kubernetes Service would get 127.0.0.1 as endpoint, which endpoint validation refuses.
                "--endpoint-reconciler-type=none",
                "--profiling=false",
            ],
        },
        "kube-controller-manager": {
            binary: binaries.kubeControllerManager,
            args: [
                `--kubeconfig=${kc("controller-manager")}`,
                `--authentication-kubeconfig=${kc("controller-manager")}`,
                `--authorization-kubeconfig=${kc("controller-manager")}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${ports.controllerManager}`,
                `--tls-cert-file=${pki.controllerManagerServing.cert}`,
                `--tls-private-key-file=${pki.controllerManagerServing.key}`,
                "--leader-elect=false",
                "--use-service-account-credentials=true",
                `--service-account-private-key-file=${pki.serviceAccountKey}`,
                `--root-ca-file=${pki.ca.cert}`,
                `--cluster-signing-cert-file=${pki.ca.cert}`,
                `--cluster-signing-key-file=${pki.ca.key}`,
                `--cluster-name=${record.region}`,
                `--service-cluster-ip-range=${SERVICE_CIDR}`,
                "--enable-hostpath-provisioner=true",
                "--profiling=false",
            ],
        },
        "kube-scheduler": {
            binary: binaries.kubeScheduler,
            args: [
                `--kubeconfig=${kc("scheduler")}`,
                `--authentication-kubeconfig=${kc("scheduler")}`,
                `--authorization-kubeconfig=${kc("scheduler")}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${ports.scheduler}`,
                `--tls-cert-file=${pki.schedulerServing.cert}`,
                `--tls-private-key-file=${pki.schedulerServing.key}`,
                "--leader-elect=false",
                "--profiling=false",
            ],
        },
        kwok: {
            binary: binaries.kwok,
            args: [
                `--kubeconfig=${kc("kwok")}`,
                `--manage-nodes-with-annotation-selector=${KWOK_NODE_SELECTOR}`,
                `--cidr=${record.podCidr}`,
                "--node-lease-duration-seconds=40",
                ...binaries.kwokStages.map((s) => `--config=${s}`),
                `--config=${paths.localStages}`,
            ],
            // kwok also loads ~/.kwok/kwok.yaml when it exists: give it a home of its own.
            env: { ...process.env, HOME: paths.kwokHome },
        },
    };
}

function writeKubeconfig(file: string, config: Record<string, unknown>): void {
    fs.writeFileSync(`${file}.tmp`, stringify(config), { mode: 0o600 });
    fs.chmodSync(`${file}.tmp`, 0o600);
    fs.renameSync(`${file}.tmp`, file);
}

function writeComponentKubeconfigs(record: ClusterRecord, paths: ClusterPaths, pki: ClusterPki): void {
    fs.mkdirSync(paths.kubeconfigs, { recursive: true, mode: 0o700 });
    const ids: [string, ClusterPki["admin"], string][] = [
        ["admin", pki.admin, IDENTITIES.admin.cn],
        ["controller-manager", pki.controllerManager, IDENTITIES.controllerManager.cn],
        ["scheduler", pki.scheduler, IDENTITIES.scheduler.cn],
        ["kwok", pki.kwok, IDENTITIES.kwok.cn],
    ];
    for (const [name, client, user] of ids) {
        writeKubeconfig(path.join(paths.kubeconfigs, `${name}.kubeconfig`), kubeconfigFor({ server: record.server, ca: pki.ca.cert, client, context: record.region, user }));
    }
}

// ------------------------------------------------------------------- setup ---

interface NodeList {
    items: { metadata: { name: string; labels?: Record<string, string> }; spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/**
 * Nodes that take pods: Ready, and no longer carrying the not-ready taints the node lifecycle
 * controller puts on a new node (the scheduler keeps pods off a node until they are gone).
 */
function readyNodes(list: NodeList): number {
    return list.items.filter(
        (n) =>
            n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") &&
            !(n.spec?.taints ?? []).some((t) => t.key === "node.kubernetes.io/not-ready" || t.key === "node.kubernetes.io/unreachable"),
    ).length;
}

/** Applies what the cluster needs before kwok and the controllers start: RBAC, classes, nodes. */
async function applySetup(api: KubeApi, spec: LocalClusterSpec, paths: ClusterPaths): Promise<number> {
    fs.mkdirSync(paths.kwokHome, { recursive: true });
    fs.writeFileSync(paths.localStages, localStagesYaml());
    for (const obj of kwokRbac(IDENTITIES.kwok.cn)) {
        const meta = obj.metadata as { name: string };
        await api.apply(resourcePath("rbac.authorization.k8s.io/v1", obj.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings", meta.name), obj);
    }
    const sc = spec.storageClassName ?? DEFAULT_STORAGE_CLASS;
    await api.apply(resourcePath("storage.k8s.io/v1", "storageclasses", sc), storageClass(sc));
    const ic = spec.ingressClassName ?? DEFAULT_INGRESS_CLASS;
    await api.apply(resourcePath("networking.k8s.io/v1", "ingressclasses", ic), ingressClass(ic));

    const nodes = nodeObjects(spec);
    const wanted = new Set(nodes.map((n) => n.metadata.name));
    for (const node of nodes) {
        const p = resourcePath("v1", "nodes", node.metadata.name);
        await api.apply(p, node);
        // Capacity lives in status, which an apply of the object itself leaves alone once the node exists.
        await api.apply(`${p}/status`, { apiVersion: "v1", kind: "Node", metadata: { name: node.metadata.name }, status: node.status });
    }
    const existing = await api.get<NodeList>(`/api/v1/nodes?labelSelector=${encodeURIComponent(`${MANAGED_NODE_LABEL}=true`)}`);
    for (const n of existing.items) {
        if (!wanted.has(n.metadata.name)) await api.call("DELETE", resourcePath("v1", "nodes", n.metadata.name));
    }
    return nodes.length;
}

// ------------------------------------------------------------------- start ---

function check(record: ClusterRecord, names: readonly ProcessName[]): void {
    for (const name of names) {
        const p = record.processes[name];
        if (p && !isRunning(p)) throw new Error(`${record.region}: ${name} (pid ${p.pid}) exited; last lines of ${p.logFile}:\n${tail(p.logFile)}`);
    }
}

async function waitFor(what: string, record: ClusterRecord, deadline: number, probe: () => Promise<boolean>): Promise<void> {
    for (;;) {
        check(record, PROCESS_NAMES);
        if (await probe()) return;
        if (Date.now() > deadline) {
            const logs = PROCESS_NAMES.map((n) => record.processes[n]?.logFile).filter((f): f is string => !!f);
            throw new Error(`${record.region}: timed out waiting for ${what}; logs: ${logs.join(", ")}`);
        }
        await sleep(250);
    }
}

async function allocatePorts(previous: ClusterPorts | undefined, taken: Set<number>): Promise<ClusterPorts> {
    if (previous) {
        const list = Object.values(previous);
        const free = await Promise.all(list.map(portIsFree));
        if (free.every(Boolean) && !list.some((p) => taken.has(p))) return previous;
    }
    const [apiserver, etcdClient, etcdPeer, controllerManager, scheduler] = await freeLoopbackPorts(5, taken);
    return { apiserver, etcdClient, etcdPeer, controllerManager, scheduler };
}

function allRunning(record: ClusterRecord): boolean {
    return PROCESS_NAMES.every((n) => isRunning(record.processes[n]));
}

async function startCluster(
    options: StartOptions,
    spec: LocalClusterSpec,
    state: StateFile,
    podCidr: string,
    takenPorts: Set<number>,
    save: () => void,
): Promise<StartedCluster> {
    const log = options.log ?? (() => undefined);
    const deadline = () => Date.now() + (options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    const paths = clusterPaths(options.dir, spec.region);
    const previous = state.clusters[spec.region];

    if (previous && allRunning(previous)) {
        const api = adminApi(previous);
        try {
            if (await api.ready()) {
                previous.spec = spec;
                const nodes = await applySetup(api, spec, paths);
                await waitFor(`${nodes} Ready nodes`, previous, deadline(), async () => readyNodes(await api.get<NodeList>("/api/v1/nodes")) >= nodes);
                save();
                log(`${spec.region}: already running at ${previous.server} (${nodes} nodes)`);
                return { region: spec.region, outcome: "running", server: previous.server, ports: previous.ports, startMs: 0, nodes };
            }
        } finally {
            api.close();
        }
    }
    if (previous) {
        const alive = PROCESS_NAMES.filter((n) => isRunning(previous.processes[n]));
        log(`${spec.region}: not fully running (${alive.length}/${PROCESS_NAMES.length} processes alive${alive.length ? `: ${alive.join(", ")}` : ""}); restarting it`);
        await stopClusterProcesses(previous, STOP_GRACE_MS);
    }

    const t0 = Date.now();
    for (const d of [paths.dir, paths.logs, paths.kwokHome]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    const ports = await allocatePorts(previous?.ports, takenPorts);
    Object.values(ports).forEach((p) => takenPorts.add(p));
    const pki = ensureClusterPki(paths.pki, spec.region);
    const record: ClusterRecord = {
        region: spec.region,
        dir: paths.dir,
        ports,
        server: `https://127.0.0.1:${ports.apiserver}`,
        podCidr,
        processes: {},
        spec,
        createdAt: previous?.createdAt ?? new Date().toISOString(),
    };
    state.clusters[spec.region] = record;
    save();
    writeComponentKubeconfigs(record, paths, pki);
    fs.writeFileSync(paths.localStages, localStagesYaml());
    const commands = processCommands(record, paths, pki, options.binaries);
    const launch = (name: ProcessName) => {
        const c = commands[name];
        record.processes[name] = spawnDetached(c.binary, c.args, path.join(paths.logs, `${name}.log`), c.env);
        save();
    };

    launch("etcd");
    launch("kube-apiserver");
    const api = adminApi(record);
    try {
        await waitFor("the apiserver (/readyz)", record, deadline(), () => api.ready());
        const apiMs = Date.now() - t0;
        const nodes = await applySetup(api, spec, paths);
        launch("kube-controller-manager");
        launch("kube-scheduler");
        launch("kwok");
        await waitFor(`${nodes} Ready nodes`, record, deadline(), async () => readyNodes(await api.get<NodeList>("/api/v1/nodes")) >= nodes);
        // Pods cannot be created in a namespace before its default ServiceAccount exists.
        await waitFor("the default ServiceAccount", record, deadline(), async () => (await api.request("GET", resourcePath("v1", "serviceaccounts", "default", "default"))).status === 200);
        record.readyAt = new Date().toISOString();
        save();
        const startMs = Date.now() - t0;
        log(`${spec.region}: started at ${record.server} with ${nodes} nodes in ${(startMs / 1000).toFixed(1)} s (apiserver ready after ${(apiMs / 1000).toFixed(1)} s; logs: ${paths.logs})`);
        return { region: spec.region, outcome: "started", server: record.server, ports, startMs, nodes };
    } catch (err) {
        // Leave nothing half-started behind; the logs stay for a look.
        await stopClusterProcesses(record, STOP_GRACE_MS);
        record.processes = {};
        save();
        throw err;
    } finally {
        api.close();
    }
}

/** The kubeconfig with one context per cluster, named after the region. */
export function writeClustersKubeconfig(file: string, records: ClusterRecord[]): void {
    const b64 = (f: string) => fs.readFileSync(f).toString("base64");
    const config = {
        apiVersion: "v1",
        kind: "Config",
        clusters: records.map((r) => ({ name: r.region, cluster: { server: r.server, "certificate-authority-data": b64(path.join(r.dir, "pki", "ca.crt")) } })),
        users: records.map((r) => ({
            name: `${r.region}-admin`,
            user: { "client-certificate-data": b64(path.join(r.dir, "pki", "admin.crt")), "client-key-data": b64(path.join(r.dir, "pki", "admin.key")) },
        })),
        contexts: records.map((r) => ({ name: r.region, context: { cluster: r.region, user: `${r.region}-admin` } })),
        "current-context": records[0]?.region ?? "",
    };
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeKubeconfig(file, config);
}

/**
 * Starts one cluster per spec (regions must be distinct), or finds it running: a cluster
 * whose processes are all alive and whose apiserver answers is reported as "running" and
 * only its setup objects are re-applied (nodes of a changed pool follow the spec); a cluster
 * with dead or stale processes is stopped and started again on the same data. Waits for
 * /readyz, Ready nodes and the default ServiceAccount, then writes the kubeconfig. A cluster
 * that does not come up is stopped again (its logs stay) and the call throws, naming them.
 * Clusters recorded in `dir` but absent from `clusters` are left as they are.
 */
export async function startLocalClusters(options: StartOptions): Promise<StartResult> {
    const regions = options.clusters.map((c) => c.region);
    if (new Set(regions).size !== regions.length) throw new Error(`regions must be distinct: ${regions.join(", ")}`);
    options.clusters.forEach(validateSpec);
    const dir = path.resolve(options.dir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return withLock(dir, async () => {
        const state = readState(dir);
        const save = () => writeState(dir, state);
        // Pod CIDRs: one /16 per region, stable across restarts.
        const cidrs = new Map<string, string>(Object.values(state.clusters).map((r) => [r.region, r.podCidr]));
        const used = new Set(cidrs.values());
        let next = 0;
        for (const region of regions) {
            if (cidrs.has(region)) continue;
            while (used.has(`10.${200 + next}.0.1/16`)) next++;
            cidrs.set(region, `10.${200 + next}.0.1/16`);
            used.add(`10.${200 + next}.0.1/16`);
        }
        const taken = new Set<number>();
        for (const r of Object.values(state.clusters)) if (allRunning(r)) Object.values(r.ports).forEach((p) => taken.add(p));
        const settled = await Promise.allSettled(options.clusters.map((spec) => startCluster(options, spec, state, cidrs.get(spec.region)!, taken, save)));
        const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed.length > 0) throw new Error(failed.map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason))).join("\n"));
        const started = settled.map((r) => (r as PromiseFulfilledResult<StartedCluster>).value);
        writeClustersKubeconfig(options.kubeconfigPath, regions.map((r) => state.clusters[r]));
        options.log?.(`kubeconfig ${path.resolve(options.kubeconfigPath)}: contexts ${regions.join(", ")}`);
        return { kubeconfigPath: path.resolve(options.kubeconfigPath), clusters: started };
    });
}

// ------------------------------------------------------------------ status ---

export async function localClustersStatus(dir: string): Promise<ClusterStatus[]> {
    const state = readState(dir);
    return Promise.all(
        Object.values(state.clusters).map(async (record) => {
            const processes = PROCESS_NAMES.filter((n) => record.processes[n]).map((name) => {
                const p = record.processes[name]!;
                const running = isRunning(p);
                return { name, pid: p.pid, running, rssBytes: running ? rssBytes(p.pid) : 0, logFile: p.logFile };
            });
            let nodes: ClusterStatus["nodes"];
            let apiReady = false;
            if (processes.some((p) => p.name === "kube-apiserver" && p.running)) {
                const api = adminApi(record);
                try {
                    apiReady = await api.ready();
                    if (apiReady) {
                        const list = await api.get<NodeList>("/api/v1/nodes");
                        nodes = { total: list.items.length, ready: readyNodes(list) };
                    }
                } catch {
                    /* reported as not running */
                } finally {
                    api.close();
                }
            }
            const running = apiReady && PROCESS_NAMES.every((n) => processes.find((p) => p.name === n)?.running);
            return {
                region: record.region,
                dir: record.dir,
                server: record.server,
                ports: record.ports,
                running,
                processes,
                nodes,
                rssBytes: processes.reduce((s, p) => s + p.rssBytes, 0),
            };
        }),
    );
}

// -------------------------------------------------------------------- stop ---

export interface StopOptions {
    /** Also delete each cluster's directory (PKI, etcd data, logs) and its state entry. */
    remove?: boolean;
    graceMs?: number;
    log?: (line: string) => void;
}

export interface StopResult {
    region: string;
    /** Processes that were running and got signalled (0 when already stopped). */
    stopped: number;
    /** Of those, how many needed SIGKILL. */
    killed: number;
}

/** Stops the processes of one cluster that are still ours: the clients first, then the apiserver, then etcd. */
async function stopClusterProcesses(record: ClusterRecord, graceMs: number): Promise<{ stopped: number; killed: number }> {
    let stopped = 0;
    let killed = 0;
    for (const group of [["kwok", "kube-scheduler", "kube-controller-manager"], ["kube-apiserver"], ["etcd"]] as ProcessName[][]) {
        const r = await terminate(group.map((n) => record.processes[n]).filter((p): p is ProcessRecord => !!p), graceMs);
        stopped += r.signalled;
        killed += r.killed;
    }
    return { stopped, killed };
}

/** hostPath directories of the cluster's provisioned volumes (they live outside the state dir). */
async function hostPathVolumes(record: ClusterRecord): Promise<string[]> {
    if (!isRunning(record.processes["kube-apiserver"])) return [];
    const api = adminApi(record);
    try {
        if (!(await api.ready())) return [];
        const pvs = await api.get<{ items: { spec?: { hostPath?: { path?: string } } }[] }>("/api/v1/persistentvolumes");
        return pvs.items.map((pv) => pv.spec?.hostPath?.path ?? "").filter((p) => p.startsWith(`${HOSTPATH_PV_ROOT}/`) && !p.slice(HOSTPATH_PV_ROOT.length + 1).includes("/"));
    } catch {
        return [];
    } finally {
        api.close();
    }
}

/** Stops every process of every recorded cluster (clients first, then the apiserver, then etcd). Idempotent. */
export async function stopLocalClusters(dir: string, options: StopOptions = {}): Promise<StopResult[]> {
    const resolved = path.resolve(dir);
    if (!fs.existsSync(statePath(resolved))) return [];
    return withLock(resolved, async () => {
        const state = readState(resolved);
        const results = await Promise.all(
            Object.values(state.clusters).map(async (record) => {
                const volumes = await hostPathVolumes(record);
                const { stopped, killed } = await stopClusterProcesses(record, options.graceMs ?? STOP_GRACE_MS);
                for (const v of volumes) {
                    // The provisioner made these empty directories; nothing runs in fake pods to fill them.
                    fs.rmSync(v, { recursive: true, force: true });
                }
                record.processes = {};
                if (options.remove) {
                    fs.rmSync(record.dir, { recursive: true, force: true });
                    delete state.clusters[record.region];
                }
                options.log?.(`${record.region}: ${stopped > 0 ? `stopped ${stopped} processes${killed ? ` (${killed} with SIGKILL)` : ""}` : "not running"}`);
                return { region: record.region, stopped, killed };
            }),
        );
        writeState(resolved, state);
        return results;
    });
}
