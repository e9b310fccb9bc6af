/**
 * Policy pack "all-packs": the rules of the four packs in one process (`COMBINED_PACK`), which the
 * driver loads; `pulumi preview --policy-pack policies/all-packs` runs every rule at once.
 */
import "../shared/nodeStartup";
import { PolicyPack } from "@pulumi/policy";
import { COMBINED_PACK, PACK_ENFORCEMENT_LEVEL } from "../packs";

new PolicyPack(COMBINED_PACK.name, { enforcementLevel: PACK_ENFORCEMENT_LEVEL, policies: COMBINED_PACK.policies });
