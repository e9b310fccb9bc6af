import * as assert from "assert";
import * as awsSdk from "@pulumi/aws";
import * as k8sSdk from "@pulumi/kubernetes";
import { aws, k8s } from "../../../policies/shared/resourceClasses";

/** Every `[path, stand-in]` of a nested object of stand-ins. */
function standIns(tree: object, prefix: string[] = []): [string[], { __pulumiType: string }][] {
    return Object.entries(tree).flatMap(([key, value]) =>
        typeof (value as { __pulumiType?: unknown }).__pulumiType === "string" ? [[[...prefix, key], value]] : standIns(value, [...prefix, key]),
    );
}

describe("policies/shared/resourceClasses: SDK class stand-ins", () => {
    for (const [name, tree, sdk] of [["aws", aws, awsSdk], ["k8s", k8s, k8sSdk]] as const) {
        it(`every ${name} stand-in carries the type token of the SDK class at the same path`, () => {
            const entries = standIns(tree);
            assert.ok(entries.length > 5, `${name}: ${entries.length} stand-ins`);
            for (const [pathParts, standIn] of entries) {
                const sdkClass = pathParts.reduce<any>((node, key) => node?.[key], sdk);
                assert.strictEqual(typeof sdkClass, "function", `${name}.${pathParts.join(".")} is no class of the SDK`);
                assert.strictEqual(standIn.__pulumiType, sdkClass.__pulumiType, `${name}.${pathParts.join(".")}`);
            }
        });
    }
});
