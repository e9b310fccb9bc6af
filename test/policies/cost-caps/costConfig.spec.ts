import * as assert from "assert";
import { estimateStack } from "../../../policies/cost-caps/costConfig";
import { recorded } from "../support/policyHarness";
import { fleet } from "./rules/costRules.fixture";

describe("cost-caps: one estimate per stack validation", () => {
    const asArgs = () => ({ resources: fleet().map(recorded).map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs! })) as any[] });

    it("gives every rule validating the same resources array the same estimate", () => {
        const args = asArgs();
        const first = estimateStack(args, { defaultRegion: "us-west-2" });
        assert.strictEqual(estimateStack(args, { defaultRegion: "us-west-2" }), first);
    });
    it("estimates again for another array or another default region", () => {
        const args = asArgs();
        const first = estimateStack(args, { defaultRegion: "us-west-2" });
        assert.notStrictEqual(estimateStack(asArgs(), { defaultRegion: "us-west-2" }), first);
        assert.notStrictEqual(estimateStack(args, { defaultRegion: "eu-west-1" }), first);
    });
});
