/**
 * Real relays (three regions on loopback, TLS 1.3, the bundled service): writes reach every
 * region decrypted, a stopped region catches up, concurrent writes converge on one winner, and a
 * `kill -9` during a write loses nothing that was acknowledged.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import * as net from "net";
import { compareVersions } from "../../sync/hlc";
import { PushEntry, Snapshot } from "../../sync/client";
import { AckLine, Version } from "../../sync/wire";
import { startTestbed, Testbed } from "../../sync/testbed";

const [A, B, C] = ["us-west-2", "eu-west-1", "ap-southeast-1"];

type Ack = Extract<AckLine, { type: "ack" }>;
const acksOf = (lines: AckLine[]) => lines.filter((l): l is Ack => l.type === "ack");

function payload(name: string, bytes: number): Buffer {
    // Deterministic, incompressible-looking content that names its item.
    const seed = crypto.createHash("sha256").update(name).digest();
    const out = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i += 32) crypto.createHash("sha256").update(seed).update(String(i)).digest().copy(out, i);
    return out;
}

const summary = (snapshots: Snapshot[]) =>
    Object.fromEntries(snapshots.map((s) => [s.name, { version: s.version, sha256: crypto.createHash("sha256").update(s.data).digest("hex") }]));

describe("sync relays: replication (real processes, TLS, loopback)", function () {
    this.timeout(180_000);
    let tb: Testbed | undefined;
    afterEach(async () => {
        await tb?.close();
        tb = undefined;
    });

    it("makes a write in one region readable, decrypted, in all three", async () => {
        tb = await startTestbed();
        const entries: PushEntry[] = [
            { name: "backups/postgres/2026-12-01.dump", meta: { kind: "pg_dump", database: "sutazai" }, data: payload("pg", 1 << 20) },
            { name: "backups/neo4j/graph.tar", meta: { kind: "neo4j" }, data: payload("neo4j", 4096) },
            { name: "state/empty", data: Buffer.alloc(0) },
        ];
        const lines = await tb.client(A).push(entries);
        const acks = acksOf(lines);
        assert.deepStrictEqual(acks.map((a) => a.status), ["applied", "applied", "applied"]);
        assert.ok(acks.every((a) => a.version.region === A));
        await tb.converged(entries.length);
        // Region A (which used a code for the push) reads its whole feed; B and C read item by item.
        const inA = await tb.client(A).all();
        assert.deepStrictEqual(inA.map((s) => [s.name, s.data]).sort(), entries.map((e) => [e.name, e.data]).sort());
        for (const region of [B, C]) {
            const client = tb.client(region);
            for (const entry of entries.slice(0, 2)) {
                const got = await client.get(entry.name);
                assert.ok(got, `${entry.name} missing in ${region}`);
                assert.deepStrictEqual(got.data, entry.data, `${entry.name} differs in ${region}`);
                assert.deepStrictEqual(got.meta, entry.meta);
                assert.deepStrictEqual(got.version, acks.find((a) => a.name === entry.name)!.version);
            }
        }
        // Metrics of a converged region: every item, no lag to any peer.
        for (const region of [B, C]) {
            assert.strictEqual(await tb.relay(region).metric("sync_items", tb.pki.ca), 3);
            for (const peer of [A, B, C].filter((r) => r !== region)) {
                assert.strictEqual(await tb.relay(region).metric(`sync_peer_lag_items{peer="${peer}"}`, tb.pki.ca), 0);
            }
        }
    });

    it("tells alive from ready: alive at once, ready only once every peer is caught up or known to be down", async () => {
        tb = await startTestbed({ start: false });
        // The peers' ports take connections and never answer: their state is unknown.
        const held: net.Socket[] = [];
        const holes = await Promise.all(
            [B, C].map(
                (region) =>
                    new Promise<net.Server>((resolve) => {
                        const server = net.createServer((socket) => held.push(socket));
                        server.listen(tb!.relay(region).port, "127.0.0.1", () => resolve(server));
                    }),
            ),
        );
        const relay = tb.relay(A);
        await relay.start();
        for (let i = 0; i < 5; i++) {
            assert.strictEqual((await relay.probe("/healthz", tb.pki.ca)).status, 200);
            const ready = await relay.probe("/readyz", tb.pki.ca);
            assert.strictEqual(ready.status, 503, ready.body);
            await new Promise((r) => setTimeout(r, 100));
        }
        // The peers go down for good: after a few failed attempts they no longer hold readiness back.
        for (const socket of held) socket.destroy();
        await Promise.all(holes.map((server) => new Promise((resolve) => server.close(resolve))));
        const deadline = Date.now() + 20_000;
        while ((await relay.probe("/readyz", tb.pki.ca)).status !== 200) {
            assert.ok(Date.now() < deadline, "not ready although every peer is unreachable");
            await new Promise((r) => setTimeout(r, 100));
        }
        const status = JSON.parse((await relay.probe("/readyz", tb.pki.ca)).body);
        assert.ok(status.peers.every((p: any) => !p.connected && p.consecutiveFailures >= 3), JSON.stringify(status));
        // A peer that comes back and has nothing new keeps the region ready; one with a backlog is followed.
        await tb.relay(B).start();
        await tb.client(B).push([{ name: "after/return", data: Buffer.from("x") }]);
        const until = Date.now() + 20_000;
        while ((await relay.metric("sync_items", tb.pki.ca)) !== 1) {
            assert.ok(Date.now() < until, "the returning peer's write did not arrive");
            await new Promise((r) => setTimeout(r, 100));
        }
    });

    it("lets a region stopped during writes catch up after its restart", async () => {
        tb = await startTestbed();
        const total = 300;
        const entries = Array.from({ length: total }, (_, i) => ({ name: `snapshots/${String(i).padStart(4, "0")}`, data: payload(`s${i}`, 8192) }));
        let stopped: Promise<unknown> | undefined;
        async function* slowly() {
            for (const [i, entry] of entries.entries()) {
                if (i === 100) stopped = tb!.relay(C).stop();
                if (i % 25 === 0) await new Promise((r) => setTimeout(r, 20));
                yield entry;
            }
        }
        const lines = await tb.client(A).push(slowly());
        assert.strictEqual(acksOf(lines).length, total);
        assert.strictEqual(await stopped, 0, "the region stopped cleanly");
        await tb.converged(total); // the two running regions
        await tb.relay(C).start();
        // The restarted region came back with what it had on disk: less than everything.
        const listening = tb.relay(C).output.split("\n").filter((l) => l.includes('"msg":"listening"'));
        const heldAtRestart = JSON.parse(listening[listening.length - 1]).items;
        assert.ok(heldAtRestart < total, `held ${heldAtRestart} of ${total} at restart`);
        await tb.converged(total);
        const inC = await tb.client(C).all();
        assert.deepStrictEqual(summary(inC), summary(await tb.client(A).all()));
        for (const entry of entries) assert.deepStrictEqual(inC.find((s) => s.name === entry.name)?.data, entry.data);
    });

    it("converges concurrent writes of the same keys in two regions on the same winner everywhere", async () => {
        tb = await startTestbed();
        const keys = Array.from({ length: 20 }, (_, i) => `shared/${i}`);
        const [fromA, fromB] = await Promise.all(
            [A, B].map((region) => tb!.client(region).push(keys.map((name) => ({ name, meta: { writer: region }, data: payload(`${region}:${name}`, 2048) })))),
        );
        const winners: Record<string, { version: Version; writer: string }> = {};
        for (const [writer, lines] of [[A, fromA], [B, fromB]] as const) {
            for (const ack of acksOf(lines)) {
                if (!winners[ack.name] || compareVersions(ack.version, winners[ack.name].version) > 0) winners[ack.name] = { version: ack.version, writer };
            }
        }
        await tb.converged(keys.length);
        const states = await Promise.all([A, B, C].map((region) => tb!.client(region).all()));
        for (const [i, state] of states.entries()) {
            assert.strictEqual(state.length, keys.length);
            for (const snapshot of state) {
                const winner = winners[snapshot.name];
                assert.deepStrictEqual(snapshot.version, winner.version, `${snapshot.name} in ${[A, B, C][i]}`);
                assert.strictEqual(snapshot.meta.writer, winner.writer);
                assert.deepStrictEqual(snapshot.data, payload(`${winner.writer}:${snapshot.name}`, 2048));
            }
        }
        assert.deepStrictEqual(summary(states[0]), summary(states[1]));
        assert.deepStrictEqual(summary(states[1]), summary(states[2]));
    });

    it("loses nothing acknowledged when the region is killed (-9) in the middle of a write", async () => {
        tb = await startTestbed();
        const relay = tb.relay(A);
        const acked = new Map<string, Version>();
        let killed: Promise<void> | undefined;
        async function* endless() {
            for (let i = 0; i < 5000; i++) {
                if (killed) return;
                yield { name: `crash/${i}`, data: payload(`crash${i}`, 32 * 1024) };
            }
        }
        const pushing = tb.client(A).push(endless(), (line) => {
            if (line.type !== "ack") return;
            acked.set(line.name, line.version);
            if (acked.size === 200 && !killed) killed = relay.kill();
        });
        await assert.rejects(pushing, "the session dies with the process");
        await killed;
        assert.ok(acked.size >= 200, String(acked.size));
        await relay.start();
        const held = new Map((await tb.client(A).all()).map((s) => [s.name, s]));
        for (const [name, version] of acked) {
            const snapshot = held.get(name);
            assert.ok(snapshot, `${name} was acknowledged but is gone after the crash`);
            assert.deepStrictEqual(snapshot.version, version);
            assert.deepStrictEqual(snapshot.data, payload(`crash${name.slice("crash/".length)}`, 32 * 1024));
        }
        // What the crash cut off was never acknowledged; what survived converges everywhere.
        await tb.converged(held.size);
    });
});
