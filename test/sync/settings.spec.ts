/** Settings: plain values from the environment, secrets only from files, every problem at once, no secret in a message. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LEGACY_SEED_ENV, SYNC_ENV } from "../../contract/markers";
import { readSecrets, SettingsError, settingsFromEnv } from "../../sync/settings";

describe("sync: settings", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-settings-"));
        for (const name of ["seed", "payload-key", "tls.crt", "tls.key"]) fs.writeFileSync(path.join(dir, name), name === "seed" ? SEED : "x".repeat(40));
        env = {
            [SYNC_ENV.region]: "us-west-2",
            [SYNC_ENV.peers]: "eu-west-1=https://sync.eu-west-1.ai.example.com,ap-southeast-1=https://127.0.0.1:9443",
            [SYNC_ENV.seedFile]: path.join(dir, "seed"),
            [SYNC_ENV.payloadKeyFile]: path.join(dir, "payload-key"),
            [SYNC_ENV.tlsMinVersion]: "1.3",
            [SYNC_ENV.tlsCertFile]: path.join(dir, "tls.crt"),
            [SYNC_ENV.tlsKeyFile]: path.join(dir, "tls.key"),
            [SYNC_ENV.dataDir]: path.join(dir, "data"),
            [SYNC_ENV.maxWrongCodes]: "5",
            [SYNC_ENV.wrongCodeWindowMinutes]: "15",
            [SYNC_ENV.lockoutMinutes]: "15",
        };
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads the deployment's settings", () => {
        const s = settingsFromEnv(env);
        assert.deepStrictEqual(s.peers, [
            { region: "eu-west-1", url: "https://sync.eu-west-1.ai.example.com" },
            { region: "ap-southeast-1", url: "https://127.0.0.1:9443" },
        ]);
        assert.deepStrictEqual(s.lockout, { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 });
        assert.strictEqual(s.listen.port, 8443);
        assert.deepStrictEqual(readSecrets(s).seed, SEED);
    });

    it("reports every problem at once: TLS below 1.3, the seed in the environment, missing lockout figures, plain-HTTP peers", () => {
        const bad: NodeJS.ProcessEnv = { ...env, [SYNC_ENV.tlsMinVersion]: "1.2", [LEGACY_SEED_ENV]: SEED, [SYNC_ENV.peers]: "eu-west-1=http://x" };
        delete bad[SYNC_ENV.lockoutMinutes];
        try {
            settingsFromEnv(bad);
            assert.fail("expected a SettingsError");
        } catch (error) {
            assert.ok(error instanceof SettingsError);
            assert.strictEqual(error.problems.length, 4, error.message);
            assert.match(error.message, /SYNC_TLS_MIN_VERSION = "1.2": must be "1.3"/);
            assert.match(error.message, new RegExp(`${LEGACY_SEED_ENV} is set: the seed must not be in the environment`));
            assert.ok(!error.message.includes(SEED), "the message must not quote the seed");
        }
    });

    it("refuses a payload key equal to the seed and a seed that is not base32, without quoting either", () => {
        const same = path.join(dir, "same");
        fs.writeFileSync(same, SEED);
        assert.throws(() => readSecrets({ seedFile: path.join(dir, "seed"), payloadKeyFile: same }), (e: Error) => /a secret of its own/.test(e.message) && !e.message.includes(SEED));
        const bad = path.join(dir, "bad-seed");
        fs.writeFileSync(bad, "not base32 at all: 0189!");
        assert.throws(() => readSecrets({ seedFile: bad, payloadKeyFile: path.join(dir, "payload-key") }), (e: Error) => /not valid base32/.test(e.message) && !e.message.includes("0189"));
    });
});
