/**
 * The four policy packs as data: what `index.ts` of each pack folder assembles into a
 * `PolicyPack`, and what the offline engine and the tests evaluate with `evaluatePolicies`.
 */
import { Policies } from "@pulumi/policy";
import { alwaysAdvisoryCostPolicies, costCapsPolicies } from "./cost-caps/policies";
import { encryptionPolicies } from "./encryption/policies";
import { otpGatedSyncPolicies } from "./otp-gated-sync/policies";
import { resourceLimitsPolicies } from "./resource-limits/policies";

export interface PolicyPackDefinition {
    /** The pack's name, as `new PolicyPack(name, ...)` and the CLI report it. */
    name: string;
    policies: Policies;
}

export const PACK_NAMES = ["encryption", "otp-gated-sync", "resource-limits", "cost-caps"] as const;
export type PackName = (typeof PACK_NAMES)[number];

export const POLICY_PACKS: readonly PolicyPackDefinition[] = [
    { name: "encryption", policies: encryptionPolicies },
    { name: "otp-gated-sync", policies: otpGatedSyncPolicies },
    { name: "resource-limits", policies: resourceLimitsPolicies },
    { name: "cost-caps", policies: costCapsPolicies },
];

/** Policies whose level a stack cannot raise: warnings that must never block a deployment. */
export const ALWAYS_ADVISORY: ReadonlySet<string> = new Set(alwaysAdvisoryCostPolicies);

/** Default enforcement of every pack (each `index.ts` passes it to `PolicyPack`). */
export const PACK_ENFORCEMENT_LEVEL = "advisory" as const;
