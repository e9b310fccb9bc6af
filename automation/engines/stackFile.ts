/**
 * The stack's configuration as both engines see it: the project-namespace keys of
 * `Pulumi.<stack>.yaml`, then the caller's overrides, then the tier being previewed or deployed.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Tier, TIERS } from "../../contract/catalog";
import { ConfigError, parseStackConfig, StackConfig } from "../../config/config";
import { readStackFileText, StackFileError } from "../../config/stackFile";

/** Project name when Pulumi.yaml has none (it always should). */
export const DEFAULT_PROJECT = "ai-platform";

/** The `name` of the project in `<projectDir>/Pulumi.yaml`. */
export function projectName(projectDir: string): string {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        return DEFAULT_PROJECT;
    }
    let doc: { name?: unknown };
    try {
        doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { name?: unknown };
    } catch (e) {
        throw new StackFileError(file, `${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
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

/**
 * The project-namespace values of the stack file (key without namespace -> string), checked: the
 * file's shape, namespaces, the `aws:` keys and the file's own `tier` (the driver sets the tier of
 * a run, but a file whose tier is not one is refused, not ignored). Throws ConfigError.
 */
export function stackFileConfig(projectDir: string, stack: string): Record<string, string> {
    const project = projectName(projectDir);
    const file = stackFilePath(projectDir, stack);
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new StackFileError(file, `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { raw, problems } = readStackFileText(text, file, project);
    if (raw.tier !== undefined && !(/^\d$/.test(raw.tier) && TIERS.includes(Number(raw.tier) as Tier))) {
        problems.push(`${file}: ${project}:tier = ${JSON.stringify(raw.tier)}: unknown tier; allowed values: ${TIERS.join(", ")} (the driver sets the tier of each run; the file's value is what a plain \`pulumi up\` deploys)`);
    }
    if (problems.length) throw new ConfigError(problems, project, stack);
    return raw;
}

/** Raw project-namespace values (key without namespace -> string) for a run at `tier`; a one-off read (see StackFiles). */
export function rawStackConfig(
    projectDir: string,
    stack: string,
    tier: Tier,
    overrides: Record<string, string> = {},
): Record<string, string> {
    return new StackFiles(projectDir).raw(stack, tier, overrides);
}

/** The validated StackConfig of a run at `tier` (throws ConfigError naming every bad key); a one-off read (see StackFiles). */
export function stackConfigFor(
    projectDir: string,
    stack: string,
    tier: Tier,
    overrides: Record<string, string> = {},
): StackConfig {
    return new StackFiles(projectDir).config(stack, tier, overrides);
}

/**
 * The stack files of one driver run, each read, parsed and checked once: the CLI, the promotion,
 * the review and the engine ask this object instead of the file system. A file that cannot be
 * read is not remembered (the next question reads it again and raises the same error).
 */
export class StackFiles {
    private readonly files = new Map<string, Record<string, string>>();
    private readonly configs = new Map<string, StackConfig>();
    private project?: string;

    constructor(readonly projectDir: string) {}

    /** The Pulumi project's name (Pulumi.yaml). */
    projectName(): string {
        return (this.project ??= projectName(this.projectDir));
    }

    /** The project-namespace keys of `Pulumi.<stack>.yaml`, as written. */
    keys(stack: string): Record<string, string> {
        let keys = this.files.get(stack);
        if (!keys) {
            keys = stackFileConfig(this.projectDir, stack);
            this.files.set(stack, keys);
        }
        return keys;
    }

    /** The keys of a run at `tier`: the file's, then the overrides, then the tier. */
    raw(stack: string, tier: Tier, overrides: Record<string, string> = {}): Record<string, string> {
        return { ...this.keys(stack), ...overrides, tier: String(tier) };
    }

    /** The validated configuration of a run at `tier` (throws ConfigError naming every bad key). */
    config(stack: string, tier: Tier, overrides: Record<string, string> = {}): StackConfig {
        const key = JSON.stringify([stack, tier, Object.entries(overrides).sort()]);
        let config = this.configs.get(key);
        if (!config) {
            config = parseStackConfig(this.raw(stack, tier, overrides), this.projectName(), stack, this.projectDir);
            this.configs.set(key, config);
        }
        return config;
    }
}
