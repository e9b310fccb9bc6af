/**
 * What a cluster says about a step's rollout, in its own words: pods the scheduler cannot
 * place, pods the API server refused (admission), workloads not available at their declared
 * replicas, HPAs that cannot find their target, PDBs that allow no disruption. The watch during
 * `up` stops on the first two (they do not heal by waiting); the verification after `up` checks
 * all of them.
 */
import { ClusterReader, namespaced } from "./inspect";

export interface RolloutProblem {
    region: string;
    /** "Pod ai-platform/backend-api-7c9d-x2k4"; "Deployment ai-platform/frontend". */
    object: string;
    /** The cluster's words (scheduler condition, event message, status figures). */
    reason: string;
    /** Problems that waiting will not fix (stop the rollout now). */
    fatal: boolean;
}

/** Scheduler messages that clear up by themselves (volumes still binding). */
const TRANSIENT_SCHEDULING = /unbound immediate PersistentVolumeClaims|waiting for first consumer|volume binding|persistentvolumeclaim .* not found/i;
/** Container states that mean the pod will not start without a change. */
const FATAL_WAITING = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError"]);

function ageMs(time: string | undefined, now: number): number {
    const t = time ? Date.parse(time) : NaN;
    return Number.isFinite(t) ? now - t : 0;
}

/**
 * Pods the scheduler or the kubelet cannot get going, and admission refusals that began since `since`.
 * With `onlyNewPods`, pods created before `since` are left out: during a rollout, an old pod's
 * trouble is what the rollout may be fixing (the verification afterwards looks at every pod).
 */
export async function podProblems(cluster: ClusterReader, namespace: string, since: Date, now = Date.now(), unschedulableGraceMs = 15_000, onlyNewPods = false): Promise<RolloutProblem[]> {
    const paths = namespaced(namespace);
    const [pods, events] = await Promise.all([cluster.list(paths.pods), cluster.list(paths.events)]);
    const problems: RolloutProblem[] = [];
    for (const pod of pods) {
        const name = `Pod ${namespace}/${pod?.metadata?.name}`;
        if (pod?.metadata?.deletionTimestamp) continue;
        if (onlyNewPods && Date.parse(pod?.metadata?.creationTimestamp ?? "") < since.getTime()) continue;
        const scheduled = (pod?.status?.conditions ?? []).find((c: any) => c.type === "PodScheduled");
        if (pod?.status?.phase === "Pending" && scheduled?.status === "False" && scheduled?.reason === "Unschedulable") {
            const transient = TRANSIENT_SCHEDULING.test(String(scheduled.message ?? ""));
            const stuck = ageMs(scheduled.lastTransitionTime ?? pod?.metadata?.creationTimestamp, now) >= unschedulableGraceMs;
            problems.push({ region: cluster.region, object: name, reason: `Pending: ${scheduled.message ?? "unschedulable"}`, fatal: !transient && stuck });
            continue;
        }
        for (const status of [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])]) {
            const waiting = status?.state?.waiting;
            if (waiting && FATAL_WAITING.has(waiting.reason)) {
                problems.push({ region: cluster.region, object: name, reason: `container ${status.name}: ${waiting.reason}: ${waiting.message ?? ""}`.trim(), fatal: true });
            }
        }
        if (pod?.status?.phase === "Failed") {
            problems.push({ region: cluster.region, object: name, reason: `Failed: ${pod?.status?.reason ?? ""} ${pod?.status?.message ?? ""}`.trim(), fatal: true });
        }
    }
    const seen = new Set<string>();
    for (const event of events) {
        if (event?.reason !== "FailedCreate") continue;
        const last = event?.lastTimestamp ?? event?.eventTime ?? event?.metadata?.creationTimestamp;
        if (last && Date.parse(last) < since.getTime() - 1000) continue;
        // A refusal that began before `since` is an older ReplicaSet's, still retrying with its
        // backoff: trouble the step may be replacing, as an old pod's is. Whether it did shows in
        // the workload's availability (workloadProblems), not in the old object's next retry.
        const first = event?.firstTimestamp ?? event?.eventTime ?? event?.metadata?.creationTimestamp;
        if (first && Date.parse(first) < since.getTime() - 1000) continue;
        const object = `${event?.involvedObject?.kind} ${namespace}/${event?.involvedObject?.name}`;
        const key = `${object} ${event?.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({ region: cluster.region, object, reason: `refused by the API server: ${event?.message ?? "FailedCreate"}`, fatal: true });
    }
    return problems;
}

/** Workloads, HPAs and PDBs of a namespace that are not where the step declared them. */
export async function workloadProblems(cluster: ClusterReader, namespace: string): Promise<RolloutProblem[]> {
    const paths = namespaced(namespace);
    const [deployments, statefulSets, hpas, pdbs] = await Promise.all([
        cluster.list(paths.deployments),
        cluster.list(paths.statefulSets),
        cluster.list(paths.hpas),
        cluster.list(paths.pdbs),
    ]);
    const problems: RolloutProblem[] = [];
    const add = (object: string, reason: string) => problems.push({ region: cluster.region, object, reason, fatal: false });
    for (const d of deployments) {
        const want = d?.spec?.replicas ?? 1;
        const s = d?.status ?? {};
        const current = (s.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 0);
        if (!current || (s.updatedReplicas ?? 0) < want || (s.availableReplicas ?? 0) < want) {
            add(`Deployment ${namespace}/${d?.metadata?.name}`, `${s.availableReplicas ?? 0}/${want} available, ${s.updatedReplicas ?? 0} updated${current ? "" : " (status not yet observed)"}`);
        }
    }
    for (const st of statefulSets) {
        const want = st?.spec?.replicas ?? 1;
        const s = st?.status ?? {};
        if ((s.readyReplicas ?? 0) < want || (s.updateRevision && s.currentRevision !== s.updateRevision && (s.updatedReplicas ?? 0) < want)) {
            add(`StatefulSet ${namespace}/${st?.metadata?.name}`, `${s.readyReplicas ?? 0}/${want} ready`);
        }
    }
    for (const h of hpas) {
        const able = (h?.status?.conditions ?? []).find((c: any) => c.type === "AbleToScale");
        if (able && able.status !== "True") {
            add(`HorizontalPodAutoscaler ${namespace}/${h?.metadata?.name}`, `cannot scale its target: ${able.reason}: ${able.message ?? ""}`.trim());
        }
        const target = h?.spec?.scaleTargetRef;
        const exists = target?.kind === "Deployment" ? deployments.some((d) => d?.metadata?.name === target.name) : target?.kind === "StatefulSet" ? statefulSets.some((s) => s?.metadata?.name === target.name) : true;
        if (!exists) add(`HorizontalPodAutoscaler ${namespace}/${h?.metadata?.name}`, `its target ${target?.kind} ${target?.name} does not exist`);
    }
    for (const p of pdbs) {
        const s = p?.status ?? {};
        if ((s.expectedPods ?? 0) > 0 && (s.disruptionsAllowed ?? 0) < 1) {
            add(`PodDisruptionBudget ${namespace}/${p?.metadata?.name}`, `allows no disruption (${s.currentHealthy ?? 0} healthy of ${s.desiredHealthy ?? 0} wanted, ${s.expectedPods} expected)`);
        }
    }
    return problems;
}

/** Everything wrong with the step's namespaces in one cluster. */
export async function verifyRegion(cluster: ClusterReader, namespaces: readonly string[], since: Date): Promise<RolloutProblem[]> {
    const problems: RolloutProblem[] = [];
    for (const ns of namespaces) {
        problems.push(...(await workloadProblems(cluster, ns)), ...(await podProblems(cluster, ns, since, Date.now(), 0)));
    }
    return problems;
}

export function describeProblem(p: RolloutProblem): string {
    return `${p.region}: ${p.object}: ${p.reason}`;
}
