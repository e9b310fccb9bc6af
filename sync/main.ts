/**
 * Entry point of the cross-region sync service (bundled into one file by sync/bundle.ts and run
 * by the stock Node.js image). Takes no arguments: settings come from the environment, secrets
 * from mounted files (settings.ts). Stops on SIGTERM after letting peers fetch the latest writes.
 */
import * as fs from "fs";
import * as path from "path";
import { HybridClock } from "./hlc";
import { errorText, jsonLogger } from "./log";
import { SyncMetrics } from "./metrics";
import { OtpVerifier } from "./otpVerifier";
import { PayloadCipher } from "./payloadCrypto";
import { Replicator } from "./replicator";
import { SyncServer } from "./server";
import { readSecrets, SettingsError, settingsFromEnv } from "./settings";
import { SyncStore } from "./store";

/** How long a stopping region waits for peers to fetch what it holds. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often the mounted certificate is checked for a renewal. */
const TLS_RELOAD_CHECK_MS = 30_000;

function readOptional(file: string | undefined): Buffer | undefined {
    if (!file || !fs.existsSync(file)) return undefined;
    const content = fs.readFileSync(file);
    return content.toString("utf8").trim() === "" ? undefined : content;
}

async function main(): Promise<void> {
    if (process.argv.length > 2) {
        throw new SettingsError(["the service takes no arguments: settings come from the environment, the seed and keys from mounted files"]);
    }
    const settings = settingsFromEnv(process.env);
    const secrets = readSecrets(settings);
    const log = jsonLogger(settings.region);
    const cipher = PayloadCipher.fromMaterial(secrets.payloadKeyMaterial);
    fs.mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
    const store = await SyncStore.open(path.join(settings.dataDir, "store"));
    if (store.renewedId) log("warn", "damaged records were cut from the store's log; peers will send everything again under a new store id", { items: store.size });
    const clock = new HybridClock(settings.region);
    for (const version of store.versions()) clock.observe(version);
    const metrics = new SyncMetrics();
    const verifier = new OtpVerifier({
        seed: secrets.seed,
        region: settings.region,
        peers: settings.peers.map((p) => p.region),
        policy: settings.lockout,
        stateFile: path.join(settings.dataDir, "otp-state.json"),
    });
    const ca = readOptional(settings.tls.caFile);
    if (settings.peers.length > 0 && !ca) log("warn", "no CA bundle: peers' certificates are verified against the system roots", { caFile: settings.tls.caFile });
    const replicator = new Replicator({
        region: settings.region,
        peers: settings.peers,
        seed: secrets.seed,
        ca,
        store,
        cipher,
        clock,
        metrics,
        log,
        maxItemBytes: settings.maxItemBytes,
        stateFile: path.join(settings.dataDir, "peers.json"),
    });
    const readTls = () => ({ cert: fs.readFileSync(settings.tls.certFile), key: fs.readFileSync(settings.tls.keyFile) });
    const server = new SyncServer({
        region: settings.region,
        store,
        verifier,
        cipher,
        clock,
        metrics,
        log,
        readiness: replicator,
        tls: readTls(),
        maxItemBytes: settings.maxItemBytes,
        sessionMaxMs: settings.sessionMaxMs,
    });
    const port = await server.listen(settings.listen.port, settings.listen.host);
    replicator.start();
    log("info", "listening", { port, host: settings.listen.host, peers: settings.peers.map((p) => p.region).join(","), items: store.size, head: store.head, store: store.storeId });

    // cert-manager renews the certificate in the mounted Secret; pick it up without a restart.
    const tlsStamp = () => [settings.tls.certFile, settings.tls.keyFile].map((f) => fs.statSync(f).mtimeMs).join("/");
    let stamp = tlsStamp();
    const tlsWatch = setInterval(() => {
        try {
            const now = tlsStamp();
            if (now !== stamp) {
                const { cert, key } = readTls();
                server.setTls(cert, key);
                stamp = now;
                log("info", "TLS certificate reloaded");
            }
        } catch (error) {
            log("warn", "TLS certificate reload failed", { error: errorText(error) });
        }
    }, TLS_RELOAD_CHECK_MS);
    tlsWatch.unref();

    let stopping = false;
    const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log("info", "stopping", { signal });
        clearInterval(tlsWatch);
        await server.shutdown(SHUTDOWN_GRACE_MS);
        await replicator.stop();
        await store.close();
        log("info", "stopped", { items: store.size, head: store.head });
        process.exit(0);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
}

process.on("unhandledRejection", (error) => {
    process.stderr.write(`cross-region sync: unexpected failure: ${errorText(error)}\n`);
    process.exit(1);
});

main().catch((error) => {
    process.stderr.write(error instanceof SettingsError ? `${error.message}\n` : `cross-region sync failed to start: ${errorText(error)}\n`);
    process.exit(2);
});
