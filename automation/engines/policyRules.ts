/**
 * The engines' one door to the policy packs: the offline engine evaluates the rules in-process,
 * the Pulumi engine hands the packs' folders and their per-stack config to the CLI. Both read
 * the same pack list (`POLICY_PACKS`) and the same `policyPackConfigFor`, so their results compare.
 */
import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../../config/config";
import { evaluatePolicies, RecordedResourceLike } from "../../policies/evaluator";
import { POLICY_PACKS } from "../../policies/packs";
import { policyPackConfigFor } from "../../policies/policyConfig";
import { PolicyViolation } from "./engine";

/** Every pack's rules on the declared resources, with the stack's enforcement levels and figures. */
export function evaluateStackPolicies(resources: readonly RecordedResourceLike[], stackConfig: StackConfig, advisoryPolicies: readonly string[] = []): Promise<PolicyViolation[]> {
    return evaluatePolicies(resources, POLICY_PACKS, policyPackConfigFor(stackConfig, advisoryPolicies));
}

/** Absolute folders of the four packs (`<policiesDir>/<pack name>`, each with a PulumiPolicy.yaml). */
export function policyPackDirs(policiesDir: string): string[] {
    return POLICY_PACKS.map((pack) => {
        const dir = path.resolve(policiesDir, pack.name);
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new Error(`Policy pack "${pack.name}" has no ${path.join(dir, "PulumiPolicy.yaml")}; pass the project's policies/ folder.`);
        }
        return dir;
    });
}

/**
 * Writes one `--policy-pack-config` JSON file per pack folder into `outDir` and returns their
 * paths in the order of `packDirs` (a pack's config is found by its folder name).
 */
export function writePolicyPackConfigs(stackConfig: StackConfig, packDirs: string[], outDir: string, advisoryPolicies: readonly string[] = []): string[] {
    const configs = policyPackConfigFor(stackConfig, advisoryPolicies) as Record<string, unknown>;
    fs.mkdirSync(outDir, { recursive: true });
    return packDirs.map((dir) => {
        const pack = path.basename(dir);
        const config = configs[pack];
        if (config === undefined) {
            throw new Error(`policyPackConfigFor returned no config for pack "${pack}" (known: ${Object.keys(configs).join(", ")}).`);
        }
        const file = path.join(outDir, `${pack}.json`);
        fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
        return file;
    });
}
