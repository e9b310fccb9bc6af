import * as assert from "assert";
import { kubeObjectsOf } from "../../../policies/shared/kubernetes";
import { markersOf } from "../../../contract/resourceProps";

const deployment = (name: string, replicas: number) => ({
    type: "kubernetes:apps/v1:Deployment",
    name,
    urn: `urn:pulumi:s::p::kubernetes:apps/v1:Deployment::${name}`,
    props: { metadata: { name, namespace: "ns", labels: { app: name } }, spec: { replicas } },
});

describe("policies/shared/kubernetes: the objects of one evaluation", () => {
    it("builds the objects once per resources array and shares them read-only", () => {
        const resources = [deployment("a", 2), { type: "aws:s3/bucket:Bucket", name: "b", urn: "urn:b", props: {} }];
        const first = kubeObjectsOf(resources);
        assert.strictEqual(kubeObjectsOf(resources), first, "the second rule of an evaluation gets the same objects");
        assert.deepStrictEqual(first.map((o) => [o.kind, o.name, o.namespace, o.spec.replicas]), [["Deployment", "a", "ns", 2]]);
        assert.ok(Object.isFrozen(first));
    });

    it("reads a new evaluation's resources afresh, even for the same resource names", () => {
        const before = kubeObjectsOf([deployment("a", 2)]);
        const after = kubeObjectsOf([deployment("a", 5)]);
        assert.strictEqual(before[0].spec.replicas, 2);
        assert.strictEqual(after[0].spec.replicas, 5);
    });

    it("reads the markers of a props object once, frozen, and another object's afresh", () => {
        const props = { tags: { "ai-platform:tier": "3" } };
        const markers = markersOf(props);
        assert.strictEqual(markersOf(props), markers);
        assert.ok(Object.isFrozen(markers));
        assert.deepStrictEqual(markersOf({ tags: [{ key: "ai-platform:tier", value: 2 }] }), { "ai-platform:tier": "2" });
    });
});
