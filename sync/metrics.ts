/**
 * Prometheus metrics of the service, in the text exposition format (version 0.0.4). A handful of
 * counters and gauges, kept by hand: no label values ever carry secrets or item names.
 */
import { REFUSAL_REASONS, RefusalReason } from "./wire";

type Labels = Record<string, string>;

interface Family {
    help: string;
    type: "counter" | "gauge";
    values: Map<string, { labels: Labels; value: number }>;
}

function escapeLabel(value: string): string {
    return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
    const entries = Object.entries(labels);
    return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

export class Registry {
    private readonly families = new Map<string, Family>();
    /** Gauges computed when scraped. */
    private readonly collectors: (() => void)[] = [];

    private family(name: string, type: Family["type"], help: string): Family {
        let family = this.families.get(name);
        if (!family) {
            family = { help, type, values: new Map() };
            this.families.set(name, family);
        }
        return family;
    }

    counter(name: string, help: string): (labels?: Labels, by?: number) => void {
        const family = this.family(name, "counter", help);
        return (labels = {}, by = 1) => {
            const key = labelText(labels);
            const current = family.values.get(key);
            if (current) current.value += by;
            else family.values.set(key, { labels, value: by });
        };
    }

    gauge(name: string, help: string): (value: number, labels?: Labels) => void {
        const family = this.family(name, "gauge", help);
        return (value, labels = {}) => {
            family.values.set(labelText(labels), { labels, value });
        };
    }

    onCollect(collect: () => void): void {
        this.collectors.push(collect);
    }

    /** The current value of a series (tests and the bench read it back). */
    value(name: string, labels: Labels = {}): number | undefined {
        return this.families.get(name)?.values.get(labelText(labels))?.value;
    }

    render(): string {
        for (const collect of this.collectors) collect();
        const lines: string[] = [];
        for (const [name, family] of this.families) {
            lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
            for (const { labels, value } of family.values.values()) lines.push(`${name}${labelText(labels)} ${Number.isFinite(value) ? value : "NaN"}`);
        }
        return `${lines.join("\n")}\n`;
    }
}

/** The service's metrics. */
export class SyncMetrics {
    readonly registry = new Registry();
    readonly refusal: (reason: RefusalReason) => void;
    readonly write: (source: "client" | "peer", outcome: string, count?: number) => void;
    readonly pushedBytes: (bytes: number) => void;
    readonly items: (value: number) => void;
    readonly payloadBytes: (value: number) => void;
    readonly diskBytes: (value: number) => void;
    readonly head: (value: number) => void;
    readonly peerLagItems: (peer: string, value: number) => void;
    readonly peerLastContactSeconds: (peer: string, value: number) => void;
    readonly peerConnected: (peer: string, value: number) => void;
    readonly peerCaughtUp: (peer: string, value: number) => void;
    readonly peerErrors: (peer: string, kind: string) => void;
    readonly otpLocked: (value: number) => void;

    constructor() {
        const r = this.registry;
        const refusals = r.counter("sync_refusals_total", "Requests, items and connections refused, by reason.");
        for (const reason of REFUSAL_REASONS) refusals({ reason }, 0);
        this.refusal = (reason) => refusals({ reason });
        const writes = r.counter("sync_writes_total", "Items applied to the store, by source (client push or peer feed) and outcome.");
        this.write = (source, outcome, count = 1) => writes({ source, outcome }, count);
        const pushed = r.counter("sync_pushed_payload_bytes_total", "Sealed payload bytes accepted from clients.");
        pushed({}, 0);
        this.pushedBytes = (bytes) => pushed({}, bytes);
        const items = r.gauge("sync_items", "Named items held by this region (the latest version of each).");
        this.items = (value) => items(value);
        const payload = r.gauge("sync_payload_bytes", "Sealed payload bytes of the items held.");
        this.payloadBytes = (value) => payload(value);
        const disk = r.gauge("sync_disk_bytes", "Bytes of the store's log segments on disk (live and not yet compacted).");
        this.diskBytes = (value) => disk(value);
        const head = r.gauge("sync_store_head_seq", "Sequence number of the latest write to this region's store.");
        this.head = (value) => head(value);
        const lag = r.gauge("sync_peer_lag_items", "Writes of a peer's feed not yet applied here (peer head minus cursor), as last reported by the peer.");
        this.peerLagItems = (peer, value) => lag(value, { peer });
        const contact = r.gauge("sync_peer_last_contact_seconds", "Seconds since the last line received from a peer's feed.");
        this.peerLastContactSeconds = (peer, value) => contact(value, { peer });
        const connected = r.gauge("sync_peer_connected", "1 while a feed session with the peer is open.");
        this.peerConnected = (peer, value) => connected(value, { peer });
        const caughtUp = r.gauge("sync_peer_caught_up", "1 when everything the peer held at its last report is applied here.");
        this.peerCaughtUp = (peer, value) => caughtUp(value, { peer });
        const errors = r.counter("sync_peer_errors_total", "Failed feed sessions with a peer, by kind.");
        this.peerErrors = (peer, kind) => errors({ peer, kind });
        const locked = r.gauge("sync_otp_locked", "1 while OTP-gated requests are locked out after repeated wrong codes.");
        this.otpLocked = (value) => locked(value);
    }
}
