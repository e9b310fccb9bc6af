/**
 * Type tokens from the SDK classes (or their stand-ins in ./resourceClasses), so that rules
 * compare against the tokens the SDK registers (the same check `validateResourceOfType`/`isType`
 * make) instead of hand-written strings.
 */
export type ResourceClass = new (...args: any[]) => unknown;

/** The Pulumi type token of an SDK resource class, e.g. `aws:s3/bucketV2:BucketV2`. */
export function typeToken(resourceClass: ResourceClass): string {
    const token = (resourceClass as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string" || token === "") {
        throw new Error(`${resourceClass.name} has no Pulumi type token`);
    }
    return token;
}

/** The set of type tokens of several SDK classes. */
export function typeTokens(...classes: ResourceClass[]): ReadonlySet<string> {
    return new Set(classes.map(typeToken));
}
