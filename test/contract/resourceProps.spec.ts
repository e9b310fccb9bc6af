import * as assert from "assert";
import { isSet, list, markersOf, numberAt, read, UNKNOWN } from "../../contract/resourceProps";
import { asPreviewProps, UNKNOWN_STRING } from "../policies/support/previewUnknowns";

describe("resource properties: the one reader", () => {
    const props = asPreviewProps({ kmsKeyId: UNKNOWN_STRING, size: "50", nested: { list: [1, 2] }, tags: [{ key: "a", value: "1" }, { key: "b", value: 2 }] });

    it("reads the policy SDK's unknown value as UNKNOWN, absent as undefined", () => {
        assert.strictEqual(read(props, "kmsKeyId"), UNKNOWN);
        assert.strictEqual(read(props, "kmsKeyId", "deeper"), UNKNOWN);
        assert.strictEqual(read(props, "missing", "deeper"), undefined);
    });
    it("counts an unknown value as set but not as a number", () => {
        assert.strictEqual(isSet(props, "kmsKeyId"), true);
        assert.strictEqual(numberAt(props, "kmsKeyId"), undefined);
        assert.strictEqual(numberAt(props, "size"), 50);
        // A copy: Node 22's deepStrictEqual tells the preview proxy from a plain array.
        assert.deepStrictEqual([...list(props, "nested", "list")], [1, 2]);
    });
    it("reads tags given as a map or as an autoscaling group's key/value list", () => {
        assert.deepStrictEqual(markersOf(props), { a: "1", b: "2" });
        assert.deepStrictEqual(markersOf({ tags: { a: "1" }, metadata: { labels: { c: "3" } } }), { a: "1", c: "3" });
    });
    it("rethrows errors that are not unknown values", () => {
        const broken = { get value(): never { throw new TypeError("boom"); } };
        assert.throws(() => read(broken, "value"), /boom/);
    });
});
