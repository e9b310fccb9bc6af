/**
 * Whether one resource's property refers to another resource, from inputs alone.
 *
 * A reference such as `bucket: bucket.id` reaches a policy as the referenced resource's id (a
 * real engine after creation, or the mocks' `<name>-id`), its physical name, or its ARN; during
 * a real preview it may be unknown, in which case the engine's dependency list still names it.
 */
import { read, UNKNOWN } from "./props";

export interface ReferenceTarget {
    name: string;
    urn: string;
    props: Record<string, any>;
}

export interface ReferenceSource {
    props: Record<string, any>;
    dependencies?: Array<{ urn: string }>;
    propertyDependencies?: Record<string, Array<{ urn: string }>>;
}

/** The values by which `target` can be referred to: mock id, id, physical name, ARN, URN. */
function identifiersOf(target: ReferenceTarget, physicalNameKeys: string[] = ["name", "bucket", "dnsName"]): Set<string> {
    const ids = new Set<string>([`${target.name}-id`, target.name, target.urn]);
    for (const key of ["id", "arn", ...physicalNameKeys]) {
        const value = read(target.props, key);
        if (typeof value === "string" && value !== "") {
            ids.add(value);
        }
    }
    return ids;
}

/**
 * True when `source.props[property]` refers to `target`: its value is one of the target's
 * identifiers or, when the value is unknown, the engine records a dependency on the target.
 */
export function refersTo(source: ReferenceSource, property: string | Array<string | number>, target: ReferenceTarget): boolean {
    const path = Array.isArray(property) ? property : [property];
    const value = read(source.props, ...path);
    if (typeof value === "string") {
        return identifiersOf(target).has(value) || isComputedIdentifierOf(value, target.name);
    }
    if (value === UNKNOWN || value === undefined) {
        const byProperty = source.propertyDependencies?.[String(path[0])];
        const deps = byProperty ?? (value === UNKNOWN ? source.dependencies : undefined);
        return (deps ?? []).some((dep) => dep.urn === target.urn);
    }
    return false;
}

/**
 * ARNs and DNS names computed from a resource's name: `arn:...:<name>` or `arn:.../<name>` (the
 * offline mocks and most ARNs end with the resource name) and `<name>.<domain>` host names.
 */
function isComputedIdentifierOf(value: string, name: string): boolean {
    if (value.startsWith("arn:")) {
        return value.endsWith(`:${name}`) || value.endsWith(`/${name}`);
    }
    return value.startsWith(`${name}.`);
}
