/**
 * Real relays (three regions on loopback, TLS 1.3, the bundled service): what is refused, and
 * that every refusal is counted by reason.
 */
import * as assert from "assert";
import * as tls from "tls";
import { SYNC_ENV } from "../../contract/markers";
import { codeForCounter, totpCounter, totpFromBase32 } from "../../contract/totp";
import { requestText } from "../../sync/httpsClient";
import { AckLine, OTP_HEADER, PEER_HEADER } from "../../sync/wire";
import { startTestbed, Testbed } from "../../sync/testbed";

const A = "us-west-2";

/** A six-digit code that no step of the window accepts. */
function wrongCode(seed: string): string {
    const totp = totpFromBase32(seed);
    const now = totpCounter(Date.now());
    const valid = new Set([-2, -1, 0, 1, 2].map((d) => codeForCounter(totp, now + d)));
    return ["000000", "123456", "999999", "424242"].find((c) => !valid.has(c))!;
}

describe("sync relays: refusals (real processes, TLS, loopback)", function () {
    this.timeout(120_000);
    let tb: Testbed;
    before(async () => {
        tb = await startTestbed();
    });
    after(async () => tb?.close());

    const refusals = (reason: string, region = A) => tb.relay(region).metric(`sync_refusals_total{reason="${reason}"}`, tb.pki.ca);
    const get = (headers: Record<string, string>, pathname = "/v1/items/anything", region = A) =>
        requestText(new URL(pathname, tb.relay(region).url), { method: "GET", headers, ca: tb.pki.ca });

    it("refuses a request without a code (401) and counts it", async () => {
        const response = await requestText(new URL("/v1/items", tb.relay(A).url), { method: "POST", body: "{}\n", ca: tb.pki.ca });
        assert.strictEqual(response.status, 401);
        assert.deepStrictEqual(JSON.parse(response.body), { error: "missing-code" });
        assert.match(String(response.headers["www-authenticate"]), /TOTP/);
        assert.strictEqual(await refusals("missing-code"), 1);
    });

    it("refuses a wrong code and a malformed one, and counts them", async () => {
        assert.strictEqual((await get({ [OTP_HEADER]: wrongCode(tb.seed) })).status, 401);
        assert.strictEqual((await get({ [OTP_HEADER]: "12ab56" })).status, 401);
        assert.strictEqual(await refusals("wrong-code"), 1);
        assert.strictEqual(await refusals("malformed-code"), 1);
    });

    it("accepts a code once, refuses its replay, and counts the replay", async () => {
        const code = await tb.client(A).nextCode();
        assert.strictEqual((await get({ [OTP_HEADER]: code })).status, 404, "accepted: the item simply does not exist");
        const replay = await get({ [OTP_HEADER]: code });
        assert.strictEqual(replay.status, 401);
        assert.deepStrictEqual(JSON.parse(replay.body), { error: "replayed-code" });
        assert.strictEqual(await refusals("replayed-code"), 1);
    });

    it("refuses a TLS 1.2 client during the handshake, and counts it", async () => {
        const before = (await refusals("tls-version")) ?? 0;
        const error = await new Promise<Error | undefined>((resolve) => {
            const socket = tls.connect({ host: "127.0.0.1", port: tb.relay(A).port, ca: tb.pki.ca, maxVersion: "TLSv1.2" }, () => {
                socket.end();
                resolve(undefined);
            });
            socket.once("error", resolve);
        });
        assert.ok(error, "the TLS 1.2 handshake must fail");
        // The server counts the failed handshake when it sees it.
        for (let i = 0; i < 50 && (await refusals("tls-version")) === before; i++) await new Promise((r) => setTimeout(r, 20));
        assert.strictEqual(await refusals("tls-version"), before + 1);
        // A TLS 1.3 client on the same port is served.
        assert.strictEqual((await tb.relay(A).probe("/healthz", tb.pki.ca)).status, 200);
    });

    it("refuses tampered ciphertext and relabelled metadata item by item, keeps the intact item, and counts both", async () => {
        const client = tb.client(A);
        const intact = client.seal({ name: "backups/intact", data: Buffer.from("intact payload") });
        const flipped = client.seal({ name: "backups/flipped", data: Buffer.from("payload whose ciphertext is changed") });
        const ct = Buffer.from(flipped.sealed.ct, "base64");
        ct[3] ^= 0x01;
        flipped.sealed.ct = ct.toString("base64");
        const relabelled = client.seal({ name: "backups/relabelled", meta: { kind: "pg_dump" }, data: Buffer.from("payload") });
        relabelled.meta = { kind: "neo4j" };
        const lines = await client.pushLines([intact, flipped, relabelled]);
        const byIndex = (i: number) => lines.find((l) => l.type !== "end" && l.index === i) as Exclude<AckLine, { type: "end" }>;
        assert.strictEqual(byIndex(0).type, "ack");
        assert.deepStrictEqual([byIndex(1).type, (byIndex(1) as any).reason], ["refused", "tampered"]);
        assert.deepStrictEqual([byIndex(2).type, (byIndex(2) as any).reason], ["refused", "tampered"]);
        assert.deepStrictEqual(lines[lines.length - 1], { type: "end", applied: 1, refused: 2 });
        assert.strictEqual(await refusals("tampered"), 2);
        // Only the intact item reaches the other regions.
        await tb.converged(1);
    });

    it("refuses peers without a code, with a client's code, or under an unknown name, and counts each", async () => {
        const feed = "/v1/changes?since=0";
        assert.strictEqual((await get({ [PEER_HEADER]: "eu-west-1" }, feed)).status, 401);
        assert.strictEqual(await refusals("missing-code"), 2);
        // The current client code (not consumed: a peer's code is checked against its link, so it is wrong there).
        const clientCode = tb.client(A).codeAt(totpCounter(Date.now()));
        assert.strictEqual((await get({ [PEER_HEADER]: "eu-west-1", [OTP_HEADER]: clientCode }, feed)).status, 401, "a peer's code is its link's, not the seed's");
        assert.strictEqual(await refusals("wrong-code"), 2);
        assert.strictEqual((await get({ [PEER_HEADER]: "sa-east-1", [OTP_HEADER]: clientCode }, feed)).status, 401);
        assert.strictEqual(await refusals("unknown-peer"), 1);
        // Peers may only read the feed.
        assert.strictEqual((await get({ [PEER_HEADER]: "eu-west-1", [OTP_HEADER]: clientCode })).status, 403);
        assert.strictEqual(await refusals("not-allowed"), 1);
    });

    it("never writes the seed, the payload key or a payload into logs or data files", async () => {
        const fs = await import("fs");
        const path = await import("path");
        const files = (dir: string): string[] =>
            fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
        for (const relay of tb.relays) {
            for (const secret of [tb.seed, tb.payloadKeyMaterial, "intact payload"]) {
                assert.ok(!relay.output.includes(secret), `${relay.region}'s output contains a secret or a payload`);
                for (const file of files(relay.dataDir)) assert.ok(!fs.readFileSync(file).includes(Buffer.from(secret)), `${file} contains a secret or a payload`);
            }
        }
        const metrics = (await tb.relay(A).probe("/metrics", tb.pki.ca)).body;
        assert.ok(!metrics.includes(tb.seed) && !metrics.includes(tb.payloadKeyMaterial));
    });
});

describe("sync relays: lockout after repeated wrong codes (the driver's figures)", function () {
    this.timeout(120_000);
    let tb: Testbed;
    before(async () => {
        tb = await startTestbed({ regions: ["us-west-2"] });
    });
    after(async () => tb?.close());

    it("locks every code out after 5 wrong ones, keeps the lock across a restart, and counts the refusals", async () => {
        const relay = tb.relay("us-west-2");
        const get = (code: string) => requestText(new URL("/v1/items/x", relay.url), { method: "GET", headers: { [OTP_HEADER]: code }, ca: tb.pki.ca });
        for (let i = 0; i < 5; i++) assert.strictEqual((await get(wrongCode(tb.seed))).status, 401);
        const client = tb.client("us-west-2");
        const locked = await get(await client.nextCode());
        assert.strictEqual(locked.status, 429);
        assert.deepStrictEqual(JSON.parse(locked.body), { error: "locked-out" });
        assert.ok(Number(locked.headers["retry-after"]) > 14 * 60, "locked for 15 minutes");
        assert.strictEqual(await relay.metric("sync_otp_locked", tb.pki.ca), 1);
        await relay.stop();
        await relay.start();
        assert.strictEqual((await get(await client.nextCode())).status, 429, "a restart does not lift the lock");
        assert.strictEqual(await relay.metric('sync_refusals_total{reason="locked-out"}', tb.pki.ca), 1, "counters restart with the process; the lock does not");
        assert.ok(relay.output.includes(`"reason":"locked-out"`));
        assert.ok(!relay.output.includes(tb.seed));
    });

    it("refuses to start with the seed in its environment, without printing it", async () => {
        const relay = tb.relay("us-west-2");
        await relay.stop();
        const { spawnSync } = await import("child_process");
        const env = { ...relay.env, SYNC_OTP_SEED: tb.seed };
        const run = spawnSync(process.execPath, [relay.bundleFile], { env, encoding: "utf8", timeout: 20_000 });
        assert.strictEqual(run.status, 2);
        assert.match(run.stderr, /SYNC_OTP_SEED is set: the seed must not be in the environment/);
        assert.ok(!`${run.stdout}${run.stderr}`.includes(tb.seed));
        const withArgument = spawnSync(process.execPath, [relay.bundleFile, tb.seed], { env: relay.env, encoding: "utf8", timeout: 20_000 });
        assert.strictEqual(withArgument.status, 2);
        assert.match(withArgument.stderr, /takes no arguments/);
        assert.ok(!withArgument.stderr.includes(tb.seed));
        assert.strictEqual(SYNC_ENV.seedFile, "SYNC_OTP_SEED_FILE");
    });
});
