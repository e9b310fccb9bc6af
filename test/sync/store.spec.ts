/** The durable last-write-wins store: idempotent, order-independent, crash-safe, compacting. */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareVersions } from "../../sync/hlc";
import { SyncStore } from "../../sync/store";
import { Item, Version } from "../../sync/wire";

function item(name: string, version: Version, payload = `payload of ${name} ${version.wall}.${version.logical}.${version.region}`): Item {
    return {
        name,
        meta: { kind: "test" },
        version,
        sealed: { alg: "A256GCM", kid: "0123456789abcdef", nonce: crypto.randomBytes(12), tag: crypto.randomBytes(16), ct: Buffer.from(payload) },
    };
}
const v = (wall: number, region = "us-west-2", logical = 0): Version => ({ wall, logical, region });

/** name -> [version, payload] of everything a store holds. */
function contents(store: SyncStore): Record<string, [Version, string]> {
    const result: Record<string, [Version, string]> = {};
    for (const entry of store.changesSince(0, Number.MAX_SAFE_INTEGER)) {
        const it = store.readLive(entry)!;
        result[it.name] = [it.version, it.sealed.ct.toString()];
    }
    return result;
}

describe("sync: durable store", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-store-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("applies last-write-wins and reports what happened to each item", async () => {
        const store = await SyncStore.open(dir);
        const results = await store.apply([item("a", v(10)), item("a", v(5)), item("b", v(7))]);
        assert.deepStrictEqual(results.map((r) => r.outcome), ["applied", "superseded", "applied"]);
        assert.deepStrictEqual(results[1].version, v(10), "a superseded write learns the winning version");
        assert.deepStrictEqual((await store.apply([item("a", v(10))]))[0].outcome, "unchanged");
        assert.deepStrictEqual((await store.apply([item("a", v(10, "us-west-2", 1))]))[0].outcome, "applied");
        assert.strictEqual(store.size, 2);
        assert.strictEqual(store.head, 3);
        await store.close();
    });

    it("converges to the same state whatever the order of, and the replays among, the writes", async () => {
        const writes: Item[] = [];
        for (let i = 0; i < 60; i++) writes.push(item(`k${i % 7}`, v(1000 + (i % 5), ["us-west-2", "eu-west-1", "ap-southeast-1"][i % 3], i % 2)));
        const expected: Record<string, Version> = {};
        for (const w of writes) if (!expected[w.name] || compareVersions(w.version, expected[w.name]) > 0) expected[w.name] = w.version;
        const states: string[] = [];
        for (let round = 0; round < 4; round++) {
            const roundDir = path.join(dir, `r${round}`);
            const store = await SyncStore.open(roundDir);
            const shuffled = [...writes, ...writes.slice(0, 20)].sort(() => Math.random() - 0.5);
            // In batches of random sizes, some concurrently.
            const batches: Item[][] = [];
            for (let i = 0; i < shuffled.length; ) {
                const n = 1 + Math.floor(Math.random() * 9);
                batches.push(shuffled.slice(i, i + n));
                i += n;
            }
            await Promise.all(batches.map((b) => store.apply(b)));
            const state = contents(store);
            assert.deepStrictEqual(Object.fromEntries(Object.entries(state).map(([k, [version]]) => [k, version])), expected);
            states.push(JSON.stringify(Object.entries(state).sort()));
            await store.close();
        }
        assert.strictEqual(new Set(states).size, 1);
    });

    it("keeps everything acknowledged across a reopen, with the same store id and sequence numbers", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1)), item("b", v(2))]);
        await store.apply([item("a", v(3))]);
        const before = contents(store);
        const { storeId, head } = store;
        await store.close();
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(contents(reopened), before);
        assert.strictEqual(reopened.storeId, storeId);
        assert.strictEqual(reopened.head, head);
        assert.deepStrictEqual((await reopened.apply([item("c", v(4))])).map((r) => r.outcome), ["applied"]);
        assert.strictEqual(reopened.head, head + 1);
        await reopened.close();
    });

    it("cuts a record torn by a crash and keeps the ones before it", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1)), item("b", v(2))]);
        await store.close();
        const segment = path.join(dir, "segments", "00000001.log");
        const goodSize = fs.statSync(segment).size;
        // A half-written third record: a length prefix promising more than was written.
        const torn = Buffer.alloc(20);
        torn.writeUInt32BE(5000, 0);
        fs.appendFileSync(segment, torn);
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(Object.keys(contents(reopened)).sort(), ["a", "b"]);
        assert.strictEqual(fs.statSync(segment).size, goodSize, "the torn tail is cut");
        await reopened.apply([item("c", v(3))]);
        await reopened.close();
        const again = await SyncStore.open(dir);
        assert.deepStrictEqual(Object.keys(contents(again)).sort(), ["a", "b", "c"]);
        await again.close();
    });

    it("stops at a record whose checksum does not match", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1))]);
        await store.apply([item("b", v(2), "second payload")]);
        await store.close();
        const segment = path.join(dir, "segments", "00000001.log");
        const bytes = fs.readFileSync(segment);
        const at = bytes.lastIndexOf(Buffer.from("second payload"));
        bytes[at] ^= 0xff;
        fs.writeFileSync(segment, bytes);
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(Object.keys(contents(reopened)), ["a"]);
        assert.strictEqual(reopened.renewedId, false, "a bad last record is a torn write, not damage");
        await reopened.close();
    });

    it("takes a new store id when damage in the middle of the log cut acknowledged records", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1), "first payload")]);
        await store.apply([item("b", v(2), "second payload")]);
        const { storeId } = store;
        await store.close();
        const segment = path.join(dir, "segments", "00000001.log");
        const bytes = fs.readFileSync(segment);
        bytes[bytes.indexOf(Buffer.from("first payload"))] ^= 0xff;
        fs.writeFileSync(segment, bytes);
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(Object.keys(contents(reopened)), []);
        assert.strictEqual(reopened.renewedId, true);
        assert.notStrictEqual(reopened.storeId, storeId, "peers must read this store again from the start");
        await reopened.close();
    });

    it("compacts overwritten records away and stays intact", async () => {
        const store = await SyncStore.open(dir, { compactAfterDeadBytes: 4096 });
        for (let round = 1; round <= 50; round++) {
            await store.apply(["a", "b", "c"].map((name) => item(name, v(round), `${name}:${round}:${"x".repeat(200)}`)));
        }
        const stats = store.stats();
        assert.ok(stats.diskBytes < 3 * stats.liveBytes, JSON.stringify(stats));
        assert.deepStrictEqual(fs.readdirSync(path.join(dir, "segments")).length, 1);
        const before = contents(store);
        assert.strictEqual(before.a[1].slice(0, 5), "a:50:");
        // The feed lists each live item once, in write order.
        assert.deepStrictEqual(store.changesSince(0, 100).map((e) => e.name), ["a", "b", "c"]);
        await store.close();
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(contents(reopened), before);
        await reopened.close();
    });

    it("lists changes after a sequence number, skipping writes that were replaced", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1)), item("b", v(2)), item("c", v(3))]);
        await store.apply([item("a", v(4))]);
        assert.deepStrictEqual(store.changesSince(0, 10).map((e) => [e.name, e.seq]), [["b", 2], ["c", 3], ["a", 4]]);
        assert.deepStrictEqual(store.changesSince(2, 10).map((e) => e.name), ["c", "a"]);
        assert.deepStrictEqual(store.changesSince(4, 10), []);
        const stale = store.changesSince(0, 10)[0];
        await store.apply([item("b", v(5))]);
        assert.strictEqual(store.readLive(stale), undefined, "a replaced entry is not read");
        await store.close();
    });

    it("merges two segments left by a crash in the middle of a compaction", async () => {
        const store = await SyncStore.open(dir);
        await store.apply([item("a", v(1)), item("b", v(2))]);
        await store.close();
        fs.copyFileSync(path.join(dir, "segments", "00000001.log"), path.join(dir, "segments", "00000002.log"));
        fs.writeFileSync(path.join(dir, "segments", "00000003.log.tmp"), "half a compaction");
        const reopened = await SyncStore.open(dir);
        assert.deepStrictEqual(Object.keys(contents(reopened)).sort(), ["a", "b"]);
        assert.deepStrictEqual(fs.readdirSync(path.join(dir, "segments")), ["00000003.log"]);
        await reopened.close();
    });
});
