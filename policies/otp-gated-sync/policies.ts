/** The rules of the OTP-gated sync pack. */
import { Policies } from "@pulumi/policy";
import { replicationRequiresOtpGate } from "./rules/aws/replicationRequiresOtpGate";
import { syncWorkloadGateExists } from "./rules/kubernetes/syncWorkloadGateExists";
import { syncWorkloadKeepsGateSecretsOutOfEnv } from "./rules/kubernetes/syncWorkloadKeepsGateSecretsOutOfEnv";
import { syncWorkloadNamesOtpGate } from "./rules/kubernetes/syncWorkloadNamesOtpGate";
import { syncWorkloadReadsPayloadKeyFromMountedSecret } from "./rules/kubernetes/syncWorkloadReadsPayloadKeyFromMountedSecret";
import { syncWorkloadReadsOtpSeedFromMountedFile } from "./rules/kubernetes/syncWorkloadReadsOtpSeedFromMountedFile";
import { syncWorkloadRequiresTls13 } from "./rules/kubernetes/syncWorkloadRequiresTls13";
import { otpGateSecretEncryptedWithCustomerManagedKey } from "./rules/stack/otpGateSecretEncryptedWithCustomerManagedKey";
import { multiRegionStackRequiresOtpGate } from "./rules/stack/multiRegionStackRequiresOtpGate";

export const otpGatedSyncPolicies: Policies = [
    syncWorkloadNamesOtpGate,
    syncWorkloadReadsOtpSeedFromMountedFile,
    syncWorkloadReadsPayloadKeyFromMountedSecret,
    syncWorkloadRequiresTls13,
    syncWorkloadKeepsGateSecretsOutOfEnv,
    syncWorkloadGateExists,
    replicationRequiresOtpGate,
    multiRegionStackRequiresOtpGate,
    otpGateSecretEncryptedWithCustomerManagedKey,
];
