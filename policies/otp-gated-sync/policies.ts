/** The rules of the OTP-gated sync pack. */
import { Policies } from "@pulumi/policy";
import { replicationRequiresGate } from "./rules/aws/replicationRequiresGate";
import { syncWorkloadGateExists } from "./rules/kubernetes/syncWorkloadGateExists";
import { syncWorkloadVerifiesOtp } from "./rules/kubernetes/syncWorkloadVerifiesOtp";
import { gateSecretEncryptedWithCmk } from "./rules/stack/gateSecretEncryptedWithCmk";
import { multiRegionStackRequiresGate } from "./rules/stack/multiRegionStackRequiresGate";

export const otpGatedSyncPolicies: Policies = [
    syncWorkloadVerifiesOtp,
    syncWorkloadGateExists,
    replicationRequiresGate,
    multiRegionStackRequiresGate,
    gateSecretEncryptedWithCmk,
];
