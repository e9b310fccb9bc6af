/** Policy pack "otp-gated-sync": assembles the rules of ./policies.ts; `pulumi preview --policy-pack policies/otp-gated-sync` loads it. */
import "../shared/nodeStartup";
import { PolicyPack } from "@pulumi/policy";
import { otpGatedSyncPolicies } from "./policies";

new PolicyPack("otp-gated-sync", { enforcementLevel: "advisory", policies: otpGatedSyncPolicies });
