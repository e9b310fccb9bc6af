import * as assert from "assert";
import { parseComposeBytes, parseComposeCpus, parseQuantity, tryParseQuantity } from "../../contract/quantities";

describe("quantities", () => {
    it("parses Kubernetes CPU quantities", () => {
        assert.strictEqual(parseQuantity("500m"), 0.5);
        assert.strictEqual(parseQuantity("2"), 2);
        assert.strictEqual(parseQuantity("0.25"), 0.25);
        assert.strictEqual(parseQuantity(4), 4);
    });
    it("parses binary and decimal memory quantities", () => {
        assert.strictEqual(parseQuantity("1Gi"), 1073741824);
        assert.strictEqual(parseQuantity("512Mi"), 536870912);
        assert.strictEqual(parseQuantity("1G"), 1e9);
        assert.strictEqual(parseQuantity("128k"), 128000);
        assert.strictEqual(parseQuantity("1e3"), 1000);
        assert.ok(parseQuantity("8G") < parseQuantity("8Gi"));
    });
    it("rejects what is not a quantity, naming the value", () => {
        assert.throws(() => parseQuantity("2 cores"), /invalid Kubernetes quantity "2 cores"/);
        assert.strictEqual(tryParseQuantity("1GB"), undefined);
        assert.strictEqual(tryParseQuantity(undefined), undefined);
    });
    it("parses compose figures with binary units", () => {
        assert.strictEqual(parseComposeBytes("512m"), 512 * 2 ** 20);
        assert.strictEqual(parseComposeBytes("2g"), parseComposeBytes("2048M"));
        assert.strictEqual(parseComposeBytes("1gb"), 2 ** 30);
        assert.strictEqual(parseComposeBytes("lots"), undefined);
        assert.strictEqual(parseComposeCpus("0.5"), 0.5);
        assert.strictEqual(parseComposeCpus(""), undefined);
    });
});
