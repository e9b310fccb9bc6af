/**
 * The shipped stack files as the raw config `runProgram` and `parseStackConfig` take: the
 * project-namespace keys of `Pulumi.<stack>.yaml` without the `ai-platform:` prefix, values as
 * strings (JSON text for lists), optionally with overrides (e.g. another tier).
 */
import { parse } from "yaml";
import { readRepoFile } from "../../support/repoRoot";

const PREFIX = "ai-platform:";

export function rawStackConfig(stack: "dev" | "prod" | "airgap", overrides: Record<string, string> = {}): Record<string, string> {
    const doc = parse(readRepoFile(`Pulumi.${stack}.yaml`)) as { config?: Record<string, unknown> };
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (key.startsWith(PREFIX)) {
            raw[key.slice(PREFIX.length)] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { ...raw, ...overrides };
}
