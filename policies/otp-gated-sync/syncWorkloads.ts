/**
 * Cross-region sync workloads and what the sync service (sync/settings.ts) needs of them,
 * shared by the sync rules: the files its environment names (seed, payload key, certificate)
 * must lie in Secret volumes, readable by their owner (and group) only.
 */
import { ANNOTATION, LABEL, ROLE, SYNC_ENV } from "../../contract/markers";
import { containersOf, ContainerRef, isWorkloadType, workloadMetadata } from "../shared/kubernetes";
import { list, read } from "../shared/props";

/** True for a Deployment/StatefulSet/DaemonSet/Job/CronJob/Pod labelled `LABEL.role = ROLE.crossRegionSync`. */
export function isSyncWorkload(type: string, props: Record<string, any>): boolean {
    return isWorkloadType(type) && workloadMetadata(type, props).labels[LABEL.role] === ROLE.crossRegionSync;
}

/** The `ANNOTATION.otpGate` annotation of a workload (or of its pod template). */
export function gateAnnotationOf(type: string, props: Record<string, any>): string | undefined {
    const gate = workloadMetadata(type, props).annotations[ANNOTATION.otpGate];
    return typeof gate === "string" && gate !== "" ? gate : undefined;
}

/** The pod spec of a workload (same places as policies/shared/kubernetes.ts reads containers from). */
function podSpecOf(type: string, props: Record<string, any>): unknown {
    if (type === "kubernetes:core/v1:Pod") return read(props, "spec");
    if (type === "kubernetes:batch/v1:CronJob") return read(props, "spec", "jobTemplate", "spec", "template", "spec");
    return read(props, "spec", "template", "spec");
}

/** The containers that run the sync service: those whose environment names the seed file. */
export function serviceContainers(type: string, props: Record<string, any>): ContainerRef[] {
    return containersOf(type, props).filter((c) => c.kind === "containers" && envEntry(c.container, SYNC_ENV.seedFile) !== undefined);
}

export function envEntry(container: unknown, name: string): Record<string, any> | undefined {
    return list(container, "env").find((e) => read(e, "name") === name) as Record<string, any> | undefined;
}

/** The literal value of an env var, or undefined. */
export function envValue(container: unknown, name: string): string | undefined {
    const value = read(envEntry(container, name), "value");
    return typeof value === "string" ? value : undefined;
}

/** Where a file named by an env var comes from. */
export interface SecretFile {
    /** Secret behind the volume. */
    secretName: string;
    /** Key of the Secret the file holds. */
    key: string;
    /** File mode (item mode, else the volume's defaultMode, else the Kubernetes default 0644). */
    mode: number;
}

/** Kubernetes' default mode of files projected from a Secret. */
const DEFAULT_SECRET_FILE_MODE = 0o644;

/**
 * The Secret key that the file named by env `envName` of `container` holds, or the reason it
 * is not a Secret file (not set, not a literal path, not under a mount, not a Secret volume,
 * no such item).
 */
export function secretFileOf(type: string, props: Record<string, any>, container: unknown, envName: string): SecretFile | string {
    const entry = envEntry(container, envName);
    if (entry === undefined) return `sets no ${envName}`;
    const file = read(entry, "value");
    if (typeof file !== "string" || !file.startsWith("/")) return `${envName} must be a literal absolute path`;
    const mounts = list(container, "volumeMounts").filter((m) => {
        const mountPath = read(m, "mountPath");
        return typeof mountPath === "string" && (file === mountPath || file.startsWith(`${mountPath.replace(/\/+$/, "")}/`));
    });
    // The deepest mount wins, as in the container's file system.
    const mount = mounts.sort((a, b) => String(read(b, "mountPath")).length - String(read(a, "mountPath")).length)[0];
    if (mount === undefined) return `${envName} = ${file} is not inside any volumeMount`;
    const volume = list(podSpecOf(type, props), "volumes").find((v) => read(v, "name") === read(mount, "name"));
    const secretName = read(volume, "secret", "secretName");
    if (typeof secretName !== "string" || secretName === "") return `${envName} = ${file} is on volume ${String(read(mount, "name"))}, which is not a Secret volume`;
    const mountPath = String(read(mount, "mountPath")).replace(/\/+$/, "");
    const subPath = read(mount, "subPath");
    const relative = typeof subPath === "string" && subPath !== "" ? (file === mountPath ? subPath : `${subPath}/${file.slice(mountPath.length + 1)}`) : file.slice(mountPath.length + 1);
    const defaultMode = read(volume, "secret", "defaultMode");
    const items = list(volume, "secret", "items");
    if (items.length > 0) {
        const item = items.find((i) => read(i, "path") === relative);
        if (item === undefined) return `${envName} = ${file}: no item of Secret ${secretName}'s volume is projected to ${relative}`;
        const mode = read(item, "mode") ?? defaultMode;
        return { secretName, key: String(read(item, "key")), mode: typeof mode === "number" ? mode : DEFAULT_SECRET_FILE_MODE };
    }
    return { secretName, key: relative, mode: typeof defaultMode === "number" ? defaultMode : DEFAULT_SECRET_FILE_MODE };
}

/** Read-only for owner and group, nothing for others (0400, 0440). */
export function modeIsPrivate(mode: number): boolean {
    return (mode & 0o333) === 0 && (mode & 0o004) === 0;
}

export function formatMode(mode: number): string {
    return `0${mode.toString(8)}`;
}
