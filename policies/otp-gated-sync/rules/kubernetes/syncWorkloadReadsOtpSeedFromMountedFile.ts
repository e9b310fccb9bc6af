import { ResourceValidationPolicy } from "@pulumi/policy";
import { OTP_SEED_KEY, SYNC_ENV } from "../../../../contract/markers";
import { formatMode, isSyncWorkload, modeIsPrivate, secretFileOf, serviceContainers } from "../../syncWorkloads";

export const syncWorkloadReadsOtpSeedFromMountedFile: ResourceValidationPolicy = {
    name: "sync-workload-reads-otp-seed-from-mounted-file",
    description:
        `A cross-region sync workload verifies OTP codes: a container sets ${SYNC_ENV.seedFile} to a file of a Secret volume that holds the key "${OTP_SEED_KEY}", ` +
        "with a mode readable by owner (and group) only (0400 or 0440).",
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "cross-region sync", "secrets"],
    validateResource: (args, reportViolation) => {
        if (!isSyncWorkload(args.type, args.props)) return;
        const containers = serviceContainers(args.type, args.props);
        if (containers.length === 0) {
            reportViolation(
                `No container verifies OTP codes: give the sync container ${SYNC_ENV.seedFile} naming a file mounted from the gate's Secret (key "${OTP_SEED_KEY}", mode 0400).`,
            );
        }
        for (const { name, container } of containers) {
            const file = secretFileOf(args.type, args.props, container, SYNC_ENV.seedFile);
            if (typeof file === "string") {
                reportViolation(`Container ${name}: ${file}; mount the gate's Secret as a volume and point ${SYNC_ENV.seedFile} at its "${OTP_SEED_KEY}" file.`);
            } else if (file.key !== OTP_SEED_KEY) {
                reportViolation(`Container ${name}: ${SYNC_ENV.seedFile} names key "${file.key}" of Secret ${file.secretName}; it must be the gate's "${OTP_SEED_KEY}".`);
            } else if (!modeIsPrivate(file.mode)) {
                reportViolation(`Container ${name}: the seed file has mode ${formatMode(file.mode)}; set defaultMode (or the item's mode) to 0400.`);
            }
        }
    },
};
