/**
 * Reads a `Pulumi.<stack>.yaml` as a careful user would want it read: the whole file must be a
 * mapping with a non-empty `config:` mapping; every key must be namespaced, and a namespace close
 * to the project's (a typo such as `ai-platfrom:`) or to a provider's is an error with a hint, not
 * a key silently ignored; the `aws:` keys the program's provider reads are checked; numbers keep
 * the text the user wrote (`0x10`, `.inf`, `1e3` are not read as 16, Infinity or 1000: the
 * config parser accepts decimal numbers only and quotes them as written).
 */
import { distance } from "fastest-levenshtein";
import { isMap, isScalar, isSeq, parseDocument, Scalar } from "yaml";
import { isAwsRegion } from "../contract/awsRegions";

/** Top-level keys Pulumi knows in a stack file. */
export const STACK_FILE_KEYS = ["config", "encryptionsalt", "secretsprovider", "encryptedkey", "environment"] as const;

/** `aws:` keys the AWS provider reads that a stack file of this project may set. */
export const AWS_PROVIDER_KEYS = [
    "region", "profile", "sharedCredentialsFiles", "sharedConfigFiles", "assumeRole", "defaultTags", "allowedAccountIds",
    "forbiddenAccountIds", "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation",
    "skipRequestingAccountId", "maxRetries", "endpoints", "s3UsePathStyle", "retryMode",
] as const;

/** Namespaces a stack file may carry besides the project's: providers and Pulumi itself. */
export const OTHER_NAMESPACES = ["aws", "kubernetes", "random", "pulumi"] as const;

export interface StackFileContents {
    /** Project-namespace values as strings (numbers as written, lists and mappings as JSON). */
    raw: Record<string, string>;
    /** Every problem, each naming the file, the key and the fix. */
    problems: string[];
}

/** A YAML syntax error that names the file, line and column. */
export class StackFileError extends Error {
    constructor(readonly file: string, message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The text of a scalar as the user wrote it for numbers, its value otherwise. */
function scalarText(node: Scalar): string | undefined {
    const value = node.value;
    if (value === null || value === undefined) return undefined;
    if (typeof value === "number") return typeof node.source === "string" && node.source !== "" ? node.source : String(value);
    return typeof value === "string" ? value : String(value);
}

/** Parses and checks a stack file's text; a YAML syntax error throws a StackFileError naming the file. */
export function readStackFileText(text: string, file: string, project: string): StackFileContents {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length) {
        const first = document.errors[0];
        const at = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : "";
        throw new StackFileError(file, `${file}: not valid YAML${at}: ${first.message.split("\n")[0]}`);
    }
    const problems: string[] = [];
    const raw: Record<string, string> = {};
    const root = document.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
        problems.push(`${file} is empty: a stack file is a mapping with a "config:" mapping of ${project}: keys (copy Pulumi.dev.yaml)`);
        return { raw, problems };
    }
    if (!isMap(root)) {
        problems.push(`${file}: the file must be a mapping with a "config:" mapping, not a ${isSeq(root) ? "list" : "single value"}`);
        return { raw, problems };
    }
    for (const pair of root.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!(STACK_FILE_KEYS as readonly string[]).includes(key)) {
            const hint = closest(key, STACK_FILE_KEYS);
            problems.push(`${file}: top-level key "${key}" is not a stack file key${hint ? ` (did you mean "${hint}"?)` : ""}; known: ${STACK_FILE_KEYS.join(", ")}`);
        }
    }
    const config: unknown = root.get("config", true);
    if (config === undefined || config === null || (isScalar(config) && (config.value === null || config.value === ""))) {
        problems.push(`${file}: "config:" is missing or empty: list the stack's ${project}: keys under it (a stack with every default is not a stack file)`);
        return { raw, problems };
    }
    if (!isMap(config)) {
        problems.push(`${file}: "config:" must be a mapping of "namespace:key: value" entries, not a ${isSeq(config) ? "list" : "single value"}`);
        return { raw, problems };
    }
    const namespaces = [project, ...OTHER_NAMESPACES];
    for (const pair of config.items) {
        const fullKey = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const colon = fullKey.indexOf(":");
        if (colon <= 0) {
            problems.push(`${file}: config key "${fullKey}" has no namespace: write ${project}:${fullKey}`);
            continue;
        }
        const namespace = fullKey.slice(0, colon);
        const name = fullKey.slice(colon + 1);
        const node = pair.value;
        let value: string | undefined;
        if (isScalar(node)) value = scalarText(node);
        else if (node !== null && node !== undefined) value = JSON.stringify((node as { toJSON(): unknown }).toJSON());
        if (namespace === project) {
            if (value === undefined) problems.push(`${file}: ${fullKey} has no value; give it one or remove the line`);
            else raw[name] = value;
            continue;
        }
        if (namespace === "aws") {
            if (!(AWS_PROVIDER_KEYS as readonly string[]).includes(name)) {
                const hint = closest(name, AWS_PROVIDER_KEYS);
                problems.push(`${file}: ${fullKey} is not an AWS provider key this project uses${hint ? ` (did you mean "aws:${hint}"?)` : ""}`);
            } else if (name === "region" && !(value && isAwsRegion(value))) {
                problems.push(`${file}: aws:region = ${JSON.stringify(value)}: must be an AWS region name such as us-west-2`);
            }
            continue;
        }
        if ((OTHER_NAMESPACES as readonly string[]).includes(namespace)) continue;
        const near = closest(namespace, namespaces, 3);
        if (near) {
            problems.push(`${file}: namespace "${namespace}" in ${fullKey} is unknown (did you mean "${near}:${name}"?); the key would be ignored`);
        }
    }
    return { raw, problems };
}

function closest(name: string, known: readonly string[], limit?: number): string | undefined {
    let best: { key: string; d: number } | undefined;
    for (const key of known) {
        const d = distance(name.toLowerCase(), key.toLowerCase());
        if (!best || d < best.d) best = { key, d };
    }
    const max = limit ?? Math.max(2, Math.floor(name.length / 4));
    return best && best.d <= max && best.d > 0 ? best.key : undefined;
}
