/**
 * Client of a region's sync endpoint, for jobs that write or read snapshots (and for the tests
 * and the benchmark): seals payloads before they leave and opens them after they arrive, so the
 * relays only ever hold ciphertext. Every request carries a fresh code of the gate's seed; a
 * region accepts each code once, so a client that has used this step's code and the next waits
 * for the following step (one code per push session, not per item).
 */
import * as http from "http";
import type * as OTPAuth from "otpauth";
import { codeForCounter, TOTP_PARAMETERS, totpCounter, totpFromBase32 } from "../contract/totp";
import { openRequest, readText, requestText } from "./httpsClient";
import { lineBatches, parseLine } from "./ndjson";
import { PayloadCipher } from "./payloadCrypto";
import { AckLine, FeedLine, Meta, OTP_HEADER, parseWireItem, PushLine, sealedToWire, Version } from "./wire";

export interface SyncClientOptions {
    /** Region endpoint, e.g. https://sync.eu-west-1.ai.example.com */
    url: string;
    /** PEM CA bundle the endpoint's certificate chains to (undefined: system roots). */
    ca?: string | Buffer;
    /** The gate's base32 TOTP seed. */
    seed: string;
    /** The gate's payload key material. */
    payloadKeyMaterial: string;
    /** Largest plaintext the endpoint accepts (to size line buffers); default 16 MiB. */
    maxItemBytes?: number;
}

export interface Snapshot {
    name: string;
    meta: Meta;
    version: Version;
    data: Buffer;
}

export interface PushEntry {
    name: string;
    meta?: Meta;
    data: Buffer;
}

export class SyncRequestRefused extends Error {
    constructor(
        readonly status: number,
        readonly reason: string,
    ) {
        super(`the sync endpoint refused the request: ${status} ${reason}`);
        this.name = "SyncRequestRefused";
    }
}

/** Time steps already used per endpoint, shared by every client of this process. */
const usedSteps = new Map<string, Set<number>>();

export class SyncClient {
    private readonly totp: OTPAuth.TOTP;
    private readonly cipher: PayloadCipher;
    private readonly used: Set<number>;
    private readonly maxLine: number;

    constructor(private readonly o: SyncClientOptions) {
        this.totp = totpFromBase32(o.seed);
        this.cipher = PayloadCipher.fromMaterial(o.payloadKeyMaterial);
        const key = new URL(o.url).origin;
        if (!usedSteps.has(key)) usedSteps.set(key, new Set());
        this.used = usedSteps.get(key)!;
        this.maxLine = Math.ceil((o.maxItemBytes ?? 16 * 2 ** 20) / 3) * 4 + 64 * 1024;
    }

    /** The code of a time step (what an authenticator app shows then). */
    codeAt(step: number): string {
        return codeForCounter(this.totp, step);
    }

    /** A code this process has not used on this endpoint yet (waits for the next step if needed). */
    async nextCode(): Promise<string> {
        for (;;) {
            const now = Date.now();
            const current = totpCounter(now);
            for (const step of [current, current + 1]) {
                if (!this.used.has(step)) {
                    this.used.add(step);
                    for (const old of this.used) if (old < current - 2) this.used.delete(old);
                    return this.codeAt(step);
                }
            }
            await new Promise((resolve) => setTimeout(resolve, (current + 1) * TOTP_PARAMETERS.period * 1000 - now + 50));
        }
    }

    /** Seals an entry as a push line (exposed so tests can alter one). */
    seal(entry: PushEntry): PushLine {
        const meta = entry.meta ?? {};
        return { name: entry.name, meta, sealed: sealedToWire(this.cipher.seal(entry.name, meta, entry.data)) };
    }

    /**
     * Pushes entries in one session; each ack arrives once its item is on disk in the region.
     * Resolves with every ack/refusal line; `onLine` sees them as they come (so a caller that
     * loses the connection still knows what was acknowledged).
     */
    async push(entries: Iterable<PushEntry> | AsyncIterable<PushEntry>, onLine?: (line: AckLine) => void): Promise<AckLine[]> {
        return this.pushLines(
            (async function* (client) {
                for await (const entry of entries) yield client.seal(entry);
            })(this),
            onLine,
        );
    }

    /** Pushes prepared lines (already sealed) in one session. */
    async pushLines(lines: Iterable<PushLine> | AsyncIterable<PushLine>, onLine?: (line: AckLine) => void): Promise<AckLine[]> {
        const open = openRequest(new URL("/v1/items", this.o.url), {
            method: "POST",
            headers: { [OTP_HEADER]: await this.nextCode(), "content-type": "application/x-ndjson" },
            ca: this.o.ca,
        });
        const writing = (async () => {
            for await (const line of lines) {
                if (open.req.destroyed) return;
                if (!open.req.write(`${JSON.stringify(line)}\n`)) {
                    await new Promise<void>((resolve) => {
                        const done = () => {
                            open.req.off("drain", done);
                            open.req.off("close", done);
                            resolve();
                        };
                        open.req.on("drain", done);
                        open.req.on("close", done);
                    });
                }
            }
            open.req.end();
        })();
        writing.catch(() => undefined);
        const res = await open.response;
        await refusedUnless200(res);
        const acks: AckLine[] = [];
        for await (const batch of lineBatches(res, 1 << 20)) {
            for (const text of batch) {
                const line = parseLine(text) as AckLine;
                acks.push(line);
                onLine?.(line);
            }
        }
        await writing;
        if (acks[acks.length - 1]?.type !== "end") throw new Error("the push session ended before the region said it was complete");
        return acks;
    }

    /** The latest version of `name` in this region, opened; undefined when the region has none. */
    async get(name: string): Promise<Snapshot | undefined> {
        const response = await requestText(new URL(`/v1/items/${encodeURIComponent(name)}`, this.o.url), {
            method: "GET",
            headers: { [OTP_HEADER]: await this.nextCode() },
            ca: this.o.ca,
            limit: this.maxLine,
        });
        if (response.status === 404) return undefined;
        if (response.status !== 200) throw new SyncRequestRefused(response.status, (parseLine(response.body) as { error?: string })?.error ?? "");
        return this.open(parseWireItem((JSON.parse(response.body) as { item: unknown }).item, Number.MAX_SAFE_INTEGER));
    }

    /** Every item the region holds (its change feed from the start, without following), opened. */
    async all(): Promise<Snapshot[]> {
        const open = openRequest(new URL("/v1/changes?since=0", this.o.url), { method: "GET", headers: { [OTP_HEADER]: await this.nextCode() }, ca: this.o.ca });
        open.req.end();
        const res = await open.response;
        await refusedUnless200(res);
        const result: Snapshot[] = [];
        for await (const batch of lineBatches(res, this.maxLine)) {
            for (const text of batch) {
                const line = parseLine(text) as FeedLine;
                if (line.type === "item") result.push(this.open(parseWireItem(line.item, Number.MAX_SAFE_INTEGER)));
            }
        }
        return result;
    }

    private open(item: ReturnType<typeof parseWireItem>): Snapshot {
        return { name: item.name, meta: item.meta, version: item.version, data: this.cipher.open(item.name, item.meta, item.sealed) };
    }
}

async function refusedUnless200(res: http.IncomingMessage): Promise<void> {
    if (res.statusCode === 200) return;
    const body = await readText(res, 64 * 1024).catch(() => "");
    throw new SyncRequestRefused(res.statusCode ?? 0, (parseLine(body) as { error?: string } | undefined)?.error ?? "");
}
