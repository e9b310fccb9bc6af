import { ResourceValidationPolicy } from "@pulumi/policy";
import { LEGACY_SEED_ENV, OTP_SEED_KEY, PAYLOAD_KEY_KEY, SYNC_ENV } from "../../../../contract/markers";
import { containersOf } from "../../../shared/kubernetes";
import { list, read } from "../../../shared/props";
import { isSyncWorkload, secretFileOf, serviceContainers } from "../../syncWorkloads";

export const syncWorkloadKeepsGateSecretsOutOfEnv: ResourceValidationPolicy = {
    name: "sync-workload-keeps-gate-secrets-out-of-env",
    description:
        `No container of a cross-region sync workload takes the gate's secrets through its environment: no ${LEGACY_SEED_ENV} variable, ` +
        `no env valueFrom.secretKeyRef of the keys "${OTP_SEED_KEY}" or "${PAYLOAD_KEY_KEY}", no envFrom of the Secret the seed file is mounted from.`,
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["OTP gate", "secrets (secret scanners flag secrets in environments)"],
    validateResource: (args, reportViolation) => {
        if (!isSyncWorkload(args.type, args.props)) return;
        const gateSecrets = new Set<string>();
        for (const { container } of serviceContainers(args.type, args.props)) {
            for (const envName of [SYNC_ENV.seedFile, SYNC_ENV.payloadKeyFile]) {
                const file = secretFileOf(args.type, args.props, container, envName);
                if (typeof file !== "string") gateSecrets.add(file.secretName);
            }
        }
        for (const { name, container } of containersOf(args.type, args.props)) {
            for (const entry of list(container, "env")) {
                const envName = read(entry, "name");
                const key = read(entry, "valueFrom", "secretKeyRef", "key");
                if (envName === LEGACY_SEED_ENV) {
                    reportViolation(`Container ${name} sets ${LEGACY_SEED_ENV}: the seed must not be in the environment; mount the gate's Secret and set ${SYNC_ENV.seedFile}.`);
                } else if (key === OTP_SEED_KEY || key === PAYLOAD_KEY_KEY) {
                    reportViolation(`Container ${name} reads the gate's "${key}" into env ${String(envName)}: mount it as a file instead.`);
                }
            }
            for (const from of list(container, "envFrom")) {
                const secretName = read(from, "secretRef", "name");
                if (typeof secretName === "string" && gateSecrets.has(secretName)) {
                    reportViolation(`Container ${name} loads Secret ${secretName} (the OTP gate's) into its environment with envFrom: remove it; the service reads the mounted files.`);
                }
            }
        }
    },
};
