/**
 * The stack's configuration as both engines see it: the project-namespace keys of
 * `Pulumi.<stack>.yaml`, then the caller's overrides, then the tier being previewed or deployed.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Tier } from "../../infra/catalog/types";
import { configFromStackFile, parseStackConfig, StackConfig } from "../../infra/config";

/** Project name when Pulumi.yaml has none (it always should). */
export const DEFAULT_PROJECT = "ai-platform";

/** The `name` of the project in `<projectDir>/Pulumi.yaml`. */
export function projectName(projectDir: string): string {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        return DEFAULT_PROJECT;
    }
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { name?: unknown };
    return typeof doc.name === "string" && doc.name ? doc.name : DEFAULT_PROJECT;
}

/** Path of the stack's config file; a clear error names the file and the fix when it is missing. */
export function stackFilePath(projectDir: string, stack: string): string {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(
            `Stack "${stack}" has no config file ${file}; create it (for example by copying Pulumi.dev.yaml) or pass an existing stack name.`,
        );
    }
    return file;
}

/** Raw project-namespace values (key without namespace -> string) for a run at `tier`. */
export function rawStackConfig(
    projectDir: string,
    stack: string,
    tier: Tier,
    overrides: Record<string, string> = {},
): Record<string, string> {
    const project = projectName(projectDir);
    const fromFile = configFromStackFile(fs.readFileSync(stackFilePath(projectDir, stack), "utf8"), project);
    return { ...fromFile, ...overrides, tier: String(tier) };
}

/** The validated StackConfig of a run at `tier` (throws ConfigError naming every bad key). */
export function stackConfigFor(
    projectDir: string,
    stack: string,
    tier: Tier,
    overrides: Record<string, string> = {},
): StackConfig {
    return parseStackConfig(rawStackConfig(projectDir, stack, tier, overrides), projectName(projectDir), stack, projectDir);
}
