import * as assert from "assert";
import * as path from "path";
import { ConfigError, configFromStackFile, KNOWN_KEYS, parseStackConfig } from "../../config/config";
import { readRepoFile } from "../support/repoRoot";

const PROJECT = "ai-platform";

function parse(raw: Record<string, string>, stack = "dev") {
    return parseStackConfig(raw, PROJECT, stack, "/work/project");
}

/** The problems a config fails with (fails the test when it parses). */
function problems(raw: Record<string, string>): string[] {
    try {
        parse(raw);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
        return (error as ConfigError).problems;
    }
    assert.fail(`config ${JSON.stringify(raw)} was accepted`);
}

/** Exactly one problem, naming the key and containing every fragment. */
function assertOneProblem(raw: Record<string, string>, ...fragments: string[]): void {
    const found = problems(raw);
    assert.strictEqual(found.length, 1, `expected one problem, got:\n${found.join("\n")}`);
    for (const fragment of fragments) {
        assert.ok(found[0].includes(fragment), `"${found[0]}" should mention "${fragment}"`);
    }
}

describe("stack config: defaults", () => {
    it("applies the seed defaults to an empty namespace", () => {
        const config = parse({});
        assert.strictEqual(config.tier, 0);
        assert.strictEqual(config.environment, "dev");
        assert.strictEqual(config.platform, "aws");
        assert.deepStrictEqual(config.regions, { primary: "us-west-2", secondaries: ["eu-west-1", "ap-southeast-1"] });
        assert.strictEqual(config.cost.maxNodes, 20);
        assert.strictEqual(config.cost.maxCostPerHour, 50);
        assert.strictEqual(config.cost.monthlyCap, 50 * 730);
        assert.deepStrictEqual(
            [config.compute.swarmWorkers.minSize, config.compute.swarmWorkers.maxSize],
            [2, 5],
        );
        assert.deepStrictEqual([config.compute.generalNodes.minSize, config.compute.generalNodes.maxSize], [3, 10]);
        assert.deepStrictEqual([config.compute.gpuNodes.minSize, config.compute.gpuNodes.maxSize], [0, 3]);
        assert.strictEqual(config.compute.databaseReadReplicas, 2);
        assert.deepStrictEqual(config.limits, { maxContainerCpu: "4", maxContainerMemory: "8Gi" });
        assert.strictEqual(config.policyEnforcement, "advisory");
        assert.strictEqual(config.compute.hostInstanceType, "t3.medium");
    });

    it("reads the values the stack file gives as strings", () => {
        const config = parse({ tier: "3", secondaryRegions: '["eu-central-1"]', monthlyCostCap: "2500.5", policyEnforcement: "mandatory" }, "prod");
        assert.strictEqual(config.tier, 3);
        assert.deepStrictEqual(config.regions.secondaries, ["eu-central-1"]);
        assert.strictEqual(config.cost.monthlyCap, 2500.5);
        assert.strictEqual(config.environment, "prod");
        assert.strictEqual(config.policyEnforcement, "mandatory");
    });

    it("resolves renderDir relative to the project directory", () => {
        const config = parse({ tier: "2", platform: "kubernetes", renderDir: "rendered/manifests" });
        assert.strictEqual(config.kubernetes.renderDir, path.resolve("/work/project", "rendered/manifests"));
    });

    it("reports every problem at once", () => {
        const found = problems({ tier: "7", platform: "gcp", maxNodes: "0" });
        assert.strictEqual(found.length, 3, found.join("\n"));
    });
});

describe("stack config: each error names the key, the value and the fix", () => {
    it("unknown tier", () => assertOneProblem({ tier: "4" }, "ai-platform:tier", '"4"', "0, 1, 2, 3"));
    it("non-numeric tier", () => assertOneProblem({ tier: "two" }, "ai-platform:tier", "0, 1, 2, 3"));
    it("bad platform", () => assertOneProblem({ platform: "gcp" }, "ai-platform:platform", "aws, kubernetes"));
    it("unknown AWS region", () => assertOneProblem({ primaryRegion: "us-west-9" }, "ai-platform:primaryRegion", "us-west-9", "AWS region"));
    it("unknown secondary region", () => assertOneProblem({ secondaryRegions: '["eu-west-1","mars-1"]' }, "ai-platform:secondaryRegions", "mars-1"));
    it("secondary regions not a JSON list", () => assertOneProblem({ secondaryRegions: "eu-west-1" }, "ai-platform:secondaryRegions", "list of region names"));
    it("duplicate region", () => assertOneProblem({ secondaryRegions: '["us-west-2","eu-west-1"]' }, "duplicate region us-west-2"));
    it("tier 3 with fewer than 2 regions", () => assertOneProblem({ tier: "3", secondaryRegions: "[]" }, "ai-platform:secondaryRegions", "at least 2 regions"));
    it("negative monthly cap", () => assertOneProblem({ monthlyCostCap: "-100" }, "ai-platform:monthlyCostCap", "greater than 0"));
    it("zero monthly cap", () => assertOneProblem({ monthlyCostCap: "0" }, "ai-platform:monthlyCostCap", "greater than 0"));
    it("non-positive hourly cap", () => assertOneProblem({ maxCostPerHour: "0", monthlyCostCap: "100" }, "ai-platform:maxCostPerHour", "greater than 0"));
    it("maxNodes not a positive integer", () => assertOneProblem({ maxNodes: "2.5" }, "ai-platform:maxNodes", "whole number"));
    it("node pool min > desired", () => assertOneProblem({ generalNodesMin: "4", generalNodesDesired: "3" }, "ai-platform:generalNodesMin", "min <= desired <= max"));
    it("node pool desired > max", () => assertOneProblem({ swarmWorkersDesired: "6" }, "ai-platform:swarmWorkersDesired", "min <= desired <= max"));
    it("general + gpu maxima above maxNodes at tier 2", () =>
        assertOneProblem({ tier: "2", generalNodesMax: "18" }, "ai-platform:generalNodesMax", "ai-platform:gpuNodesMax", "ai-platform:maxNodes = 20"));
    it("node pools are not held against maxNodes below tier 2", () => {
        assert.strictEqual(parse({ tier: "1", generalNodesMax: "18" }).compute.generalNodes.maxSize, 18);
    });
    it("managers + workers above maxNodes at tier 1", () =>
        assertOneProblem({ tier: "1", maxNodes: "6", swarmWorkersMax: "4" }, "ai-platform:swarmWorkersMax", "3 managers + 4 workers"));
    it("platform kubernetes below tier 2", () => assertOneProblem({ platform: "kubernetes", renderDir: "/tmp/out" }, "ai-platform:platform", "tier 2 or 3"));
    it("platform kubernetes without kubeconfig or renderDir", () => assertOneProblem({ tier: "2", platform: "kubernetes" }, "exactly one of them"));
    it("platform kubernetes with both kubeconfig and renderDir", () =>
        assertOneProblem({ tier: "2", platform: "kubernetes", renderDir: "/tmp/out", kubeconfig: "/tmp/kubeconfig" }, "exactly one of them"));
    it("renderDir that is not a plain path", () => assertOneProblem({ tier: "2", platform: "kubernetes", renderDir: "~/out", kubeconfig: "/k" }, "ai-platform:renderDir", "plain file system path"));
    it("renderDir on platform aws", () => assertOneProblem({ renderDir: "/tmp/out" }, "ai-platform:renderDir", "only applies to platform kubernetes"));
    it("bad enforcement level", () => assertOneProblem({ policyEnforcement: "strict" }, "ai-platform:policyEnforcement", "advisory, mandatory"));
    it("malformed CPU quantity", () => assertOneProblem({ maxContainerCpu: "4 cores" }, "ai-platform:maxContainerCpu", "CPU quantity"));
    it("malformed memory quantity", () => assertOneProblem({ maxContainerMemory: "8GB" }, "ai-platform:maxContainerMemory", "memory quantity"));
    it("unknown key, with a did-you-mean hint and the known keys", () =>
        assertOneProblem({ maxNode: "10" }, "ai-platform:maxNode", 'did you mean "maxNodes"', KNOWN_KEYS.join(", ")));
    it("bad instance type", () => assertOneProblem({ hostInstanceType: "large" }, "ai-platform:hostInstanceType", "instance type"));
    it("bad domain", () => assertOneProblem({ domain: "Not A Domain" }, "ai-platform:domain", "DNS name"));
    it("certificate outside the primary region", () =>
        assertOneProblem({ certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" }, "ai-platform:certificateArn", "primary region us-west-2"));
    it("NAT gateways above the zone count", () => assertOneProblem({ availabilityZones: "2", natGateways: "3" }, "ai-platform:natGateways", "1..2"));
    it("bad budget e-mail list", () => assertOneProblem({ budgetAlertEmails: '["not-an-address"]' }, "ai-platform:budgetAlertEmails", "e-mail"));
    it("bad environment name", () => assertOneProblem({ environment: "Prod Env" }, "ai-platform:environment", "DNS label"));
});

const INSTANCE_TYPE_FIX = "must be an EC2 instance type such as t3.medium";

describe("stack config: tier, platform, environment and regions", () => {
    it("empty tier", () => assertOneProblem({ tier: "" }, "ai-platform:tier", '""', "0, 1, 2, 3"));
    it("environment defaults to the stack name, which must then be a DNS label", () => {
        assert.strictEqual(parse({}, "prod").environment, "prod");
        assert.throws(() => parse({}, "Prod_1"), /ai-platform:environment = "Prod_1": must be a lower-case DNS label/);
    });
    it("unknown key without a close match lists the known keys only", () => {
        const found = problems({ completelyUnrelatedSetting: "1" });
        assert.strictEqual(found.length, 1, found.join("\n"));
        assert.ok(found[0].includes("ai-platform:completelyUnrelatedSetting is not a known key"), found[0]);
        assert.ok(!found[0].includes("did you mean"), found[0]);
        assert.ok(found[0].includes(KNOWN_KEYS.join(", ")), found[0]);
    });
    it("keys whose value is undefined are not reported as unknown", () => {
        assert.strictEqual(parseStackConfig({ notAKey: undefined }, PROJECT, "dev", "/work/project").tier, 0);
    });
    it("secondary regions as a JSON list of non-strings", () =>
        assertOneProblem({ secondaryRegions: "[1, 2]" }, "ai-platform:secondaryRegions", "list of region names", "or [] for one region"));
    it("secondary regions as JSON null", () => assertOneProblem({ secondaryRegions: "null" }, "ai-platform:secondaryRegions", "list of region names"));
    it("duplicate region among the secondaries", () =>
        assertOneProblem({ secondaryRegions: '["eu-west-1","eu-west-1"]' }, "ai-platform:secondaryRegions", "duplicate region eu-west-1", "list each region once"));
    it("platform kubernetes: regions are cluster names (DNS labels), not AWS regions", () => {
        const config = parse({ tier: "2", platform: "kubernetes", renderDir: "/out", primaryRegion: "onprem-a", secondaryRegions: '["onprem-b"]' });
        assert.deepStrictEqual(config.regions, { primary: "onprem-a", secondaries: ["onprem-b"] });
        assertOneProblem(
            { tier: "2", platform: "kubernetes", renderDir: "/out", primaryRegion: "On Prem" },
            "ai-platform:primaryRegion",
            '"On Prem"',
            "DNS label naming the cluster",
        );
    });
    it("tier 3 with a single region on platform kubernetes", () =>
        assertOneProblem({ tier: "3", platform: "kubernetes", renderDir: "/out", secondaryRegions: "[]" }, "ai-platform:secondaryRegions", "at least 2 regions"));
});

describe("stack config: cost limits", () => {
    it("non-numeric hourly cap", () => assertOneProblem({ maxCostPerHour: "fifty", monthlyCostCap: "100" }, "ai-platform:maxCostPerHour", '"fifty"', "greater than 0 (USD)"));
    it("negative hourly cap", () => assertOneProblem({ maxCostPerHour: "-5" }, "ai-platform:maxCostPerHour", "greater than 0"));
    it("non-numeric monthly cap", () => assertOneProblem({ monthlyCostCap: "lots" }, "ai-platform:monthlyCostCap", '"lots"', "greater than 0"));
    it("empty monthly cap is an error, not the default", () => assertOneProblem({ monthlyCostCap: "" }, "ai-platform:monthlyCostCap", "greater than 0"));
    it("zero maxNodes", () => assertOneProblem({ maxNodes: "0" }, "ai-platform:maxNodes", '"0"', "whole number 1..1000"));
    it("non-numeric maxNodes", () => assertOneProblem({ maxNodes: "many" }, "ai-platform:maxNodes", "whole number 1..1000"));
    it("node pools are not held against maxNodes on platform kubernetes", () => {
        const config = parse({ tier: "2", platform: "kubernetes", renderDir: "/out", generalNodesMax: "18" });
        assert.strictEqual(config.compute.generalNodes.maxSize, 18);
    });
    it("swarm workers are not held against maxNodes outside tier 1", () => {
        assert.strictEqual(parse({ tier: "0", maxNodes: "6", swarmWorkersMax: "4" }).compute.swarmWorkers.maxSize, 4);
    });
    it("budget e-mails that are not JSON", () =>
        assertOneProblem({ budgetAlertEmails: "ops@example.com" }, "ai-platform:budgetAlertEmails", '["platform-team@example.com"]'));
    it("budget e-mails as a JSON object", () => assertOneProblem({ budgetAlertEmails: '{"to":"ops@example.com"}' }, "ai-platform:budgetAlertEmails", "list of e-mail addresses"));
    it("budget e-mails with a non-string entry", () => assertOneProblem({ budgetAlertEmails: '["ops@example.com", 42]' }, "ai-platform:budgetAlertEmails", "list of e-mail addresses"));
    it("valid budget e-mails are kept; absent means none", () => {
        assert.deepStrictEqual(parse({ budgetAlertEmails: '["ops@example.com","cfo@example.org"]' }).cost.alertEmails, ["ops@example.com", "cfo@example.org"]);
        assert.deepStrictEqual(parse({}).cost.alertEmails, []);
    });
});

describe("stack config: node pools", () => {
    for (const instanceKey of ["swarmManagerInstanceType", "swarmWorkerInstanceType", "generalNodeInstanceType", "gpuNodeInstanceType"]) {
        it(`bad ${instanceKey}`, () => assertOneProblem({ [instanceKey]: "GPU large" }, `ai-platform:${instanceKey}`, '"GPU large"', INSTANCE_TYPE_FIX));
    }
    it("empty host instance type", () => assertOneProblem({ hostInstanceType: "" }, "ai-platform:hostInstanceType", INSTANCE_TYPE_FIX));
    it("negative pool minimum", () => assertOneProblem({ gpuNodesMin: "-1" }, "ai-platform:gpuNodesMin", '"-1"', "whole number >= 0"));
    it("fractional pool desired size", () => assertOneProblem({ generalNodesDesired: "3.5" }, "ai-platform:generalNodesDesired", "whole number >= 0"));
    it("swarm pool maximum of 0", () =>
        assertOneProblem({ swarmWorkersMin: "0", swarmWorkersDesired: "0", swarmWorkersMax: "0" }, "ai-platform:swarmWorkersMax", "whole number >= 1"));
    it("general pool maximum of 0", () =>
        assertOneProblem({ generalNodesMin: "0", generalNodesDesired: "0", generalNodesMax: "0" }, "ai-platform:generalNodesMax", "whole number >= 1"));
    it("gpu pool may be switched off (0/0/0)", () => {
        assert.deepStrictEqual(parse({ tier: "2", gpuNodesMax: "0" }).compute.gpuNodes, { instanceType: "g4dn.xlarge", minSize: 0, desiredSize: 0, maxSize: 0 });
    });
    it("non-numeric pool maximum", () => assertOneProblem({ gpuNodesMax: "three" }, "ai-platform:gpuNodesMax", "whole number >= 0"));
    it("gpu pool min > max", () => assertOneProblem({ gpuNodesMin: "2", gpuNodesDesired: "2", gpuNodesMax: "1" }, "ai-platform:gpuNodesMin", "2/2/1", "min <= desired <= max"));
});

describe("stack config: sizes of the host, database and cache", () => {
    it("host data volume below 8 GiB", () => assertOneProblem({ hostDataVolumeGb: "7" }, "ai-platform:hostDataVolumeGb", '"7"', "whole number 8..16384"));
    it("host data volume above 16384 GiB", () => assertOneProblem({ hostDataVolumeGb: "16385" }, "ai-platform:hostDataVolumeGb", "8..16384"));
    it("host data volume not a number", () => assertOneProblem({ hostDataVolumeGb: "100GB" }, "ai-platform:hostDataVolumeGb", "8..16384"));
    it("bad database instance class", () => assertOneProblem({ databaseInstanceClass: "r5.2xlarge" }, "ai-platform:databaseInstanceClass", "RDS instance class such as db.r5.2xlarge"));
    it("database storage below 20 GiB", () => assertOneProblem({ databaseStorageGb: "19" }, "ai-platform:databaseStorageGb", "whole number 20..65536"));
    it("database storage above 65536 GiB", () => assertOneProblem({ databaseStorageGb: "65537" }, "ai-platform:databaseStorageGb", "20..65536"));
    it("negative database read replicas", () => assertOneProblem({ databaseReadReplicas: "-1" }, "ai-platform:databaseReadReplicas", "whole number 0..5"));
    it("too many database read replicas", () => assertOneProblem({ databaseReadReplicas: "6" }, "ai-platform:databaseReadReplicas", "0..5"));
    it("bad cache node type", () => assertOneProblem({ cacheNodeType: "r5.large" }, "ai-platform:cacheNodeType", "ElastiCache node type such as cache.r5.large"));
    it("zero cache nodes", () => assertOneProblem({ cacheNodes: "0" }, "ai-platform:cacheNodes", "whole number 1..6"));
    it("too many cache nodes", () => assertOneProblem({ cacheNodes: "7" }, "ai-platform:cacheNodes", "1..6"));
    it("sizes at the bounds are accepted", () => {
        const compute = parse({ hostDataVolumeGb: "8", databaseStorageGb: "65536", databaseReadReplicas: "0", cacheNodes: "6" }).compute;
        assert.deepStrictEqual(
            [compute.hostDataVolumeGb, compute.databaseStorageGb, compute.databaseReadReplicas, compute.cacheNodes],
            [8, 65536, 0, 6],
        );
    });
});

describe("stack config: network", () => {
    it("one availability zone", () => assertOneProblem({ availabilityZones: "1" }, "ai-platform:availabilityZones", '"1"', "whole number 2..4"));
    it("five availability zones", () => assertOneProblem({ availabilityZones: "5" }, "ai-platform:availabilityZones", "2..4"));
    it("zero NAT gateways", () => assertOneProblem({ natGateways: "0" }, "ai-platform:natGateways", "whole number 1..3"));
    it("NAT gateways are capped at 4 when the zone count is itself invalid", () => {
        const found = problems({ availabilityZones: "many", natGateways: "5" });
        assert.strictEqual(found.length, 2, found.join("\n"));
        assert.ok(found.some((p) => p.includes("ai-platform:availabilityZones") && p.includes("2..4")), found.join("\n"));
        assert.ok(found.some((p) => p.includes("ai-platform:natGateways") && p.includes("1..4")), found.join("\n"));
    });
    it("one NAT gateway per zone is accepted", () => {
        assert.deepStrictEqual(parse({ availabilityZones: "4", natGateways: "4" }).network, { availabilityZones: 4, natGateways: 4 });
    });
});

describe("stack config: DNS and certificate", () => {
    it("bad hosted zone id", () => assertOneProblem({ hostedZoneId: "z123" }, "ai-platform:hostedZoneId", '"z123"', "Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"));
    it("valid hosted zone id is kept; empty means create one", () => {
        assert.strictEqual(parse({ hostedZoneId: "Z0123456789ABCDEFGHIJ" }).dns.hostedZoneId, "Z0123456789ABCDEFGHIJ");
        assert.strictEqual(parse({ hostedZoneId: "" }).dns.hostedZoneId, undefined);
    });
    it("malformed certificate ARN", () =>
        assertOneProblem({ certificateArn: "arn:aws:iam::123456789012:server-certificate/x" }, "ai-platform:certificateArn", "ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)"));
    it("certificate in the primary region is accepted", () => {
        const arn = "arn:aws:acm:us-west-2:123456789012:certificate/abc-123";
        assert.strictEqual(parse({ certificateArn: arn }).dns.certificateArn, arn);
    });
    it("empty domain falls back to <environment>.ai.example.com", () => {
        assert.strictEqual(parse({ domain: " " }, "prod").dns.domain, "prod.ai.example.com");
    });
});

describe("stack config: kubernetes", () => {
    it("bad Kubernetes version", () => assertOneProblem({ kubernetesVersion: "1.31.2" }, "ai-platform:kubernetesVersion", '"1.31.2"', 'minor version such as "1.31"'));
    it("Kubernetes version with a v prefix", () => assertOneProblem({ kubernetesVersion: "v1.31" }, "ai-platform:kubernetesVersion", "minor version"));
    it("bad storage class", () => assertOneProblem({ storageClass: "Encrypted_SSD" }, "ai-platform:storageClass", '"Encrypted_SSD"', "existing StorageClass (a DNS label)"));
    it("empty storage class", () => assertOneProblem({ storageClass: "" }, "ai-platform:storageClass", "existing StorageClass"));
    it("kubeconfig relative to the project directory is resolved", () => {
        const config = parse({ tier: "2", platform: "kubernetes", kubeconfig: "clusters/kubeconfig.yaml" });
        assert.strictEqual(config.kubernetes.kubeconfig, path.resolve("/work/project", "clusters/kubeconfig.yaml"));
        assert.strictEqual(config.kubernetes.renderDir, undefined);
    });
    it("absolute kubeconfig is kept as given", () => {
        const absolute = path.resolve("/etc/kube/config");
        assert.strictEqual(parse({ tier: "3", platform: "kubernetes", kubeconfig: absolute }).kubernetes.kubeconfig, absolute);
    });
    it("kubeconfig with ~", () =>
        assertOneProblem({ tier: "2", platform: "kubernetes", kubeconfig: "~/.kube/config", renderDir: "/out" }, "ai-platform:kubeconfig", "plain file system path", "no ~ or $VARIABLES"));
    it("kubeconfig with a $VARIABLE", () =>
        assertOneProblem({ tier: "2", platform: "kubernetes", kubeconfig: "$HOME/.kube/config", renderDir: "/out" }, "ai-platform:kubeconfig", "plain file system path"));
    it("kubeconfig with a NUL byte", () =>
        assertOneProblem({ tier: "2", platform: "kubernetes", kubeconfig: "/tmp/a\0b", renderDir: "/out" }, "ai-platform:kubeconfig", "plain file system path"));
    it("kubeconfig on platform aws", () => assertOneProblem({ kubeconfig: "/etc/kube/config" }, "ai-platform:kubeconfig", "only applies to platform kubernetes"));
    it("renderDir with a $VARIABLE", () =>
        assertOneProblem({ tier: "2", platform: "kubernetes", renderDir: "$OUT", kubeconfig: "/k" }, "ai-platform:renderDir", "plain file system path"));
});

describe("stack config: container limits", () => {
    it("zero CPU maximum", () => assertOneProblem({ maxContainerCpu: "0" }, "ai-platform:maxContainerCpu", '"0"', 'CPU quantity such as "4" or "2500m"'));
    it("zero memory maximum", () => assertOneProblem({ maxContainerMemory: "0Gi" }, "ai-platform:maxContainerMemory", 'memory quantity such as "8Gi" or "512Mi"'));
    it("millicore and binary quantities are accepted", () => {
        assert.deepStrictEqual(parse({ maxContainerCpu: "2500m", maxContainerMemory: "512Mi" }).limits, { maxContainerCpu: "2500m", maxContainerMemory: "512Mi" });
    });
});

describe("stack files", () => {
    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml parses and validates`, () => {
            const raw = configFromStackFile(readRepoFile(`Pulumi.${stack}.yaml`), PROJECT);
            const config = parse(raw, stack);
            assert.strictEqual(config.environment, stack);
        });
    }

    it("dev runs in one region below tier 3, on small nodes, advisory", () => {
        const config = parse(configFromStackFile(readRepoFile("Pulumi.dev.yaml"), PROJECT));
        assert.strictEqual(config.regions.primary, "us-west-2");
        // The secondary region is only deployed from tier 3 on.
        assert.deepStrictEqual(config.regions.secondaries, ["eu-west-1"]);
        assert.strictEqual(config.compute.generalNodes.instanceType, "t3.medium");
        assert.strictEqual(config.policyEnforcement, "advisory");
    });

    it("prod is the seed's three regions and production sizes, mandatory", () => {
        const config = parse(configFromStackFile(readRepoFile("Pulumi.prod.yaml"), PROJECT), "prod");
        assert.deepStrictEqual([config.regions.primary, ...config.regions.secondaries], ["us-west-2", "eu-west-1", "ap-southeast-1"]);
        assert.strictEqual(config.compute.generalNodes.instanceType, "c5.xlarge");
        assert.strictEqual(config.compute.databaseInstanceClass, "db.r5.2xlarge");
        assert.strictEqual(config.compute.cacheNodeType, "cache.r5.large");
        assert.strictEqual(config.policyEnforcement, "mandatory");
    });

    it("stack files hold no secrets", () => {
        for (const stack of ["dev", "prod"]) {
            assert.ok(!/secure:/.test(readRepoFile(`Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml holds a secret`);
        }
    });
});

describe("stack config: the sync service's image", () => {
    it("defaults to the stock Node.js image the project pins", () => {
        assert.strictEqual(parse({}).sync.image, "node:22.23.5-alpine");
    });
    it("takes an air-gapped cluster's local registry copy, by tag or digest", () => {
        const local = "registry.airgap.local:5000/library/node:22.23.5-alpine";
        assert.strictEqual(parse({ syncImage: local }).sync.image, local);
        const digest = `node@sha256:${"a".repeat(64)}`;
        assert.strictEqual(parse({ syncImage: digest }).sync.image, digest);
    });
    it("refuses what is not an image reference", () => {
        assertOneProblem({ syncImage: "Node 22" }, "ai-platform:syncImage", "image reference");
    });
});
