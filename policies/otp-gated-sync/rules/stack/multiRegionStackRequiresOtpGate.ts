import { StackValidationPolicy } from "@pulumi/policy";
import { gateSecretsIn } from "../../../shared/gate";
import { regionOf, tierOf } from "../../../shared/props";

/** Tier 3 is the multi-region tier (seed 002 section 3). */
const MULTI_REGION_TIER = "3";

export const multiRegionStackRequiresOtpGate: StackValidationPolicy = {
    name: "multi-region-stack-requires-otp-gate",
    description:
        "A stack is at tier 3 when any resource is tagged/labelled tier \"3\" or the resources' region tags/labels name more than one region; such a stack declares at least one OTP gate secret (role otp-gate-secret).",
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "multi-region"],
    validateStack: (args, reportViolation) => {
        const regions = new Set(args.resources.map((r) => regionOf(r.props)).filter((r): r is string => r !== undefined));
        const tier3 = args.resources.some((r) => tierOf(r.props) === MULTI_REGION_TIER);
        if ((tier3 || regions.size > 1) && gateSecretsIn(args.resources).length === 0) {
            const why = tier3 ? "resources are tagged tier 3" : `resources span ${[...regions].sort().join(", ")}`;
            reportViolation(`The stack is multi-region (${why}) but declares no OTP gate: add the OtpGate component so cross-region sync is OTP-gated.`);
        }
    },
};
