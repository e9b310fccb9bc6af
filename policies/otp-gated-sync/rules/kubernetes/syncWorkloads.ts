/**
 * Cross-region sync workloads and their OTP contract, shared by the sync rules.
 */
import { ANNOTATION, LABEL, OTP_SEED_KEY, ROLE, SYNC_ENV } from "../../../../components/shared/markers";
import { containersOf, isWorkloadType, workloadMetadata } from "../../../shared/kubernetes";
import { list, read } from "../../../shared/props";

/** True for a Deployment/StatefulSet/DaemonSet/Job/CronJob/Pod labelled `LABEL.role = ROLE.crossRegionSync`. */
export function isSyncWorkload(type: string, props: Record<string, any>): boolean {
    return isWorkloadType(type) && workloadMetadata(type, props).labels[LABEL.role] === ROLE.crossRegionSync;
}

/** The `ANNOTATION.otpGate` annotation of a workload (or of its pod template). */
export function gateAnnotationOf(type: string, props: Record<string, any>): string | undefined {
    const gate = workloadMetadata(type, props).annotations[ANNOTATION.otpGate];
    return typeof gate === "string" && gate !== "" ? gate : undefined;
}

export interface SeedReference {
    container: string;
    secretName: string;
}

/** Containers whose `SYNC_ENV.seed` comes from `secretKeyRef { name, key: OTP_SEED_KEY }` and that set `SYNC_ENV.requireOtp = "true"`. */
export function gatedContainers(type: string, props: Record<string, any>): SeedReference[] {
    const result: SeedReference[] = [];
    for (const { kind, name, container } of containersOf(type, props)) {
        if (kind !== "containers") {
            continue;
        }
        const env = list(container, "env");
        const seed = env.find((e) => read(e, "name") === SYNC_ENV.seed);
        const requireOtp = env.find((e) => read(e, "name") === SYNC_ENV.requireOtp);
        const secretName = read(seed, "valueFrom", "secretKeyRef", "name");
        if (
            seed !== undefined &&
            read(seed, "value") === undefined &&
            typeof secretName === "string" &&
            secretName !== "" &&
            read(seed, "valueFrom", "secretKeyRef", "key") === OTP_SEED_KEY &&
            read(requireOtp, "value") === "true"
        ) {
            result.push({ container: name, secretName });
        }
    }
    return result;
}

/** Containers that put the seed into the spec as a literal `value`. */
export function containersWithLiteralSeed(type: string, props: Record<string, any>): string[] {
    return containersOf(type, props)
        .filter(({ container }) => list(container, "env").some((e) => read(e, "name") === SYNC_ENV.seed && read(e, "value") !== undefined))
        .map(({ name }) => name);
}
