/** Wire validation: what a relay accepts from a client or a peer. */
import * as assert from "assert";
import * as crypto from "crypto";
import { checkName, checkSealed, feedItemLine, InvalidItemError, Item, itemToWire, parsePushLine } from "../../sync/wire";

const sealed = () => ({ alg: "A256GCM", kid: "0123456789abcdef", nonce: crypto.randomBytes(12).toString("base64"), tag: crypto.randomBytes(16).toString("base64"), ct: crypto.randomBytes(30).toString("base64") });

describe("sync: wire validation", () => {
    it("accepts snapshot names and refuses control characters, spaces and leading punctuation", () => {
        for (const name of ["backups/postgres/2026-12-01.dump", "a", "state:v1@eu-west-1"]) assert.strictEqual(checkName(name), name);
        for (const name of ["", " x", "../x", "a b", "a\nb", "x".repeat(513)]) assert.throws(() => checkName(name), InvalidItemError);
    });
    it("accepts canonical base64 only, and bounds the payload", () => {
        assert.ok(checkSealed(sealed(), 1024).ct.length === 30);
        assert.throws(() => checkSealed({ ...sealed(), ct: "AAA*AAAA" }, 1024), /base64/);
        assert.throws(() => checkSealed({ ...sealed(), ct: "AAAAA" }, 1024), /base64/);
        assert.throws(() => checkSealed({ ...sealed(), nonce: crypto.randomBytes(8).toString("base64") }, 1024), /12 bytes/);
        assert.throws(() => checkSealed({ ...sealed(), alg: "none" }, 1024), InvalidItemError);
        assert.throws(() => checkSealed(sealed(), 10), (e: InvalidItemError) => e.reason === "too-large");
    });
    it("refuses metadata that is not a small object of strings", () => {
        assert.throws(() => parsePushLine({ name: "a", meta: { n: 1 }, sealed: sealed() }, 1024), /meta/);
        assert.throws(() => parsePushLine({ name: "a", meta: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])), sealed: sealed() }, 1024), /at most 32/);
    });
    it("writes feed lines that parse to the same item as the generic encoder's", () => {
        const item: Item = { name: "a/b", meta: { note: 'quote " and \\\\' }, version: { wall: 1, logical: 2, region: "eu-west-1" }, sealed: checkSealed(sealed(), 1024) };
        const line = feedItemLine(42, item);
        assert.ok(line.endsWith("\n"));
        assert.deepStrictEqual(JSON.parse(line), { type: "item", seq: 42, item: itemToWire(item) });
    });
});
