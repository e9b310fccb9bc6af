/** Tier 2 on AWS under mocks: EKS, node groups, managed stores and the workloads on the cluster. */
import * as assert from "assert";
import { sutazaiCatalog } from "../../../config/catalog";
import { RecordedResource } from "../../../automation/engines/offline/recordingMocks";
import { ofType, ProgramRun, runProgram } from "../../support/programUnderMocks";
import { secretInput } from "../kubernetes/componentsUnderMocks";

const one = (run: ProgramRun, type: string, name?: string): RecordedResource => {
    const found = ofType(run.resources, type).filter((r) => !name || r.name.includes(name));
    assert.strictEqual(found.length, 1, `expected one ${type}${name ? ` named *${name}*` : ""}, got ${found.length}`);
    return found[0];
};

describe("tier 2: KubernetesPlatform under mocks", function () {
    this.timeout(120000);
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await runProgram({ tier: "2" }, { stack: "dev" });
        prod = await runProgram({ tier: "2" }, { stack: "prod" });
    });

    it("encrypts Kubernetes Secrets with the region's KMS key and logs the control plane", () => {
        const cluster = one(dev, "aws:eks/cluster:Cluster");
        assert.deepStrictEqual(cluster.inputs.encryptionConfig.resources, ["secrets"]);
        assert.ok(cluster.inputs.encryptionConfig.provider.keyArn.startsWith("arn:aws:kms"), cluster.inputs.encryptionConfig.provider.keyArn);
        assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.strictEqual(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
        assert.strictEqual(cluster.inputs.vpcConfig.endpointPublicAccess, false, "no public CIDRs configured: private endpoint only");
    });

    it("sizes the node groups general 3-10 and gpu 0-3 with a GPU taint", () => {
        const groups = ofType(dev.resources, "aws:eks/nodeGroup:NodeGroup");
        const byName = Object.fromEntries(groups.map((g) => [g.inputs.nodeGroupName, g.inputs]));
        assert.deepStrictEqual(Object.keys(byName).sort(), ["general", "gpu"]);
        assert.strictEqual(byName.general.scalingConfig.minSize, 3);
        assert.strictEqual(byName.general.scalingConfig.maxSize, 10);
        assert.strictEqual(byName.gpu.scalingConfig.minSize, 0);
        assert.strictEqual(byName.gpu.scalingConfig.maxSize, 3);
        assert.strictEqual(byName.gpu.taints[0].key, "nvidia.com/gpu");
        assert.deepStrictEqual(byName.general.taints, []);
    });

    it("encrypts every node volume with the customer key", () => {
        const templates = ofType(dev.resources, "aws:ec2/launchTemplate:LaunchTemplate").filter((t) => t.name.includes("-eks-"));
        assert.strictEqual(templates.length, 2);
        for (const template of templates) {
            const ebs = template.inputs.blockDeviceMappings[0].ebs;
            assert.strictEqual(ebs.encrypted, "true", template.name);
            assert.ok(String(ebs.kmsKeyId).startsWith("arn:aws:kms"), template.name);
            assert.strictEqual(template.inputs.metadataOptions.httpTokens, "required");
        }
    });

    it("runs PostgreSQL encrypted, TLS-only, backed up 7+ days, with 2 encrypted read replicas", () => {
        const instances = ofType(dev.resources, "aws:rds/instance:Instance");
        // replicateSourceDb is the primary's computed identifier, unknown under mocks: tell them apart by name.
        const primary = instances.find((i) => i.name.endsWith("-primary"))!;
        const replicas = instances.filter((i) => i.name.includes("-replica-"));
        assert.strictEqual(replicas.length, 2);
        for (const instance of instances) {
            assert.strictEqual(instance.inputs.storageEncrypted, true, instance.name);
            assert.ok(String(instance.inputs.kmsKeyId).startsWith("arn:aws:kms"), instance.name);
            assert.strictEqual(instance.inputs.publiclyAccessible, false, instance.name);
        }
        assert.ok(primary.inputs.backupRetentionPeriod >= 7);
        assert.strictEqual(primary.inputs.manageMasterUserPassword, true);
        assert.strictEqual(primary.inputs.password, undefined, "no password in state");
        const params = one(dev, "aws:rds/parameterGroup:ParameterGroup");
        assert.deepStrictEqual(params.inputs.parameters.map((p: any) => [p.name, p.value]), [["rds.force_ssl", "1"]]);
    });

    it("makes PostgreSQL Multi-AZ with deletion protection in prod only", () => {
        const primaryOf = (run: ProgramRun) => ofType(run.resources, "aws:rds/instance:Instance").find((i) => i.name.endsWith("-primary"))!;
        assert.strictEqual(primaryOf(dev).inputs.multiAz, false);
        assert.strictEqual(primaryOf(prod).inputs.multiAz, true);
        assert.strictEqual(primaryOf(prod).inputs.deletionProtection, true);
    });

    it("encrypts Redis at rest and in transit, with a secret AUTH token from @pulumi/random and failover across 3 nodes", () => {
        const group = one(dev, "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.strictEqual(group.inputs.atRestEncryptionEnabled, true);
        assert.ok(String(group.inputs.kmsKeyId).startsWith("arn:aws:kms"));
        assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
        assert.strictEqual(group.inputs.automaticFailoverEnabled, true);
        assert.strictEqual(group.inputs.numCacheClusters, 3);
        const token = secretInput(group.inputs.authToken);
        assert.strictEqual(token.secret, true, "authToken must be a secret input");
        assert.ok(String(token.value).length >= 16);
        const password = one(dev, "random:index/randomPassword:RandomPassword", "auth-token");
        assert.strictEqual(password.inputs.length, 64);
    });

    it("declares every catalog Deployment with rolling updates 1/0 (inference 0/1) and containers with requests and limits", () => {
        const deployments = ofType(dev.resources, "kubernetes:apps/v1:Deployment");
        const expected = sutazaiCatalog.services.filter((s) => s.kind !== "stateful").map((s) => s.name).sort();
        assert.deepStrictEqual(deployments.map((d) => d.inputs.metadata.name).sort(), expected);
        for (const d of deployments) {
            const inference = sutazaiCatalog.services.find((s) => s.name === d.inputs.metadata.name)?.kind === "gpu";
            assert.deepStrictEqual(d.inputs.spec.strategy.rollingUpdate, inference ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge: 1, maxUnavailable: 0 }, d.name);
            for (const c of d.inputs.spec.template.spec.containers) {
                assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory, d.name);
            }
        }
    });

    it("runs managed stores outside the cluster and the rest as StatefulSets on the encrypted EBS class", () => {
        const sets = ofType(dev.resources, "kubernetes:apps/v1:StatefulSet").map((s) => s.inputs.metadata.name);
        assert.ok(!sets.includes("postgresql") && !sets.includes("redis"));
        assert.ok(sets.includes("neo4j") && sets.includes("rabbitmq"));
        const storageClass = one(dev, "kubernetes:storage.k8s.io/v1:StorageClass");
        assert.strictEqual(storageClass.inputs.provisioner, "ebs.csi.aws.com");
        assert.strictEqual(storageClass.inputs.parameters.encrypted, "true");
        assert.ok(storageClass.inputs.parameters.kmsKeyId.startsWith("arn:aws:kms"));
        for (const set of ofType(dev.resources, "kubernetes:apps/v1:StatefulSet")) {
            for (const claim of set.inputs.spec.volumeClaimTemplates ?? []) {
                assert.strictEqual(claim.spec.storageClassName, storageClass.inputs.metadata.name, set.name);
            }
        }
    });

    it("gives every workload a PDB and every autoscaled one an HPA with catalog bounds", () => {
        const workloads = [...ofType(dev.resources, "kubernetes:apps/v1:Deployment"), ...ofType(dev.resources, "kubernetes:apps/v1:StatefulSet")];
        const pdbs = new Set(ofType(dev.resources, "kubernetes:policy/v1:PodDisruptionBudget").map((p) => p.inputs.metadata.name));
        for (const w of workloads) assert.ok(pdbs.has(w.inputs.metadata.name), `PDB for ${w.inputs.metadata.name}`);
        const hpas = ofType(dev.resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        const backend = hpas.find((h) => h.inputs.metadata.name === "backend-api")!;
        assert.strictEqual(backend.inputs.spec.minReplicas, 3);
        assert.strictEqual(backend.inputs.spec.maxReplicas, 10);
        assert.strictEqual(hpas.length, sutazaiCatalog.services.filter((s) => s.kind !== "stateful" && s.tiers[2].autoscaling).length);
    });

    it("puts every Kubernetes object on the EKS cluster's provider and starts from a default-deny namespace", () => {
        const provider = one(dev, "pulumi:providers:kubernetes");
        for (const r of dev.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
            assert.strictEqual(r.provider?.split("::")[3], provider.name, `${r.name} uses ${r.provider}`);
        }
        const deny = ofType(dev.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.name === "default-deny-all")!;
        assert.deepStrictEqual(deny.inputs.spec.policyTypes, ["Ingress", "Egress"]);
        one(dev, "kubernetes:core/v1:ResourceQuota");
        one(dev, "kubernetes:core/v1:LimitRange");
        const ingress = one(dev, "kubernetes:networking.k8s.io/v1:Ingress");
        assert.ok(ingress.inputs.spec.tls[0].hosts.length >= 1);
    });

    it("keeps the OTP seed a secret output", () => {
        assert.strictEqual(dev.outputs.otpSeed.secret, true);
    });
});
