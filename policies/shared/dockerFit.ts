/**
 * Does a rendered compose file fit the Docker nodes it is deployed to? The host-fit rules of
 * tiers 0-1 and the Docker Engine tests share these functions: the rules with nodes shaped like
 * the instance types of the TAG.dockerNodes marker (contract/instanceTypes.ts), the tests with the
 * capacity a real engine reports.
 *
 * Single host (Compose v2): nothing refuses a container that does not fit, so the memory limits
 * (hard, incompressible) must add up to no more than the host offers, and so must the
 * reservations (CPU and memory) for them to mean anything. Swarm: the scheduler places tasks by
 * their reservations only; a task no node has room for stays Pending. On both, docker refuses a
 * container whose CPU limit is above its node's CPUs.
 */
import { DockerNodeGroup, DockerNodeRole } from "../../contract/markers";
import { dockerHostAllocatable, INSTANCE_SHAPES, instanceShape, unknownInstanceTypeHint } from "../../contract/instanceTypes";
import { ComposeFile } from "./compose";
import { parseComposeBytes, parseComposeCpus } from "../../contract/quantities";

const MIB = 1024 ** 2;

/** One Docker node and what it offers containers. */
export interface DockerNode {
    /** For messages: "manager 2 (t3.medium)". */
    name: string;
    role: DockerNodeRole;
    /** CPUs of the machine (the ceiling docker puts on one container's CPU limit). */
    vcpus: number;
    /** What is left for containers. */
    cpuMillicores: number;
    memoryMib: number;
}

/** One service of a compose file, as the fit checks need it (cores and MiB). */
export interface ServiceDemand {
    name: string;
    replicas: number;
    limits: { cpus: number; memoryMib: number };
    reservations: { cpus: number; memoryMib: number };
    /** deploy.placement.constraints */
    constraints: string[];
}

/** The nodes of a TAG.dockerNodes value, shaped from the instance table; unknown types are named. */
export function nodesOf(groups: DockerNodeGroup[]): { nodes: DockerNode[]; problems: string[] } {
    const nodes: DockerNode[] = [];
    const problems: string[] = [];
    for (const group of groups) {
        const shape = instanceShape(group.instanceType);
        if (!shape) {
            problems.push(unknownInstanceTypeHint(group.instanceType));
            continue;
        }
        const allocatable = dockerHostAllocatable(shape);
        for (let i = 1; i <= group.count; i++) {
            nodes.push({
                name: group.role === "host" ? `host (${group.instanceType})` : `${group.role} ${i} (${group.instanceType})`,
                role: group.role,
                vcpus: shape.vcpus,
                cpuMillicores: allocatable.cpuMillicores,
                memoryMib: allocatable.memoryMib,
            });
        }
    }
    return { nodes, problems };
}

/** Every service's replicas, limits, reservations and constraints (absent figures count as 0). */
export function serviceDemands(compose: Pick<ComposeFile, "services">): ServiceDemand[] {
    return Object.entries(compose.services).map(([name, service]) => {
        const deploy = service?.deploy ?? {};
        const limits = deploy.resources?.limits ?? {};
        const reservations = deploy.resources?.reservations ?? {};
        const replicas = Number.isInteger(deploy.replicas) && deploy.replicas >= 0 ? deploy.replicas : 1;
        return {
            name,
            replicas,
            limits: { cpus: parseComposeCpus(limits.cpus) ?? 0, memoryMib: (parseComposeBytes(limits.memory) ?? 0) / MIB },
            reservations: { cpus: parseComposeCpus(reservations.cpus) ?? 0, memoryMib: (parseComposeBytes(reservations.memory) ?? 0) / MIB },
            constraints: Array.isArray(deploy.placement?.constraints) ? deploy.placement.constraints.map(String) : [],
        };
    });
}

export interface DemandTotals {
    /** Cores. */
    cpuLimits: number;
    memoryLimitsMib: number;
    cpuReservations: number;
    memoryReservationsMib: number;
}

/** Sums over every replica of every service. */
export function demandTotals(demands: ServiceDemand[]): DemandTotals {
    const sum = (f: (d: ServiceDemand) => number) => demands.reduce((total, d) => total + d.replicas * f(d), 0);
    return {
        cpuLimits: sum((d) => d.limits.cpus),
        memoryLimitsMib: sum((d) => d.limits.memoryMib),
        cpuReservations: sum((d) => d.reservations.cpus),
        memoryReservationsMib: sum((d) => d.reservations.memoryMib),
    };
}

const gib = (mib: number) => `${(mib / 1024).toFixed(2)} GiB`;
const cores = (n: number) => n.toFixed(2);

/** Instance types of the table whose Docker host would hold the demand, smallest first (for messages). */
export function instanceTypesThatFit(totals: DemandTotals, largestCpuLimit: number): string[] {
    return Object.entries(INSTANCE_SHAPES)
        .filter(([, shape]) => {
            const a = dockerHostAllocatable(shape);
            return shape.vcpus >= largestCpuLimit && a.memoryMib >= Math.max(totals.memoryLimitsMib, totals.memoryReservationsMib) && a.cpuMillicores >= totals.cpuReservations * 1000;
        })
        .sort(([, a], [, b]) => a.memoryGib - b.memoryGib || a.vcpus - b.vcpus)
        .map(([name]) => name);
}

/** A CPU limit above the node's CPUs: docker refuses to create the container. */
function cpuLimitAboveNode(demand: ServiceDemand, node: DockerNode): string | undefined {
    return demand.limits.cpus > node.vcpus
        ? `service ${demand.name} has CPU limit ${demand.limits.cpus}, above the ${node.vcpus} CPUs of ${node.name}: docker refuses to create such a container`
        : undefined;
}

/** Why a compose file does not fit its single host (empty when it fits). */
export function singleHostFitProblems(demands: ServiceDemand[], host: DockerNode): string[] {
    const problems: string[] = demands.map((d) => cpuLimitAboveNode(d, host)).filter((p): p is string => p !== undefined);
    const totals = demandTotals(demands);
    const offers = `${host.name} offers containers ${cores(host.cpuMillicores / 1000)} CPUs and ${gib(host.memoryMib)}`;
    if (totals.memoryLimitsMib > host.memoryMib) {
        problems.push(`memory limits add up to ${gib(totals.memoryLimitsMib)} (hard limits: the containers can use all of it at once), more than the ${gib(host.memoryMib)} ${host.name} offers containers`);
    }
    if (totals.memoryReservationsMib > host.memoryMib) {
        problems.push(`memory reservations add up to ${gib(totals.memoryReservationsMib)}, more than ${offers}`);
    }
    if (totals.cpuReservations * 1000 > host.cpuMillicores) {
        problems.push(`CPU reservations add up to ${cores(totals.cpuReservations)}, more than ${offers}`);
    }
    return problems;
}

/** The role a set of constraints admits, the node labels it requires, and constraints the check does not understand. */
function parseConstraints(constraints: string[]): { roles: Set<DockerNodeRole>; labels: string[]; unknown: string[] } {
    const roles = new Set<DockerNodeRole>(["manager", "worker"]);
    const labels: string[] = [];
    const unknown: string[] = [];
    for (const constraint of constraints) {
        const role = /^\s*node\.role\s*(==|!=)\s*(manager|worker)\s*$/.exec(constraint);
        const label = /^\s*node\.labels\.(\S+?)\s*==\s*(\S+)\s*$/.exec(constraint);
        if (role) {
            const other: DockerNodeRole = role[2] === "manager" ? "worker" : "manager";
            roles.delete(role[1] === "==" ? other : (role[2] as DockerNodeRole));
        } else if (label) {
            labels.push(`${label[1]}=${label[2]}`);
        } else {
            unknown.push(constraint);
        }
    }
    return { roles, labels: labels.sort(), unknown };
}

interface FreeNode extends DockerNode {
    freeCpu: number;
    freeMemoryMib: number;
    /** How many label groups are pinned to it. */
    labelGroups: number;
}

const fits = (node: FreeNode, cpus: number, memoryMib: number) => node.freeCpu + 1e-9 >= cpus * 1000 && node.freeMemoryMib + 1e-9 >= memoryMib;
const roomiest = (nodes: FreeNode[]) => nodes.reduce((best, n) => (n.freeMemoryMib > best.freeMemoryMib ? n : best));

/**
 * Why a stack file does not fit its swarm (empty when it fits). Services that require the same
 * node labels form a group that one node holds (a label is on one node at a time: the converge
 * step keeps each data slot's label on one manager, the one holding the fewest); the other
 * tasks are placed largest first onto the eligible node with the most free memory. A placement
 * this finds is one the scheduler can reach; when it finds none, some task stays Pending.
 */
export function swarmFitProblems(demands: ServiceDemand[], nodes: DockerNode[]): string[] {
    const problems: string[] = [];
    const free: FreeNode[] = nodes.map((n) => ({ ...n, freeCpu: n.cpuMillicores, freeMemoryMib: n.memoryMib, labelGroups: 0 }));
    const parsed = demands.map((d) => ({ demand: d, ...parseConstraints(d.constraints) }));

    for (const { demand, roles, unknown } of parsed) {
        if (unknown.length > 0) problems.push(`service ${demand.name} has constraints the fit check cannot read: ${unknown.join(", ")} (use node.role and node.labels)`);
        const eligible = free.filter((n) => roles.has(n.role));
        if (eligible.length === 0) {
            problems.push(`service ${demand.name} admits no node of the stack (roles ${[...roles].join(", ") || "none"})`);
            continue;
        }
        const smallest = eligible.reduce((a, b) => (b.vcpus < a.vcpus ? b : a));
        const cpuProblem = cpuLimitAboveNode(demand, smallest);
        if (cpuProblem) problems.push(cpuProblem);
        const leastMemory = eligible.reduce((a, b) => (b.memoryMib < a.memoryMib ? b : a));
        if (demand.limits.memoryMib > leastMemory.memoryMib) {
            problems.push(`service ${demand.name} has memory limit ${gib(demand.limits.memoryMib)}, more than the ${gib(leastMemory.memoryMib)} ${leastMemory.name} offers containers`);
        }
    }

    // Label groups: every replica of every service of a group on the group's one node.
    const groups = new Map<string, { roles: Set<DockerNodeRole>; services: ServiceDemand[] }>();
    for (const { demand, roles, labels } of parsed) {
        if (labels.length === 0) continue;
        const key = labels.join(",");
        const group = groups.get(key) ?? { roles: new Set(roles), services: [] };
        for (const role of [...group.roles]) if (!roles.has(role)) group.roles.delete(role);
        group.services.push(demand);
        groups.set(key, group);
    }
    const groupDemand = (services: ServiceDemand[]) => ({
        cpus: services.reduce((s, d) => s + d.replicas * d.reservations.cpus, 0),
        memoryMib: services.reduce((s, d) => s + d.replicas * d.reservations.memoryMib, 0),
    });
    const orderedGroups = [...groups.entries()].sort(([, a], [, b]) => groupDemand(b.services).memoryMib - groupDemand(a.services).memoryMib);
    for (const [key, group] of orderedGroups) {
        const need = groupDemand(group.services);
        const names = group.services.map((s) => s.name).join(", ");
        const candidates = free.filter((n) => group.roles.has(n.role));
        if (candidates.length === 0) {
            problems.push(`the services requiring node labels ${key} (${names}) admit no node of the stack (roles ${[...group.roles].join(", ") || "none"})`);
            continue;
        }
        // The converge step gives a label to the eligible node holding the fewest, so groups share
        // a node only when there are more groups than nodes.
        const fewest = Math.min(...candidates.map((n) => n.labelGroups));
        const node = roomiest(candidates.filter((n) => n.labelGroups === fewest));
        node.labelGroups += 1;
        if (!fits(node, need.cpus, need.memoryMib)) {
            problems.push(
                `the services on the node labelled ${key} (${names}) reserve ${cores(need.cpus)} CPUs and ${gib(need.memoryMib)}, more than ${node.name} offers containers (${cores(node.cpuMillicores / 1000)} CPUs, ${gib(node.memoryMib)}): spread them over more data slots or use a larger node type`,
            );
        }
        node.freeCpu -= need.cpus * 1000;
        node.freeMemoryMib -= need.memoryMib;
    }

    // The other tasks, largest first, each onto the eligible node with the most free memory.
    const tasks = parsed
        .filter((p) => p.labels.length === 0)
        .flatMap((p) => Array.from({ length: p.demand.replicas }, () => p));
    tasks.sort((a, b) => b.demand.reservations.memoryMib - a.demand.reservations.memoryMib || b.demand.reservations.cpus - a.demand.reservations.cpus);
    const unplaced = new Map<string, number>();
    for (const { demand, roles } of tasks) {
        const room = free.filter((n) => roles.has(n.role) && fits(n, demand.reservations.cpus, demand.reservations.memoryMib));
        if (room.length === 0) {
            unplaced.set(demand.name, (unplaced.get(demand.name) ?? 0) + 1);
            continue;
        }
        const node = roomiest(room);
        node.freeCpu -= demand.reservations.cpus * 1000;
        node.freeMemoryMib -= demand.reservations.memoryMib;
    }
    if (unplaced.size > 0) {
        const totals = demandTotals(demands);
        const capacity = { cpu: nodes.reduce((s, n) => s + n.cpuMillicores, 0) / 1000, memoryMib: nodes.reduce((s, n) => s + n.memoryMib, 0) };
        const list = [...unplaced].map(([name, n]) => `${name} ${n}/${demands.find((d) => d.name === name)!.replicas}`).join(", ");
        problems.push(
            `no node has room for these tasks' reservations, so they would stay Pending: ${list} (the stack reserves ${cores(totals.cpuReservations)} CPUs and ${gib(totals.memoryReservationsMib)}; its ${nodes.length} nodes at minimum size offer ${cores(capacity.cpu)} CPUs and ${gib(capacity.memoryMib)}): use larger node types or more workers`,
        );
    }
    return problems;
}
