/** Pure pieces of tier 3: the gated sync spec, replication rules, region ranges. */
import * as assert from "assert";
import { OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, LABEL, ANNOTATION, SYNC_ENV, LEGACY_SEED_ENV } from "../../../contract/markers";
import { replicationRolePolicy, replicationRules } from "../../../components/tier3/replicationPolicy";
import { regionCidr } from "../../../components/tier3/region";
import { routedHosts } from "../../../components/shared/routedHosts";
import { SYNC_BUNDLE_ANNOTATION, SYNC_PATHS, SYNC_QUOTA_RESERVE, SYNC_RESOURCES, syncBundleConfigMapName, syncDeploymentSpec, syncPeers } from "../../../components/sync/syncSpec";

const inputs = {
    ctx: { tier: 3 as const, region: "eu-west-1", namespace: "ai-platform", partOf: "sutazai" },
    regions: ["us-west-2", "eu-west-1", "ap-southeast-1"],
    domain: "ai.example.com",
    gateName: "sync-gate",
    gateSecretName: "otp-gate-sync-gate",
    image: "node:22.23.5-alpine",
    tlsSecretName: "cross-region-sync-tls",
    bundleConfigMap: syncBundleConfigMapName("ab".repeat(32)),
    bundleSha256: "ab".repeat(32),
    otpLockout: { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 },
    dataSizeLimit: "2Gi",
};

describe("tier 3 pure pieces", () => {
    describe("sync deployment spec", () => {
        const spec: any = syncDeploymentSpec(inputs);
        const container = spec.template.spec.containers[0];
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));

        const volumes = Object.fromEntries(spec.template.spec.volumes.map((v: any) => [v.name, v]));
        const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m]));

        it("mounts the seed and the payload key as 0400 files of the gate's Secret, and keeps both out of the environment", () => {
            assert.strictEqual(env[SYNC_ENV.seedFile].value, `${SYNC_PATHS.gateDir}/${OTP_SEED_KEY}`);
            assert.strictEqual(env[SYNC_ENV.payloadKeyFile].value, `${SYNC_PATHS.gateDir}/${PAYLOAD_KEY_KEY}`);
            const gate = volumes[mounts[SYNC_PATHS.gateDir].name].secret;
            assert.strictEqual(gate.secretName, "otp-gate-sync-gate");
            assert.strictEqual(gate.defaultMode, 0o400);
            assert.deepStrictEqual(gate.items.map((i: any) => [i.key, i.path, i.mode]), [[OTP_SEED_KEY, OTP_SEED_KEY, 0o400], [PAYLOAD_KEY_KEY, PAYLOAD_KEY_KEY, 0o400]]);
            assert.strictEqual(env[LEGACY_SEED_ENV], undefined);
            assert.ok(container.env.every((e: any) => e.valueFrom === undefined), "no env var comes from a Secret");
        });
        it("runs the bundled service from its ConfigMap in the stock Node.js image, rolling when the bundle changes", () => {
            assert.strictEqual(container.image, "node:22.23.5-alpine");
            assert.deepStrictEqual(container.command, ["node", `${SYNC_PATHS.bundleDir}/sync-service.js`]);
            assert.strictEqual(volumes[mounts[SYNC_PATHS.bundleDir].name].configMap.name, `cross-region-sync-bundle-${"ab".repeat(6)}`);
            assert.strictEqual(spec.template.metadata.annotations[SYNC_BUNDLE_ANNOTATION], "ab".repeat(32));
            assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
        });
        it("keeps the store on a size-limited emptyDir and passes the driver's lockout figures", () => {
            assert.strictEqual(env[SYNC_ENV.dataDir].value, SYNC_PATHS.dataDir);
            assert.deepStrictEqual(volumes[mounts[SYNC_PATHS.dataDir].name].emptyDir, { sizeLimit: "2Gi" });
            assert.deepStrictEqual([SYNC_ENV.maxWrongCodes, SYNC_ENV.wrongCodeWindowMinutes, SYNC_ENV.lockoutMinutes].map((n) => env[n].value), ["5", "15", "15"]);
        });
        it("labels and annotates the pods with the role and the gate; ready means caught up with peers", () => {
            assert.strictEqual(spec.template.metadata.labels[LABEL.role], ROLE.crossRegionSync);
            assert.strictEqual(spec.template.metadata.annotations[ANNOTATION.otpGate], "sync-gate");
            assert.strictEqual(container.readinessProbe.httpGet.path, "/readyz");
            assert.strictEqual(container.livenessProbe.httpGet.path, "/healthz");
        });
        it("talks to the other regions only, over TLS 1.3, with the certificate of the TLS Secret", () => {
            assert.strictEqual(env[SYNC_ENV.peers].value, "us-west-2=https://sync.us-west-2.ai.example.com,ap-southeast-1=https://sync.ap-southeast-1.ai.example.com");
            assert.strictEqual(env[SYNC_ENV.tlsMinVersion].value, "1.3");
            assert.strictEqual(volumes[mounts[SYNC_PATHS.tlsDir].name].secret.secretName, "cross-region-sync-tls");
            assert.strictEqual(env[SYNC_ENV.tlsCertFile].value, `${SYNC_PATHS.tlsDir}/tls.crt`);
            assert.deepStrictEqual(syncPeers("a", ["a", "b"], "d"), [{ region: "b", url: "https://sync.b.d" }]);
        });
        it("has requests and limits, and reserves quota for them", () => {
            assert.deepStrictEqual(container.resources.requests, { ...SYNC_RESOURCES.requests });
            assert.deepStrictEqual(container.resources.limits, { ...SYNC_RESOURCES.limits });
            // One pod per region plus one rolling-update surge.
            assert.strictEqual(SYNC_QUOTA_RESERVE.pods, 2);
            assert.strictEqual(SYNC_QUOTA_RESERVE.limits.cpu, "2000m");
            assert.strictEqual(SYNC_QUOTA_RESERVE.requests.memory, "512Mi");
        });
        it("requests ephemeral storage for its store and logs, and refuses a store its limit cannot hold", () => {
            assert.strictEqual(container.resources.requests["ephemeral-storage"], "512Mi");
            assert.strictEqual(container.resources.limits["ephemeral-storage"], "3Gi");
            assert.deepStrictEqual([SYNC_QUOTA_RESERVE.requests.ephemeralStorage, SYNC_QUOTA_RESERVE.limits.ephemeralStorage], ["1024Mi", "6144Mi"]);
            assert.throws(() => syncDeploymentSpec({ ...inputs, dataSizeLimit: "5Gi" }), /store size limit 5Gi does not fit its ephemeral-storage limit 3Gi/);
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
