import { ResourceValidationPolicy } from "@pulumi/policy";
import { ANNOTATION } from "../../../../contract/markers";
import { gateAnnotationOf, isSyncWorkload } from "../../syncWorkloads";

export const syncWorkloadNamesOtpGate: ResourceValidationPolicy = {
    name: "sync-workload-names-otp-gate",
    description: `A cross-region sync workload (a workload labelled role=cross-region-sync) names the OtpGate whose seed it verifies codes with, in its ${ANNOTATION.otpGate} annotation.`,
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "cross-region sync"],
    validateResource: (args, reportViolation) => {
        if (isSyncWorkload(args.type, args.props) && gateAnnotationOf(args.type, args.props) === undefined) {
            reportViolation(`The sync workload names no OTP gate: annotate it ${ANNOTATION.otpGate}: <OtpGate name>.`);
        }
    },
};
