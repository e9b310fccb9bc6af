import { ResourceValidationPolicy } from "@pulumi/policy";
import { SYNC_ENV } from "../../../../contract/markers";
import { envValue, formatMode, isSyncWorkload, modeIsPrivate, secretFileOf, serviceContainers } from "../../syncWorkloads";

export const syncWorkloadRequiresTls13: ResourceValidationPolicy = {
    name: "sync-workload-requires-tls-1-3",
    description:
        `Every container of a cross-region sync workload that verifies OTP codes (sets ${SYNC_ENV.seedFile}) serves and dials TLS 1.3 only: ` +
        `${SYNC_ENV.tlsMinVersion}="1.3", and ${SYNC_ENV.tlsCertFile} / ${SYNC_ENV.tlsKeyFile} name files of a Secret volume (the key with mode 0400 or 0440).`,
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["cross-region sync", "encryption in transit (seed 002 section 3.4: TLS 1.3)"],
    validateResource: (args, reportViolation) => {
        if (!isSyncWorkload(args.type, args.props)) return;
        for (const { name, container } of serviceContainers(args.type, args.props)) {
            const version = envValue(container, SYNC_ENV.tlsMinVersion);
            if (version !== "1.3") {
                reportViolation(`Container ${name}: ${SYNC_ENV.tlsMinVersion} is ${version === undefined ? "not set" : `"${version}"`}; set it to "1.3" (TLS 1.3 between regions).`);
            }
            for (const envName of [SYNC_ENV.tlsCertFile, SYNC_ENV.tlsKeyFile]) {
                const file = secretFileOf(args.type, args.props, container, envName);
                if (typeof file === "string") {
                    reportViolation(`Container ${name}: ${file}; mount the sync endpoint's TLS Secret and point ${envName} at its file.`);
                } else if (envName === SYNC_ENV.tlsKeyFile && !modeIsPrivate(file.mode)) {
                    reportViolation(`Container ${name}: the TLS private key file has mode ${formatMode(file.mode)}; set the TLS volume's defaultMode to 0400.`);
                }
            }
        }
    },
};
