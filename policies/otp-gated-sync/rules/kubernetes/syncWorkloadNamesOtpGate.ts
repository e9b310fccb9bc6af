import { ResourceValidationPolicy } from "@pulumi/policy";
import { ANNOTATION } from "../../../../components/shared/markers";
import { gateAnnotationOf, isSyncWorkload } from "./syncWorkloads";

/**
 * Severity: critical. Topics: OTP gate, cross-region sync.
 */
export const syncWorkloadNamesOtpGate: ResourceValidationPolicy = {
    name: "sync-workload-names-otp-gate",
    description: `A cross-region sync workload (a workload labelled role=cross-region-sync) names the OtpGate whose seed it verifies codes with, in its ${ANNOTATION.otpGate} annotation.`,
    enforcementLevel: "advisory",
    severity: "critical",
    validateResource: (args, reportViolation) => {
        if (isSyncWorkload(args.type, args.props) && gateAnnotationOf(args.type, args.props) === undefined) {
            reportViolation(`The sync workload names no OTP gate: annotate it ${ANNOTATION.otpGate}: <OtpGate name>.`);
        }
    },
};
