/** Tier 3 on AWS under mocks: one provider per region, routing, replication and the gated sync. */
import * as assert from "assert";
import { CertificateAuthority } from "../../components/shared/privateCa";
import * as k8s from "@pulumi/kubernetes";
import { ofType, ProgramRun, runProgram } from "../support/programUnderMocks";
import { ANNOTATION, LABEL, OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, SYNC_ENV, TAG } from "../../contract/markers";
import { OtpGate } from "../../components/shared/otpGate";
import { MultiRegionSync } from "../../components/sync";
import { declareUnderMocks } from "./kubernetes/componentsUnderMocks";

const REGIONS = ["us-west-2", "eu-west-1", "ap-southeast-1"];
const providerName = (ref?: string) => ref?.split("::")[3];

describe("tier 3: multi-region under mocks", function () {
    this.timeout(180000);
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ tier: "3" }, { stack: "prod" });
    });

    it("declares exactly one AWS provider per region, with that region", () => {
        const providers = ofType(run.resources, "pulumi:providers:aws");
        assert.deepStrictEqual(providers.map((p) => p.inputs.region).sort(), [...REGIONS].sort());
    });

    it("sends every AWS resource of a Region through that region's provider", () => {
        for (const region of REGIONS) {
            const regional = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.name.startsWith(`region-${region}-`));
            assert.ok(regional.length > 30, `${region}: ${regional.length} resources`);
            for (const r of regional) {
                assert.strictEqual(providerName(r.provider), `region-${region}-provider`, `${r.type} ${r.name}`);
            }
        }
        // Nothing of the AWS topology falls back to the ambient default provider.
        const unprovided = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider);
        assert.deepStrictEqual(unprovided.map((r) => r.name), []);
    });

    it("routes by latency with HTTPS health checks and a primary/secondary failover pair", () => {
        const checks = ofType(run.resources, "aws:route53/healthCheck:HealthCheck");
        assert.strictEqual(checks.length, 3);
        for (const check of checks) {
            assert.strictEqual(check.inputs.type, "HTTPS");
            assert.strictEqual(check.inputs.port, 443);
            assert.strictEqual(check.inputs.failureThreshold, 3);
            assert.strictEqual(check.inputs.resourcePath, "/health");
        }
        const records = ofType(run.resources, "aws:route53/record:Record");
        const latency = records.filter((r) => r.inputs.latencyRoutingPolicies);
        assert.deepStrictEqual(latency.map((r) => r.inputs.latencyRoutingPolicies[0].region).sort(), [...REGIONS].sort());
        assert.ok(latency.every((r) => r.inputs.healthCheckId));
        const failover = records.filter((r) => r.inputs.failoverRoutingPolicies);
        assert.deepStrictEqual(failover.map((r) => r.inputs.failoverRoutingPolicies[0].type).sort(), ["PRIMARY", "SECONDARY"]);
        assert.ok(failover.find((r) => r.inputs.failoverRoutingPolicies[0].type === "PRIMARY")!.inputs.records[0].startsWith("us-west-2."));
    });

    it("replicates backups to each secondary, encrypted with the destination region's key, tagged with role and gate", () => {
        const config = ofType(run.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        assert.strictEqual(config.length, 1);
        const rules = config[0].inputs.rules;
        assert.deepStrictEqual(rules.map((r: any) => r.id).sort(), ["to-ap-southeast-1", "to-eu-west-1"]);
        for (const rule of rules) {
            assert.strictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status, "Enabled");
            assert.ok(rule.destination.encryptionConfiguration.replicaKmsKeyId.includes("arn:aws:kms"));
        }
        const replicaBuckets = ofType(run.resources, "aws:s3/bucket:Bucket").filter((b) => b.inputs.tags?.[TAG.role] === ROLE.crossRegionReplication);
        assert.strictEqual(replicaBuckets.length, 2);
        for (const bucket of replicaBuckets) {
            assert.strictEqual(bucket.inputs.tags[TAG.otpGate], "sync-gate");
            const region = bucket.inputs.tags[TAG.region];
            assert.strictEqual(providerName(bucket.provider), `region-${region}-provider`);
            const sse = ofType(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((s) => s.name === bucket.name)!;
            assert.strictEqual(sse.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.strictEqual(providerName(sse.provider), `region-${region}-provider`);
        }
        const role = ofType(run.resources, "aws:iam/role:Role").find((r) => r.inputs.tags?.[TAG.role] === ROLE.crossRegionReplication)!;
        assert.strictEqual(role.inputs.tags[TAG.otpGate], "sync-gate");
    });

    it("runs a gated cross-region-sync in every region, mounting the seed and payload key from the gate's Secret", () => {
        const syncs = ofType(run.resources, "kubernetes:apps/v1:Deployment").filter((d) => d.inputs.metadata.labels[LABEL.role] === ROLE.crossRegionSync);
        assert.strictEqual(syncs.length, 3);
        const k8sProviders = new Set(syncs.map((s) => providerName(s.provider)));
        assert.strictEqual(k8sProviders.size, 3, "one sync per cluster");
        const secrets = ofType(run.resources, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.labels?.[LABEL.role] === ROLE.otpGateSecret);
        assert.strictEqual(secrets.length, 3);
        const bundles = ofType(run.resources, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.labels?.[LABEL.role] === ROLE.crossRegionSync);
        assert.strictEqual(bundles.length, 3, "one bundle ConfigMap per cluster");
        for (const sync of syncs) {
            assert.strictEqual(sync.inputs.metadata.name, "cross-region-sync");
            assert.strictEqual(sync.inputs.metadata.annotations[ANNOTATION.otpGate], "sync-gate");
            const podSpec = sync.inputs.spec.template.spec;
            const [container] = podSpec.containers;
            assert.strictEqual(container.image, "node:22.23.5-alpine");
            const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
            const gateVolume = podSpec.volumes.find((v: any) => v.secret?.items?.some((i: any) => i.key === OTP_SEED_KEY));
            const secret = secrets.find((s) => providerName(s.provider) === providerName(sync.provider))!;
            assert.strictEqual(gateVolume.secret.secretName, secret.inputs.metadata.name, "the Secret exists in the same cluster");
            assert.deepStrictEqual(gateVolume.secret.items.map((i: any) => i.key), [OTP_SEED_KEY, PAYLOAD_KEY_KEY]);
            assert.ok(env[SYNC_ENV.seedFile].endsWith(`/${OTP_SEED_KEY}`));
            assert.strictEqual(env[SYNC_ENV.maxWrongCodes], "5", "the driver's lockout figures");
            const bundle = bundles.find((b) => providerName(b.provider) === providerName(sync.provider))!;
            assert.strictEqual(podSpec.volumes.find((v: any) => v.configMap)?.configMap.name, bundle.inputs.metadata.name);
            assert.ok(bundle.inputs.data["sync-service.js"].length < 900 * 1024, "the bundle fits a ConfigMap");
            assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
        }
        const ingresses = ofType(run.resources, "kubernetes:networking.k8s.io/v1:Ingress").filter((i) => i.inputs.metadata.labels?.[LABEL.role] === ROLE.crossRegionSync);
        assert.strictEqual(ingresses.length, 3);
        for (const ingress of ingresses) {
            assert.strictEqual(ingress.inputs.metadata.annotations["nginx.ingress.kubernetes.io/ssl-passthrough"], "true", "TLS 1.3 ends in the service");
            assert.strictEqual(ingress.inputs.spec.tls[0].secretName, "cross-region-sync-tls");
        }
        // Every region's sync certificate comes from one CA (peers trust each other) into a TLS Secret of that name.
        const tlsSecrets = ofType(run.resources, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.name === "cross-region-sync-tls");
        assert.strictEqual(tlsSecrets.length, 3);
        assert.ok(tlsSecrets.every((s) => s.inputs.type === "kubernetes.io/tls"));
        const issued = run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.name.includes("-tls-certificate") && r.name.startsWith("multi-region-sync"));
        assert.strictEqual(issued.length, 3);
        assert.deepStrictEqual(issued.map((c) => c.inputs.dnsNames[0]).sort(), ["sync.ap-southeast-1.prod.ai.example.com", "sync.eu-west-1.prod.ai.example.com", "sync.us-west-2.prod.ai.example.com"]);
        const awsSecret = ofType(run.resources, "aws:secretsmanager/secret:Secret").find((s) => s.inputs.tags[TAG.role] === ROLE.otpGateSecret)!;
        assert.strictEqual(awsSecret.inputs.replicas.length, 2, "replicated to both secondaries");
    });

    it("keeps the OTP seed a secret output", () => {
        assert.strictEqual(run.outputs.otpSeed.secret, true);
    });

    it("refuses a sync whose gate has no Secret in one of its regions", async () => {
        await assert.rejects(
            declareUnderMocks(() => {
                const a = new k8s.Provider("a", { renderYamlToDirectory: "/tmp/sync-a" });
                const b = new k8s.Provider("b", { renderYamlToDirectory: "/tmp/sync-b" });
                const gate = new OtpGate("half-gate", { kubernetes: [{ key: "a", provider: a, namespace: "ns" }] });
                return new MultiRegionSync("sync", {
                    regions: [
                        { region: "a", provider: a, namespace: "ns" },
                        { region: "b", provider: b, namespace: "ns" },
                    ],
                    otpGate: gate,
                    certificateAuthority: new CertificateAuthority("ca", { commonName: "test CA" }),
                    otpLockout: { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 },
                    domain: "ai.example.com",
                    tier: 3,
                    partOf: "sutazai",
                });
            }),
            /OtpGate "half-gate" has no Secret in region b/,
        );
    });
});
