/**
 * The digest of a step's plan: SHA-256 over a canonical text of every declared resource (URN, type
 * and inputs, keys sorted at every level, resources sorted by URN). The same previewed resources
 * give the same digest on any machine and in any order of registration; any change of a resource,
 * an input or the set of resources changes it. The review report, the policy and cost verdicts and
 * the OTP approval of a step name it, and `up` must apply exactly that plan.
 */
import { createHash } from "crypto";
import { PlannedResource } from "../engines/engine";

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
    if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function planDigest(resources: readonly PlannedResource[]): string {
    const sorted = [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const hash = createHash("sha256");
    for (const r of sorted) hash.update(canonicalJson({ urn: r.urn, type: r.type, inputs: r.props }) + "\n");
    return `sha256:${hash.digest("hex")}`;
}

/** A digest as the user may type it: with or without the `sha256:` prefix, any case. */
export function normaliseDigest(text: string): string | undefined {
    const hex = text.trim().toLowerCase().replace(/^sha256:/, "");
    return /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : undefined;
}

/** The short form printed in logs and tables. */
export function shortDigest(digest: string): string {
    return digest.replace(/^sha256:/, "sha256:").slice(0, "sha256:".length + 12);
}
