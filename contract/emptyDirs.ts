/**
 * The emptyDir volumes a service's pods get at tier 2+: one per writable path and, for services
 * that run as Deployments (stateless and GPU kinds), one for `storage` (a cache such as downloaded
 * models; StatefulSets claim a persistent volume for it instead). The components declare them and
 * the catalog validation checks the ephemeral-storage limit holds them.
 */
import { ServiceDefinition } from "./catalog";

export interface EmptyDirMount {
    /** Volume name inside the pod. */
    name: string;
    path: string;
    sizeLimit: string;
}

/** Volume name of the storage mount (the claim template's name in StatefulSets). */
export const STORAGE_VOLUME = "data";

/** Volume name of the i-th writable path. */
export function writableVolumeName(index: number): string {
    return `writable-${index}`;
}

export function emptyDirsOf(service: ServiceDefinition): EmptyDirMount[] {
    const dirs = (Array.isArray(service.writablePaths) ? service.writablePaths : []).map((w, i) => ({ name: writableVolumeName(i), path: w.path, sizeLimit: w.sizeLimit }));
    if (service.storage && service.kind !== "stateful") {
        dirs.push({ name: STORAGE_VOLUME, path: service.storage.mountPath, sizeLimit: service.storage.size });
    }
    return dirs;
}
