/**
 * The engines' one door to the policy packs: the offline engine evaluates the rules in-process,
 * the Pulumi engine hands the packs' folders and their per-stack config to the CLI. Both read
 * the same pack list (`POLICY_PACKS`) and the same `policyPackConfigFor`, so their results compare.
 */
import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../../config/config";
import { evaluatePolicies, RecordedResourceLike } from "../../policies/evaluator";
import { COMBINED_PACK, packOfPolicy, POLICY_PACKS } from "../../policies/packs";
import { policyPackConfigFor } from "../../policies/policyConfig";
import { PolicyViolation } from "./engine";

/** Every pack's rules on the declared resources, with the stack's enforcement levels and figures. */
export function evaluateStackPolicies(resources: readonly RecordedResourceLike[], stackConfig: StackConfig, advisoryPolicies: readonly string[] = []): Promise<PolicyViolation[]> {
    return evaluatePolicies(resources, POLICY_PACKS, policyPackConfigFor(stackConfig, advisoryPolicies));
}

/** Absolute folder of a pack (`<policiesDir>/<pack name>`, with a PulumiPolicy.yaml). */
function policyPackDir(policiesDir: string, name: string): string {
    const dir = path.resolve(policiesDir, name);
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
        throw new Error(`Policy pack "${name}" has no ${path.join(dir, "PulumiPolicy.yaml")}; pass the project's policies/ folder.`);
    }
    return dir;
}

/** Absolute folders of the four packs, each loadable on its own. */
export function policyPackDirs(policiesDir: string): string[] {
    return POLICY_PACKS.map((pack) => policyPackDir(policiesDir, pack.name));
}

/**
 * What the Pulumi engine hands the CLI: the folder of the pack that runs all four packs' rules in
 * one process, and its `--policy-pack-config` file in `outDir` (every policy's entry, as in the
 * four packs' files).
 */
export function combinedPolicyPack(policiesDir: string, stackConfig: StackConfig, outDir: string, advisoryPolicies: readonly string[] = []): { dir: string; config: string } {
    const dir = policyPackDir(policiesDir, COMBINED_PACK.name);
    const entries = Object.assign({}, ...Object.values(policyPackConfigFor(stackConfig, advisoryPolicies))) as Record<string, unknown>;
    fs.mkdirSync(outDir, { recursive: true });
    const config = path.join(outDir, `${COMBINED_PACK.name}.json`);
    fs.writeFileSync(config, JSON.stringify(entries, null, 2) + "\n");
    return { dir, config };
}

/**
 * The pack a violation is reported under: for the combined pack, the pack its rule belongs to, so
 * results read the same whether the four packs ran or the combined one.
 */
export function reportedPackName(policyPackName: string, policyName: string): string {
    return (policyPackName === COMBINED_PACK.name && packOfPolicy(policyName)) || policyPackName;
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
