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

/**
 * The pack the driver hands the CLI: the rules of all four packs in one policy-pack process
 * (`policies/all-packs`). The CLI starts one Node.js process per pack and sends every resource to
 * each; one process instead of four makes a preview with policies cost about what a bare one does.
 * The driver reports each violation under the pack its rule belongs to (`packOfPolicy`), so its
 * output names the four packs either way; users can still load any single pack by path.
 */
export const COMBINED_PACK: PolicyPackDefinition = { name: "all-packs", policies: POLICY_PACKS.flatMap((pack) => pack.policies) };

const PACK_OF_POLICY: ReadonlyMap<string, PackName> = new Map(POLICY_PACKS.flatMap((pack) => pack.policies.map((policy) => [policy.name, pack.name as PackName] as const)));

/** The pack a policy belongs to (policy names are unique across the packs), or undefined. */
export function packOfPolicy(policyName: string): PackName | undefined {
    return PACK_OF_POLICY.get(policyName);
}

/** Policies whose level a stack cannot raise: warnings that must never block a deployment. */
export const ALWAYS_ADVISORY: ReadonlySet<string> = new Set(alwaysAdvisoryCostPolicies);

/** Default enforcement of every pack (each `index.ts` passes it to `PolicyPack`). */
export const PACK_ENFORCEMENT_LEVEL = "advisory" as const;
