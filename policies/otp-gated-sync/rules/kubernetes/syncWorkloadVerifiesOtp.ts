import { ResourceValidationPolicy } from "@pulumi/policy";
import { ANNOTATION, OTP_SEED_KEY, SYNC_ENV } from "../../../../components/shared/markers";
import { containersWithLiteralSeed, gateAnnotationOf, gatedContainers, isSyncWorkload } from "./syncWorkloads";

/**
 * Severity: critical. Topics: OTP gate, cross-region sync, secrets.
 */
export const syncWorkloadVerifiesOtp: ResourceValidationPolicy = {
    name: "sync-workload-verifies-otp-from-gate-secret",
    description:
        `A cross-region sync workload (Deployment/StatefulSet/DaemonSet/Job/CronJob/Pod labelled role=cross-region-sync) is gated when: it is annotated ${ANNOTATION.otpGate}=<gate>; ` +
        `at least one container reads env ${SYNC_ENV.seed} from valueFrom.secretKeyRef { name: <gate secret>, key: "${OTP_SEED_KEY}" } and sets ${SYNC_ENV.requireOtp}="true"; and no container sets ${SYNC_ENV.seed} as a literal value.`,
    enforcementLevel: "advisory",
    severity: "critical",
    validateResource: (args, reportViolation) => {
        if (!isSyncWorkload(args.type, args.props)) {
            return;
        }
        if (gateAnnotationOf(args.type, args.props) === undefined) {
            reportViolation(`The sync workload names no OTP gate: annotate it ${ANNOTATION.otpGate}: <OtpGate name>.`);
        }
        for (const container of containersWithLiteralSeed(args.type, args.props)) {
            reportViolation(`Container ${container} carries the TOTP seed as a literal env value: read ${SYNC_ENV.seed} from valueFrom.secretKeyRef of the gate's Secret instead.`);
        }
        if (gatedContainers(args.type, args.props).length === 0) {
            reportViolation(
                `No container verifies OTP codes: give the sync container env ${SYNC_ENV.seed} from valueFrom.secretKeyRef { name: <gate secret>, key: "${OTP_SEED_KEY}" } and ${SYNC_ENV.requireOtp}: "true".`,
            );
        }
    },
};
