/** OtpGate: the seed's shape, its secrecy, and where it is stored. */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as OTPAuth from "otpauth";
import { BASE32_ALPHABET, OTP_SEED_SPEC, OtpGate, otpGateSecretName, PAYLOAD_KEY_SPEC } from "../../../components/shared/otpGate";
import { ANNOTATION, LABEL, OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, TAG } from "../../../contract/markers";
import { declareUnderMocks, resolve, secretInput } from "../kubernetes/componentsUnderMocks";

/** A seed drawn the way RandomPassword draws it from OTP_SEED_SPEC's character classes. */
function sampleSeed(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + OTP_SEED_SPEC.overrideSpecial;
    return Array.from({ length: OTP_SEED_SPEC.length }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join("");
}

describe("OtpGate", () => {
    describe("seed settings", () => {
        it("draws only from the RFC 4648 base32 alphabet", () => {
            assert.strictEqual(OTP_SEED_SPEC.lower, false);
            assert.strictEqual(OTP_SEED_SPEC.numeric, false);
            assert.strictEqual(OTP_SEED_SPEC.upper, true);
            assert.strictEqual(OTP_SEED_SPEC.special, true);
            const characters = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ" + OTP_SEED_SPEC.overrideSpecial);
            assert.deepStrictEqual([...characters].sort().join(""), [...BASE32_ALPHABET].sort().join(""));
        });
        it("yields 160 bits that a TOTP library accepts", () => {
            const secret = OTPAuth.Secret.fromBase32(sampleSeed());
            assert.strictEqual(secret.bytes.length * 8, 160);
            const totp = new OTPAuth.TOTP({ secret, digits: 6, period: 30 });
            const code = totp.generate({ timestamp: 0 });
            assert.strictEqual(totp.validate({ token: code, timestamp: 0 }), 0);
        });
        it("names the Kubernetes Secret after the gate", () => {
            assert.strictEqual(otpGateSecretName("sync-gate"), "otp-gate-sync-gate");
            assert.strictEqual(otpGateSecretName("Sync Gate"), "otp-gate-sync-gate");
        });
    });

    describe("under mocks", () => {
        it("stores the seed in Secrets Manager with the KMS key and in each cluster, and keeps it secret", async () => {
            let gate!: OtpGate;
            const { resources } = await declareUnderMocks(() => {
                const east = new k8s.Provider("east", { renderYamlToDirectory: "/tmp/otp-east" });
                const west = new k8s.Provider("west", { renderYamlToDirectory: "/tmp/otp-west" });
                gate = new OtpGate("sync-gate", {
                    aws: { kmsKeyId: "arn:aws:kms:us-west-2:1:key/k", replicas: [{ region: "eu-west-1", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/e" }] },
                    kubernetes: [
                        { key: "east", provider: east, namespace: "ai-platform" },
                        { key: "west", provider: west, namespace: "ai-platform" },
                    ],
                });
                return gate;
            });
            const seed = await resolve(gate.seed);
            assert.strictEqual(seed.secret, true, "the seed output must be secret");

            const password = resources.find((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "sync-gate-seed")!;
            assert.strictEqual(password.inputs.length, 32);
            assert.strictEqual(password.inputs.overrideSpecial, "234567");
            assert.strictEqual(password.inputs.lower, false);

            const secret = resources.find((r) => r.type === "aws:secretsmanager/secret:Secret")!;
            assert.strictEqual(secret.inputs.kmsKeyId, "arn:aws:kms:us-west-2:1:key/k");
            assert.strictEqual(secret.inputs.tags[TAG.role], ROLE.otpGateSecret);
            assert.strictEqual(secret.inputs.tags[TAG.otpGate], "sync-gate");
            assert.deepStrictEqual(secret.inputs.replicas, [{ region: "eu-west-1", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/e" }]);
            const version = resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!;
            const secretString = secretInput(version.inputs.secretString);
            assert.strictEqual(secretString.secret, true, "the SecretVersion's secretString must be a secret input");
            assert.deepStrictEqual(Object.keys(JSON.parse(secretString.value as string)), [OTP_SEED_KEY, PAYLOAD_KEY_KEY]);

            // The payload key is a secret of its own, not derived from the seed, and stays secret.
            const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
            assert.deepStrictEqual(passwords.map((p) => p.name).sort(), ["sync-gate-payload-key", "sync-gate-seed"]);
            assert.strictEqual(passwords.find((p) => p.name === "sync-gate-payload-key")!.inputs.length, PAYLOAD_KEY_SPEC.length);
            assert.strictEqual((await resolve(gate.payloadKey)).secret, true, "the payload key output must be secret");

            const k8sSecrets = resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
            assert.strictEqual(k8sSecrets.length, 2);
            for (const s of k8sSecrets) {
                assert.strictEqual(s.inputs.metadata.name, "otp-gate-sync-gate");
                assert.strictEqual(s.inputs.metadata.labels[LABEL.role], ROLE.otpGateSecret);
                assert.strictEqual(s.inputs.metadata.annotations[ANNOTATION.otpGate], "sync-gate");
                const data = secretInput(s.inputs.data);
                assert.strictEqual(data.secret, true, "the Secret's data must be a secret input");
                const decoded = (key: string) => Buffer.from((data.value as any)[key], "base64").toString("utf8");
                assert.match(decoded(OTP_SEED_KEY), /^[A-Z2-7]+$/, "data holds the base64 of the seed");
                assert.ok(decoded(PAYLOAD_KEY_KEY).length > 0);
                assert.notStrictEqual(decoded(PAYLOAD_KEY_KEY), decoded(OTP_SEED_KEY));
            }
            assert.deepStrictEqual(k8sSecrets.map((s) => s.provider!.split("::")[3]).sort(), ["east", "west"]);
            assert.deepStrictEqual(gate.kubernetesTargets, ["east", "west"]);
        });

        it("refuses a gate stored nowhere", async () => {
            await assert.rejects(
                declareUnderMocks(() => new OtpGate("lonely", {})),
                /OtpGate "lonely": declare where the seed is stored/,
            );
        });
    });
});
