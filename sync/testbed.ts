/**
 * Real relays on loopback for the tests and the benchmark (not part of the service bundle): a
 * throwaway PKI made with the openssl CLI (a CA, and per region a server certificate for
 * 127.0.0.1/localhost), a gate seed and payload key in files, and one `node sync-service.js`
 * process per region, each with its own data directory and port, peers verifying each other
 * against the CA. Everything lives in a temporary directory outside the repository.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { SYNC_ENV } from "../contract/markers";
import type { OtpLockoutPolicy } from "../contract/totp";
import { BUNDLE_FILE_NAME, writeSyncServiceBundle } from "./bundle";
import { SyncClient } from "./client";
import { requestText } from "./httpsClient";

const OPENSSL = fs.existsSync("/usr/bin/openssl") ? "/usr/bin/openssl" : "openssl";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The driver's lockout figures (automation/driver.config.json) unless a test says otherwise. */
export const TESTBED_LOCKOUT: OtpLockoutPolicy = { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 };

export interface Pki {
    caFile: string;
    ca: Buffer;
    certFile(region: string): string;
    keyFile(region: string): string;
}

function openssl(args: string[], cwd: string): void {
    execFileSync(OPENSSL, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA and a server certificate (SANs 127.0.0.1, ::1, localhost) per region, valid for two days. */
export function makePki(dir: string, regions: string[]): Pki {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=sync-testbed-ca",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
    fs.writeFileSync(path.join(dir, "server.ext"), [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=serverAuth,clientAuth",
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
        "",
    ].join("\n"));
    for (const region of regions) {
        openssl(["req", ...ec, "-keyout", `${region}.key`, "-out", `${region}.csr`, "-subj", `/CN=sync.${region}.testbed`], dir);
        openssl(["x509", "-req", "-in", `${region}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-out", `${region}.crt`, "-extfile", "server.ext"], dir);
    }
    for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o600);
    return {
        caFile: path.join(dir, "ca.crt"),
        ca: fs.readFileSync(path.join(dir, "ca.crt")),
        certFile: (region) => path.join(dir, `${region}.crt`),
        keyFile: (region) => path.join(dir, `${region}.key`),
    };
}

/** A fresh gate: a base32 seed of 160 bits and payload key material, each in a 0400 file. */
export function makeGateSecrets(dir: string): { seed: string; payloadKeyMaterial: string; seedFile: string; payloadKeyFile: string } {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const seed = Array.from(crypto.randomBytes(32), (b) => BASE32[b % 32]).join("");
    const payloadKeyMaterial = crypto.randomBytes(48).toString("base64url");
    const seedFile = path.join(dir, "seed");
    const payloadKeyFile = path.join(dir, "payload-key");
    fs.writeFileSync(seedFile, seed, { mode: 0o400 });
    fs.writeFileSync(payloadKeyFile, payloadKeyMaterial, { mode: 0o400 });
    return { seed, payloadKeyMaterial, seedFile, payloadKeyFile };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export class Relay {
    private child?: ChildProcess;
    /** Everything the process wrote, over all its runs. */
    output = "";
    private exited?: Promise<number | null>;

    constructor(
        readonly region: string,
        readonly port: number,
        readonly dataDir: string,
        readonly bundleFile: string,
        readonly env: NodeJS.ProcessEnv,
    ) {}

    get url(): string {
        return `https://127.0.0.1:${this.port}`;
    }

    get running(): boolean {
        return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    }

    /** Starts the process and waits for its "listening" line. */
    async start(timeoutMs = 20_000): Promise<void> {
        const child = spawn(process.execPath, [this.bundleFile], { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
        this.child = child;
        this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`relay ${this.region} did not start within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
            const onData = (chunk: Buffer) => {
                this.output += chunk.toString("utf8");
                if (/"msg":"listening"/.test(this.output.slice(-4096))) {
                    clearTimeout(timer);
                    resolve();
                }
            };
            child.stdout!.on("data", onData);
            child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString("utf8")));
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`relay ${this.region} exited (${code ?? signal}) before listening:\n${this.output}`));
            });
        });
    }

    /** CPU time (user + system) the running process has used, in ms; undefined where /proc is missing. */
    cpuMs(): number | undefined {
        try {
            const fields = fs.readFileSync(`/proc/${this.child!.pid}/stat`, "utf8").split(") ")[1].split(" ");
            // utime and stime are fields 14 and 15 of the stat line, in clock ticks (100 per second on Linux).
            return (Number(fields[11]) + Number(fields[12])) * 10;
        } catch {
            return undefined;
        }
    }

    /** SIGTERM, and wait for the exit. */
    async stop(): Promise<number | null> {
        if (!this.running) return this.child?.exitCode ?? null;
        this.child!.kill("SIGTERM");
        return this.exited!;
    }

    /** SIGKILL (a crash), and wait for the exit. */
    async kill(): Promise<void> {
        if (!this.running) return;
        this.child!.kill("SIGKILL");
        await this.exited;
    }

    /** GET a path without a code (health, readiness, metrics). */
    async probe(pathname: string, ca: Buffer): Promise<{ status: number; body: string }> {
        const response = await requestText(new URL(pathname, this.url), { method: "GET", ca });
        return { status: response.status, body: response.body };
    }

    /** The value of one metric series (labels as written in the exposition), or undefined. */
    async metric(series: string, ca: Buffer): Promise<number | undefined> {
        const { body } = await this.probe("/metrics", ca);
        const line = body.split("\n").find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
    }
}

export interface Testbed {
    root: string;
    pki: Pki;
    seed: string;
    payloadKeyMaterial: string;
    relays: Relay[];
    relay(region: string): Relay;
    client(region: string): SyncClient;
    /** Waits until every running relay reports `count` items and is ready. */
    converged(count: number, timeoutMs?: number): Promise<void>;
    close(): Promise<void>;
}

export interface TestbedOptions {
    regions?: string[];
    lockout?: OtpLockoutPolicy;
    /** Further environment for every relay. */
    env?: NodeJS.ProcessEnv;
    /** Start the relays (default true). */
    start?: boolean;
}

/** Three regions (by default) on loopback, started and ready. */
export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
    const regions = options.regions ?? ["us-west-2", "eu-west-1", "ap-southeast-1"];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sync-testbed-"));
    const pki = makePki(path.join(root, "pki"), regions);
    const gate = makeGateSecrets(path.join(root, "gate"));
    const bundleFile = path.join(root, "bin", BUNDLE_FILE_NAME);
    writeSyncServiceBundle(bundleFile);
    const ports = await Promise.all(regions.map(() => freePort()));
    const lockout = options.lockout ?? TESTBED_LOCKOUT;
    const relays = regions.map((region, i) => {
        const peers = regions.map((r, j) => (j === i ? undefined : `${r}=https://127.0.0.1:${ports[j]}`)).filter(Boolean).join(",");
        const dataDir = path.join(root, "data", region);
        const env: NodeJS.ProcessEnv = {
            PATH: process.env.PATH,
            [SYNC_ENV.region]: region,
            [SYNC_ENV.peers]: peers,
            [SYNC_ENV.listenHost]: "127.0.0.1",
            [SYNC_ENV.listenPort]: String(ports[i]),
            [SYNC_ENV.dataDir]: dataDir,
            [SYNC_ENV.seedFile]: gate.seedFile,
            [SYNC_ENV.payloadKeyFile]: gate.payloadKeyFile,
            [SYNC_ENV.tlsMinVersion]: "1.3",
            [SYNC_ENV.tlsCertFile]: pki.certFile(region),
            [SYNC_ENV.tlsKeyFile]: pki.keyFile(region),
            [SYNC_ENV.tlsCaFile]: pki.caFile,
            [SYNC_ENV.maxWrongCodes]: String(lockout.maxWrongCodes),
            [SYNC_ENV.wrongCodeWindowMinutes]: String(lockout.wrongCodeWindowMinutes),
            [SYNC_ENV.lockoutMinutes]: String(lockout.lockoutMinutes),
            ...(options.env ?? {}),
        };
        return new Relay(region, ports[i], dataDir, bundleFile, env);
    });
    const testbed: Testbed = {
        root,
        pki,
        seed: gate.seed,
        payloadKeyMaterial: gate.payloadKeyMaterial,
        relays,
        relay: (region) => relays.find((r) => r.region === region)!,
        client: (region) => new SyncClient({ url: testbed.relay(region).url, ca: pki.ca, seed: gate.seed, payloadKeyMaterial: gate.payloadKeyMaterial }),
        converged: async (count, timeoutMs = 60_000) => {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
                const states = await Promise.all(
                    relays
                        .filter((r) => r.running)
                        .map(async (r) => ({ items: await r.metric("sync_items", pki.ca), ready: (await r.probe("/readyz", pki.ca)).status === 200 })),
                );
                if (states.every((s) => s.items === count && s.ready)) return;
                if (Date.now() > deadline) throw new Error(`not converged on ${count} items within ${timeoutMs} ms: ${JSON.stringify(states)}`);
                await new Promise((resolve) => setTimeout(resolve, 25));
            }
        },
        close: async () => {
            await Promise.all(relays.map((r) => r.kill()));
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
    if (options.start !== false) {
        try {
            await Promise.all(relays.map((r) => r.start()));
        } catch (error) {
            await testbed.close();
            throw error;
        }
    }
    return testbed;
}
