/** Pure pieces of tier 3: the gated sync spec, replication rules, region ranges. */
import * as assert from "assert";
import { OTP_SEED_KEY, ROLE, LABEL, ANNOTATION, SYNC_ENV } from "../../../components/shared/markers";
import { replicationRolePolicy, replicationRules } from "../../../components/tier3/replicationPolicy";
import { regionCidr } from "../../../components/tier3/region";
import { routedHosts } from "../../../components/tier3/globalRouting";
import { SYNC_QUOTA_RESERVE, SYNC_RESOURCES, syncDeploymentSpec, syncPeers } from "../../../components/tier3/syncSpec";

const inputs = {
    ctx: { tier: 3 as const, region: "eu-west-1", namespace: "ai-platform", partOf: "sutazai" },
    regions: ["us-west-2", "eu-west-1", "ap-southeast-1"],
    domain: "ai.example.com",
    gateName: "sync-gate",
    gateSecretName: "otp-gate-sync-gate",
    image: "sync:1",
};

describe("tier 3 pure pieces", () => {
    describe("sync deployment spec", () => {
        const spec: any = syncDeploymentSpec(inputs);
        const container = spec.template.spec.containers[0];
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));

        it("reads the seed from the gate's Secret, never a literal", () => {
            assert.deepStrictEqual(env[SYNC_ENV.seed].valueFrom.secretKeyRef, { name: "otp-gate-sync-gate", key: OTP_SEED_KEY, optional: false });
            assert.strictEqual(env[SYNC_ENV.seed].value, undefined);
        });
        it("refuses requests without a valid code", () => {
            assert.strictEqual(env[SYNC_ENV.requireOtp].value, "true");
        });
        it("labels and annotates the pods with the role and the gate", () => {
            assert.strictEqual(spec.template.metadata.labels[LABEL.role], ROLE.crossRegionSync);
            assert.strictEqual(spec.template.metadata.annotations[ANNOTATION.otpGate], "sync-gate");
        });
        it("talks to the other regions only, over TLS 1.3", () => {
            assert.strictEqual(env.SYNC_PEERS.value, "https://sync.us-west-2.ai.example.com,https://sync.ap-southeast-1.ai.example.com");
            assert.strictEqual(env.SYNC_TLS_MIN_VERSION.value, "1.3");
            assert.deepStrictEqual(syncPeers("a", ["a", "b"], "d"), ["https://sync.b.d"]);
        });
        it("has requests and limits, and reserves quota for them", () => {
            assert.deepStrictEqual(container.resources.requests, { ...SYNC_RESOURCES.requests });
            assert.deepStrictEqual(container.resources.limits, { ...SYNC_RESOURCES.limits });
            assert.strictEqual(SYNC_QUOTA_RESERVE.pods, 3);
            assert.strictEqual(SYNC_QUOTA_RESERVE.limits.cpu, "3000m");
            assert.strictEqual(SYNC_QUOTA_RESERVE.requests.memory, "768Mi");
        });
    });

    describe("replication", () => {
        const targets = [
            { region: "eu-west-1", bucketArn: "arn:aws:s3:::replica-eu", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/eu" },
            { region: "ap-southeast-1", bucketArn: "arn:aws:s3:::replica-ap", kmsKeyArn: "arn:aws:kms:ap-southeast-1:1:key/ap" },
        ];
        it("replicates KMS-encrypted objects, re-encrypted with each destination's key", () => {
            const rules = replicationRules(targets);
            assert.deepStrictEqual(rules.map((r) => r.priority), [1, 2]);
            for (const [i, rule] of rules.entries()) {
                assert.strictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status, "Enabled");
                assert.strictEqual(rule.destination.encryptionConfiguration.replicaKmsKeyId, targets[i].kmsKeyArn);
                assert.strictEqual(rule.destination.bucket, targets[i].bucketArn);
            }
        });
        it("lets the role decrypt the source and encrypt with the destination keys only", () => {
            const policy = JSON.parse(replicationRolePolicy("arn:aws:s3:::src", "arn:aws:kms:us-west-2:1:key/src", targets));
            const kms = policy.Statement.filter((s: any) => String(s.Action).includes("kms:"));
            assert.deepStrictEqual(kms.map((s: any) => s.Resource), ["arn:aws:kms:us-west-2:1:key/src", targets.map((t) => t.kmsKeyArn)]);
        });
    });

    describe("regions", () => {
        it("gives each region its own VPC range", () => {
            assert.deepStrictEqual([0, 1, 2].map(regionCidr), ["10.10.0.0/16", "10.11.0.0/16", "10.12.0.0/16"]);
            assert.throws(() => regionCidr(-1), /out of range/);
        });
        it("answers the region, latency and failover names on each Ingress", () => {
            assert.deepStrictEqual(routedHosts("eu-west-1", "ai.example.com"), ["eu-west-1.ai.example.com", "app.ai.example.com", "failover.ai.example.com"]);
        });
    });
});
