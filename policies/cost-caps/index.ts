/** Policy pack "cost-caps": assembles the rules of ./policies.ts; `pulumi preview --policy-pack policies/cost-caps` loads it. */
import "../shared/nodeStartup";
import { PolicyPack } from "@pulumi/policy";
import { costCapsPolicies } from "./policies";

new PolicyPack("cost-caps", { enforcementLevel: "advisory", policies: costCapsPolicies });
