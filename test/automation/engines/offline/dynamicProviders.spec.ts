import * as assert from "assert";
import { PROVIDER_STAND_IN_PREFIX, providerStandIn } from "../../../../automation/engines/offline/dynamicProviders";

describe("offline dynamic provider stand-in", () => {
    const provider = {
        async create(inputs: { n: number }) {
            return { id: "x", outs: { n: inputs.n + 1 } };
        },
    };

    it("is the same text for the same provider, with a prefix that says what it is", () => {
        const text = providerStandIn(provider);
        assert.ok(text.startsWith(PROVIDER_STAND_IN_PREFIX), text);
        assert.match(text.slice(PROVIDER_STAND_IN_PREFIX.length), /^[0-9a-f]{64}$/);
        assert.strictEqual(providerStandIn({ ...provider }), text);
    });

    it("changes when a method's code changes or a method is added", () => {
        const edited = {
            async create(inputs: { n: number }) {
                return { id: "x", outs: { n: inputs.n + 2 } };
            },
        };
        const extended = {
            ...provider,
            async diff() {
                return { changes: false };
            },
        };
        assert.notStrictEqual(providerStandIn(edited), providerStandIn(provider));
        assert.notStrictEqual(providerStandIn(extended), providerStandIn(provider));
    });
});
