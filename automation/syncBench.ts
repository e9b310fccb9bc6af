/**
 * The cross-region sync's figures for `npm run bench`: three real relays (the bundled service,
 * one process per region) on loopback with TLS 1.3, as the tests start them (sync/testbed.ts).
 *
 *   push      N items of S KiB, sealed beforehand, pushed into one region in one session: from the
 *             request to the last acknowledgement (each ack = item on disk in that region)
 *   converge  the same push, until all three regions hold all N items (the two others pull the
 *             first region's change feed)
 *   spread    N more items, a third written into each region at once, until every region holds
 *             all 2N
 *
 * Override the size with BENCH_SYNC_ITEMS and BENCH_SYNC_ITEM_KB.
 */
import * as crypto from "crypto";
import { PushLine } from "../sync/wire";
import { startTestbed, Testbed } from "../sync/testbed";

export interface SyncBenchResult {
    items: number;
    itemBytes: number;
    pushMs: number;
    convergeMs: number;
    spreadConvergeMs: number;
    sealMs: number;
    /** CPU time of the three relays over the whole run (ms), when the OS tells. */
    relaysCpuMs?: number;
}

const MB = 1e6;

async function untilAllHold(tb: Testbed, count: number, started: number, timeoutMs = 300_000): Promise<number> {
    for (;;) {
        const counts = await Promise.all(tb.relays.map((r) => r.metric("sync_items", tb.pki.ca)));
        if (counts.every((c) => c === count)) return Date.now() - started;
        if (Date.now() - started > timeoutMs) throw new Error(`not converged on ${count} items within ${timeoutMs} ms: ${counts.join(", ")}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

export async function runSyncBenchmark(items = Number(process.env.BENCH_SYNC_ITEMS ?? 2000), itemKb = Number(process.env.BENCH_SYNC_ITEM_KB ?? 16)): Promise<SyncBenchResult> {
    const itemBytes = itemKb * 1024;
    const tb = await startTestbed();
    try {
        const [a, b, c] = tb.relays.map((r) => tb.client(r.region));
        const data = (i: number, tag: string) => crypto.createHash("sha256").update(`${tag}${i}`).digest().toString("hex").repeat(Math.ceil(itemBytes / 64)).slice(0, itemBytes);
        const sealStarted = Date.now();
        const lines: PushLine[] = Array.from({ length: items }, (_, i) => a.seal({ name: `bench/push/${i}`, meta: { kind: "bench" }, data: Buffer.from(data(i, "p")) }));
        const sealMs = Date.now() - sealStarted;

        const started = Date.now();
        const acks = await a.pushLines(lines);
        const pushMs = Date.now() - started;
        const applied = acks.filter((l) => l.type === "ack").length;
        if (applied !== items) throw new Error(`push acknowledged ${applied} of ${items} items`);
        const convergeMs = await untilAllHold(tb, items, started);

        const third = Math.ceil(items / 3);
        const spreadLines = [a, b, c].map((client, k) =>
            Array.from({ length: Math.min(third, items - k * third) }, (_, i) => client.seal({ name: `bench/spread/${k}/${i}`, data: Buffer.from(data(i, `s${k}`)) })),
        );
        const spreadStarted = Date.now();
        await Promise.all([a, b, c].map((client, k) => client.pushLines(spreadLines[k])));
        const spreadConvergeMs = await untilAllHold(tb, 2 * items, spreadStarted);
        const cpu = tb.relays.map((r) => r.cpuMs());
        const relaysCpuMs = cpu.every((c) => c !== undefined) ? cpu.reduce((sum, c) => sum! + c!, 0) : undefined;
        return { items, itemBytes, pushMs, convergeMs, spreadConvergeMs, sealMs, relaysCpuMs };
    } finally {
        await tb.close();
    }
}

export function printSyncBenchmark(r: SyncBenchResult): void {
    const payloadMb = (r.items * r.itemBytes) / MB;
    const rate = (ms: number) => `${Math.round((r.items / ms) * 1000)} items/s, ${((payloadMb / ms) * 1000).toFixed(1)} MB/s`;
    console.log(`cross-region sync - 3 relays (one process per region), TLS 1.3 on loopback, ${r.items} items of ${r.itemBytes / 1024} KiB (${payloadMb.toFixed(1)} MB of payload)`);
    console.log(`  push into one region, acked on disk:        ${r.pushMs} ms  (${rate(r.pushMs)})`);
    console.log(`  converge those ${r.items} items in all 3 regions: ${r.convergeMs} ms  (${rate(r.convergeMs)} end to end)`);
    console.log(`  ${r.items} more written a third per region at once, converged everywhere: ${r.spreadConvergeMs} ms`);
    console.log(`  (client-side sealing with AES-256-GCM, not in the figures above: ${r.sealMs} ms)`);
    if (r.relaysCpuMs !== undefined) {
        console.log(`  CPU of the three relays for all ${2 * r.items} items (load-independent cost): ${r.relaysCpuMs} ms, ${((r.relaysCpuMs * 1000) / (2 * r.items)).toFixed(0)} us per item synced to all 3 regions`);
    }
}
