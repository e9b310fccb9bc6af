/**
 * Dynamic providers under the offline engine's mock runtime.
 *
 * A dynamic resource (the program's private CA and certificates) carries its provider as a
 * serialized JavaScript module in the input `__provider`. The SDK builds that text by capturing
 * the provider's closure through the V8 inspector and parsing it with the TypeScript compiler:
 * about 0.3 s of every offline run, for code the mock runtime never executes. Offline, the input
 * holds a stand-in instead: a digest of the provider's methods, so that editing a provider still
 * changes the plan digest as it would with the real engine.
 */
import { createHash } from "crypto";

/** Start of every stand-in, so that a reader of offline inputs sees what it is. */
export const PROVIDER_STAND_IN_PREFIX = "offline stand-in for a serialized dynamic provider, sha256:";

/** The stand-in text of a provider object: a digest over its members' names and source text. */
export function providerStandIn(provider: object): string {
    const hash = createHash("sha256");
    const members = provider as Record<string, unknown>;
    for (const key of Object.keys(members).sort()) {
        const value = members[key];
        hash.update(`${key}\0${typeof value === "function" ? value.toString() : JSON.stringify(value)}\0`);
    }
    return PROVIDER_STAND_IN_PREFIX + hash.digest("hex");
}

interface ClosureSerializer {
    serializeFunction(func: () => unknown, args?: object): Promise<{ text: string; containsSecrets: boolean }>;
}

/**
 * Makes the SDK's dynamic resources carry `providerStandIn` instead of the serialized closure.
 * The SDK serializes a provider as `serializeFunction(() => provider)`; the stand-in calls that
 * function to get the provider. Only for the mock runtime: a real deployment needs the real text.
 */
export function standInDynamicProviders(): void {
    // The module the SDK's `dynamic.Resource` loads on first use and calls through its exports.
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as ClosureSerializer;
    closure.serializeFunction = async (func) => {
        const provider = func();
        if (!provider || typeof provider !== "object") {
            throw new Error("offline engine: a dynamic resource's provider is not an object");
        }
        return { text: providerStandIn(provider), containsSecrets: false };
    };
}
