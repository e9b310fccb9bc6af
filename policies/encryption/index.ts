/** Policy pack "encryption": assembles the rules of ./policies.ts; `pulumi preview --policy-pack policies/encryption` loads it. */
import "../shared/nodeStartup";
import { PolicyPack } from "@pulumi/policy";
import { encryptionPolicies } from "./policies";

new PolicyPack("encryption", { enforcementLevel: "advisory", policies: encryptionPolicies });
