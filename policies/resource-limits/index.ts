/** Policy pack "resource-limits": assembles the rules of ./policies.ts; `pulumi preview --policy-pack policies/resource-limits` loads it. */
import "../shared/nodeStartup";
import { PolicyPack } from "@pulumi/policy";
import { resourceLimitsPolicies } from "./policies";

new PolicyPack("resource-limits", { enforcementLevel: "advisory", policies: resourceLimitsPolicies });
