import { ResourceValidationPolicy } from "@pulumi/policy";
import { OTP_SEED_KEY, PAYLOAD_KEY_KEY, SYNC_ENV } from "../../../../contract/markers";
import { formatMode, isSyncWorkload, modeIsPrivate, secretFileOf, serviceContainers } from "../../syncWorkloads";

export const syncWorkloadReadsPayloadKeyFromMountedSecret: ResourceValidationPolicy = {
    name: "sync-workload-reads-payload-key-from-mounted-secret",
    description:
        `Every container of a cross-region sync workload that verifies OTP codes (sets ${SYNC_ENV.seedFile}) encrypts payloads with a key of its own: ` +
        `${SYNC_ENV.payloadKeyFile} names a file of a Secret volume holding the key "${PAYLOAD_KEY_KEY}" (never the seed), with mode 0400 or 0440.`,
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["cross-region sync", "encryption", "secrets"],
    validateResource: (args, reportViolation) => {
        if (!isSyncWorkload(args.type, args.props)) return;
        for (const { name, container } of serviceContainers(args.type, args.props)) {
            const file = secretFileOf(args.type, args.props, container, SYNC_ENV.payloadKeyFile);
            if (typeof file === "string") {
                reportViolation(`Container ${name}: ${file}; point ${SYNC_ENV.payloadKeyFile} at the "${PAYLOAD_KEY_KEY}" file of the gate's Secret volume.`);
            } else if (file.key !== PAYLOAD_KEY_KEY) {
                const why = file.key === OTP_SEED_KEY ? "the TOTP seed must not double as the encryption key" : `it must be "${PAYLOAD_KEY_KEY}"`;
                reportViolation(`Container ${name}: ${SYNC_ENV.payloadKeyFile} names key "${file.key}" of Secret ${file.secretName}; ${why}.`);
            } else if (!modeIsPrivate(file.mode)) {
                reportViolation(`Container ${name}: the payload key file has mode ${formatMode(file.mode)}; set defaultMode (or the item's mode) to 0400.`);
            }
        }
    },
};
