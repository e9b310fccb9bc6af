/**
 * The durable, last-write-wins item store of one region.
 *
 * On disk: `<dir>/segments/<8 digits>.log`, an append-only log of records
 *   u32 body length | u32 CRC-32 of body | body = u32 header length | header JSON | ciphertext
 * and `<dir>/store-id`, a random id that changes when the directory starts empty or when a
 * damaged record had to be cut from the middle of the log (peers keep their feed cursor per store
 * id, so a region that lost data is read again from the start, and sequence numbers it hands out
 * again are never mistaken for ones a peer has already seen).
 *
 * Writes are applied in batches by one writer: each winning item gets the next sequence number,
 * the batch is appended with one write and flushed with fdatasync, and only then does the index
 * change and the caller learn the outcome; an acknowledged item is therefore on disk. A record
 * torn by a crash fails its length or CRC check on the next start and the log is cut there.
 * Applying is idempotent: an item whose version is not newer than the stored one is not written.
 * When dead records outweigh live ones, the live records are copied into a new segment
 * (written, flushed, renamed into place) and the old one removed.
 */
import * as crypto from "crypto";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { fsyncDirectory, writeFileAtomic } from "./atomicFile";
import { compareVersions } from "./hlc";
import { checkMeta, checkName, checkVersion, Item, Meta, Version } from "./wire";

interface Segment {
    no: number;
    file: string;
    fd: number;
    size: number;
}

/** What the index keeps per name: everything but the ciphertext, which stays on disk. */
export interface Entry {
    name: string;
    meta: Meta;
    version: Version;
    kid: string;
    nonce: Buffer;
    tag: Buffer;
    seq: number;
    segment: Segment;
    ctOffset: number;
    ctLength: number;
    recordBytes: number;
}

/** applied: stored; unchanged: this very version was already stored; superseded: a newer version is stored. */
export type ApplyOutcome = "applied" | "unchanged" | "superseded";

export interface ApplyResult {
    outcome: ApplyOutcome;
    /** The version stored for the name after the batch (the item's own, or the newer one). */
    version: Version;
}

export interface StoreOptions {
    /** Dead bytes that trigger a compaction when they also exceed the live bytes. */
    compactAfterDeadBytes?: number;
}

interface RecordHeader {
    seq: number;
    name: string;
    meta: Meta;
    version: Version;
    alg: "A256GCM";
    kid: string;
    nonce: string;
    tag: string;
}

interface Pending {
    items: Item[];
    resolve: (results: ApplyResult[]) => void;
    reject: (error: Error) => void;
}

const SEGMENT_FILE = /^(\d{8})\.log$/;
const PREFIX_BYTES = 8;

function segmentFile(dir: string, no: number): string {
    return path.join(dir, `${String(no).padStart(8, "0")}.log`);
}

function encodeRecord(header: RecordHeader, ct: Buffer): { record: Buffer; ctOffset: number } {
    const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
    const record = Buffer.allocUnsafe(PREFIX_BYTES + 4 + headerBytes.length + ct.length);
    const bodyLength = 4 + headerBytes.length + ct.length;
    record.writeUInt32BE(bodyLength, 0);
    record.writeUInt32BE(headerBytes.length, PREFIX_BYTES);
    headerBytes.copy(record, PREFIX_BYTES + 4);
    ct.copy(record, PREFIX_BYTES + 4 + headerBytes.length);
    record.writeUInt32BE(zlib.crc32(record.subarray(PREFIX_BYTES)), 4);
    return { record, ctOffset: PREFIX_BYTES + 4 + headerBytes.length };
}

function headerOf(entry: Entry): RecordHeader {
    return {
        seq: entry.seq,
        name: entry.name,
        meta: entry.meta,
        version: entry.version,
        alg: "A256GCM",
        kid: entry.kid,
        nonce: entry.nonce.toString("base64"),
        tag: entry.tag.toString("base64"),
    };
}

export class SyncStore extends EventEmitter {
    private readonly index = new Map<string, Entry>();
    /** Sequence numbers in order, and the name each was written for (stale ones are skipped on read). */
    private feedSeqs: number[] = [];
    private readonly feedNames = new Map<number, string>();
    private segments: Segment[] = [];
    private pending: Pending[] = [];
    private writing = false;
    private closed = false;
    private liveBytes = 0;
    private payloadBytes = 0;
    /** Set when a write to disk failed: the store then refuses everything (the process should restart and reload). */
    failure?: Error;
    /** Highest sequence number written. */
    head = 0;
    /** True when this start cut acknowledged records (a damaged log) and took a new store id. */
    renewedId = false;
    private cutCommitted = false;

    private constructor(
        readonly dir: string,
        public storeId: string,
        private readonly options: Required<StoreOptions>,
    ) {
        super();
        this.setMaxListeners(0);
    }

    /** Opens (or creates) the store in `dir`, reading every segment and cutting a torn tail. */
    static async open(dir: string, options: StoreOptions = {}): Promise<SyncStore> {
        const segmentsDir = path.join(dir, "segments");
        fs.mkdirSync(segmentsDir, { recursive: true, mode: 0o700 });
        const idFile = path.join(dir, "store-id");
        let storeId: string;
        if (fs.existsSync(idFile)) {
            storeId = fs.readFileSync(idFile, "utf8").trim();
        } else {
            storeId = crypto.randomBytes(8).toString("hex");
            writeFileAtomic(idFile, `${storeId}\n`);
        }
        const store = new SyncStore(dir, storeId, { compactAfterDeadBytes: options.compactAfterDeadBytes ?? 64 * 2 ** 20 });
        for (const name of fs.readdirSync(segmentsDir)) {
            if (name.endsWith(".tmp")) fs.rmSync(path.join(segmentsDir, name), { force: true });
        }
        const numbers = fs
            .readdirSync(segmentsDir)
            .map((name) => SEGMENT_FILE.exec(name))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => Number(m[1]))
            .sort((a, b) => a - b);
        for (const no of numbers) store.loadSegment(segmentFile(segmentsDir, no), no);
        if (store.cutCommitted) {
            store.storeId = crypto.randomBytes(8).toString("hex");
            writeFileAtomic(idFile, `${store.storeId}\n`);
            store.renewedId = true;
        }
        if (store.segments.length === 0) {
            const file = segmentFile(segmentsDir, 1);
            store.segments.push({ no: 1, file, fd: fs.openSync(file, "a+", 0o600), size: 0 });
            fsyncDirectory(segmentsDir);
        }
        store.rebuildFeed();
        if (store.segments.length > 1) await store.enqueueCompaction();
        return store;
    }

    private loadSegment(file: string, no: number): void {
        const fd = fs.openSync(file, "r+");
        const size = fs.fstatSync(fd).size;
        const segment: Segment = { no, file, fd, size };
        const prefix = Buffer.alloc(PREFIX_BYTES);
        let offset = 0;
        while (offset + PREFIX_BYTES <= size) {
            fs.readSync(fd, prefix, 0, PREFIX_BYTES, offset);
            const bodyLength = prefix.readUInt32BE(0);
            if (bodyLength < 4 || offset + PREFIX_BYTES + bodyLength > size) break;
            const body = Buffer.allocUnsafe(bodyLength);
            fs.readSync(fd, body, 0, bodyLength, offset + PREFIX_BYTES);
            if (zlib.crc32(body) !== prefix.readUInt32BE(4)) {
                // A torn write is always the last thing in the file (the log is cut before any
                // append); a bad record with more after it is damage to acknowledged data.
                if (offset + PREFIX_BYTES + bodyLength < size) this.cutCommitted = true;
                break;
            }
            const headerLength = body.readUInt32BE(0);
            if (4 + headerLength > bodyLength) break;
            let header: RecordHeader;
            try {
                header = JSON.parse(body.subarray(4, 4 + headerLength).toString("utf8"));
                checkName(header.name);
                header.meta = checkMeta(header.meta);
                header.version = checkVersion(header.version);
            } catch {
                break;
            }
            const recordBytes = PREFIX_BYTES + bodyLength;
            this.index_(
                {
                    name: header.name,
                    meta: header.meta,
                    version: header.version,
                    kid: header.kid,
                    nonce: Buffer.from(header.nonce, "base64"),
                    tag: Buffer.from(header.tag, "base64"),
                    seq: header.seq,
                    segment,
                    ctOffset: offset + PREFIX_BYTES + 4 + headerLength,
                    ctLength: bodyLength - 4 - headerLength,
                    recordBytes,
                },
                true,
            );
            this.head = Math.max(this.head, header.seq);
            offset += recordBytes;
        }
        if (offset < size) {
            // A record torn by a crash (never acknowledged): cut it so that appends follow valid data.
            fs.ftruncateSync(fd, offset);
            fs.fsyncSync(fd);
            segment.size = offset;
        }
        this.segments.push(segment);
    }

    /** Puts an entry into the index when it wins; `loading` keeps equal versions from a later segment (a compacted copy). */
    private index_(entry: Entry, loading = false): boolean {
        const current = this.index.get(entry.name);
        if (current) {
            const order = compareVersions(entry.version, current.version);
            if (order < 0 || (order === 0 && !loading)) return false;
            this.liveBytes -= current.recordBytes;
            this.payloadBytes -= current.ctLength;
        }
        this.index.set(entry.name, entry);
        this.liveBytes += entry.recordBytes;
        this.payloadBytes += entry.ctLength;
        return true;
    }

    private rebuildFeed(): void {
        const entries = [...this.index.values()].sort((a, b) => a.seq - b.seq);
        this.feedSeqs = entries.map((e) => e.seq);
        this.feedNames.clear();
        for (const e of entries) this.feedNames.set(e.seq, e.name);
    }

    get size(): number {
        return this.index.size;
    }

    stats(): { items: number; payloadBytes: number; liveBytes: number; diskBytes: number; head: number } {
        const diskBytes = this.segments.reduce((sum, s) => sum + s.size, 0);
        return { items: this.index.size, payloadBytes: this.payloadBytes, liveBytes: this.liveBytes, diskBytes, head: this.head };
    }

    get(name: string): Entry | undefined {
        return this.index.get(name);
    }

    /** Every stored version (to seed the clock after a restart). */
    versions(): Version[] {
        return [...this.index.values()].map((e) => e.version);
    }

    /**
     * The item of an entry that is still the stored one, ciphertext read from disk; undefined
     * when a newer write replaced it meanwhile (its bytes may be compacted away).
     */
    readLive(entry: Entry): Item | undefined {
        if (this.index.get(entry.name) !== entry) return undefined;
        const ct = Buffer.allocUnsafe(entry.ctLength);
        if (entry.ctLength > 0) fs.readSync(entry.segment.fd, ct, 0, entry.ctLength, entry.ctOffset);
        return { name: entry.name, meta: entry.meta, version: entry.version, sealed: { alg: "A256GCM", kid: entry.kid, nonce: entry.nonce, tag: entry.tag, ct } };
    }

    /** Stored entries written after `seq`, in write order, at most `limit`. */
    changesSince(seq: number, limit: number): Entry[] {
        let low = 0;
        let high = this.feedSeqs.length;
        while (low < high) {
            const mid = (low + high) >>> 1;
            if (this.feedSeqs[mid] <= seq) low = mid + 1;
            else high = mid;
        }
        const result: Entry[] = [];
        for (let i = low; i < this.feedSeqs.length && result.length < limit; i++) {
            const s = this.feedSeqs[i];
            const entry = this.index.get(this.feedNames.get(s)!);
            if (entry && entry.seq === s) result.push(entry);
        }
        return result;
    }

    /**
     * Applies items (last write wins per name), durably; resolves once the winners are on disk.
     * Batches queued while a flush runs are written together with the next one.
     */
    apply(items: Item[]): Promise<ApplyResult[]> {
        if (this.failure) return Promise.reject(this.failure);
        if (this.closed) return Promise.reject(new Error("the store is closed"));
        return new Promise((resolve, reject) => {
            this.pending.push({ items, resolve, reject });
            if (!this.writing) void this.drain();
        });
    }

    private async drain(): Promise<void> {
        this.writing = true;
        try {
            while (this.pending.length > 0 && !this.failure) {
                const batch = this.pending;
                this.pending = [];
                try {
                    const results = await this.write(batch.map((p) => p.items));
                    batch.forEach((p, i) => p.resolve(results[i]));
                } catch (error) {
                    this.failure = error instanceof Error ? error : new Error(String(error));
                    for (const p of batch) p.reject(this.failure);
                }
                if (!this.failure && this.shouldCompact()) {
                    try {
                        await this.compact();
                    } catch (error) {
                        this.failure = error instanceof Error ? error : new Error(String(error));
                    }
                }
            }
            if (this.failure) {
                for (const p of this.pending.splice(0)) p.reject(this.failure);
            }
        } finally {
            this.writing = false;
            this.emit("idle");
        }
    }

    private async write(batches: Item[][]): Promise<ApplyResult[][]> {
        const segment = this.segments[this.segments.length - 1];
        const staged = new Map<string, Entry>();
        const records: Buffer[] = [];
        let offset = segment.size;
        let seq = this.head;
        const results = batches.map((items) =>
            items.map((item): ApplyResult => {
                const current = staged.get(item.name) ?? this.index.get(item.name);
                const order = current ? compareVersions(item.version, current.version) : 1;
                if (order <= 0) return { outcome: order === 0 ? "unchanged" : "superseded", version: current!.version };
                seq += 1;
                const entry: Entry = {
                    name: item.name,
                    meta: item.meta,
                    version: item.version,
                    kid: item.sealed.kid,
                    nonce: item.sealed.nonce,
                    tag: item.sealed.tag,
                    seq,
                    segment,
                    ctOffset: 0,
                    ctLength: item.sealed.ct.length,
                    recordBytes: 0,
                };
                const { record, ctOffset } = encodeRecord(headerOf(entry), item.sealed.ct);
                entry.ctOffset = offset + ctOffset;
                entry.recordBytes = record.length;
                offset += record.length;
                records.push(record);
                staged.set(item.name, entry);
                return { outcome: "applied", version: item.version };
            }),
        );
        if (records.length > 0) {
            const data = records.length === 1 ? records[0] : Buffer.concat(records);
            await writeAll(segment.fd, data, segment.size);
            await new Promise<void>((resolve, reject) => fs.fdatasync(segment.fd, (e) => (e ? reject(e) : resolve())));
            segment.size = offset;
            this.head = seq;
            for (const entry of [...staged.values()].sort((a, b) => a.seq - b.seq)) {
                this.index_(entry);
                this.feedSeqs.push(entry.seq);
                this.feedNames.set(entry.seq, entry.name);
            }
            if (this.feedSeqs.length > 2 * this.index.size + 1024) this.rebuildFeed();
            this.emit("commit", this.head);
        }
        // Superseded results report the version that won, including one staged in this batch.
        return results.map((list, b) =>
            list.map((r, i) => (r.outcome === "applied" ? r : { ...r, version: (staged.get(batches[b][i].name) ?? this.index.get(batches[b][i].name))!.version })),
        );
    }

    private shouldCompact(): boolean {
        const dead = this.stats().diskBytes - this.liveBytes;
        return dead > this.options.compactAfterDeadBytes && dead > this.liveBytes;
    }

    private enqueueCompaction(): Promise<void> {
        return new Promise((resolve, reject) => {
            const run = async () => {
                this.writing = true;
                try {
                    await this.compact();
                    resolve();
                } catch (error) {
                    reject(error);
                } finally {
                    this.writing = false;
                }
            };
            if (this.writing) this.once("idle", () => void run());
            else void run();
        });
    }

    /** Copies the live records into a new segment and drops the old ones. */
    async compact(): Promise<void> {
        const segmentsDir = path.join(this.dir, "segments");
        const no = this.segments[this.segments.length - 1].no + 1;
        const file = segmentFile(segmentsDir, no);
        const tmp = `${file}.tmp`;
        const fd = fs.openSync(tmp, "w", 0o600);
        const moved: { entry: Entry; ctOffset: number }[] = [];
        let offset = 0;
        try {
            for (const entry of [...this.index.values()].sort((a, b) => a.seq - b.seq)) {
                const ct = Buffer.allocUnsafe(entry.ctLength);
                if (entry.ctLength > 0) fs.readSync(entry.segment.fd, ct, 0, entry.ctLength, entry.ctOffset);
                const { record, ctOffset } = encodeRecord(headerOf(entry), ct);
                await writeAll(fd, record, offset);
                moved.push({ entry, ctOffset: offset + ctOffset });
                offset += record.length;
            }
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
        fsyncDirectory(segmentsDir);
        const segment: Segment = { no, file, fd: fs.openSync(file, "a+"), size: offset };
        // Readers only touch entries synchronously, so switching every entry here, with no await
        // in between, leaves none pointing at a closed file.
        for (const { entry, ctOffset } of moved) {
            if (this.index.get(entry.name) === entry) {
                entry.segment = segment;
                entry.ctOffset = ctOffset;
            }
        }
        const old = this.segments;
        this.segments = [segment];
        for (const s of old) {
            fs.closeSync(s.fd);
            fs.rmSync(s.file, { force: true });
        }
        fsyncDirectory(segmentsDir);
        this.rebuildFeed();
    }

    /** Waits for queued writes, then closes the files. */
    async close(): Promise<void> {
        this.closed = true;
        if (this.writing) await new Promise((resolve) => this.once("idle", resolve));
        for (const s of this.segments) fs.closeSync(s.fd);
        this.segments = [];
    }
}

function writeAll(fd: number, data: Buffer, position: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const step = (done: number) => {
            if (done >= data.length) return resolve();
            fs.write(fd, data, done, data.length - done, position + done, (error, written) => (error ? reject(error) : step(done + written)));
        };
        step(0);
    });
}
