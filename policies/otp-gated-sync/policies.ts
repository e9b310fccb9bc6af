/** The rules of the OTP-gated sync pack. */
import { Policies } from "@pulumi/policy";
import { replicationRequiresGate } from "./rules/aws/replicationRequiresGate";
import { syncWorkloadGateExists } from "./rules/kubernetes/syncWorkloadGateExists";
import { syncWorkloadKeepsGateSecretsOutOfEnv } from "./rules/kubernetes/syncWorkloadKeepsGateSecretsOutOfEnv";
import { syncWorkloadNamesOtpGate } from "./rules/kubernetes/syncWorkloadNamesOtpGate";
import { syncWorkloadReadsPayloadKeyFromMountedSecret } from "./rules/kubernetes/syncWorkloadReadsPayloadKeyFromMountedSecret";
import { syncWorkloadReadsSeedFromMountedFile } from "./rules/kubernetes/syncWorkloadReadsSeedFromMountedFile";
import { syncWorkloadRequiresTls13 } from "./rules/kubernetes/syncWorkloadRequiresTls13";
import { gateSecretEncryptedWithCmk } from "./rules/stack/gateSecretEncryptedWithCmk";
import { multiRegionStackRequiresGate } from "./rules/stack/multiRegionStackRequiresGate";

export const otpGatedSyncPolicies: Policies = [
    syncWorkloadNamesOtpGate,
    syncWorkloadReadsSeedFromMountedFile,
    syncWorkloadReadsPayloadKeyFromMountedSecret,
    syncWorkloadRequiresTls13,
    syncWorkloadKeepsGateSecretsOutOfEnv,
    syncWorkloadGateExists,
    replicationRequiresGate,
    multiRegionStackRequiresGate,
    gateSecretEncryptedWithCmk,
];
