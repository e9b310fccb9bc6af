import * as assert from "assert";
import * as path from "path";
import { ConfigError, configFromStackFile, KNOWN_KEYS, parseStackConfig } from "../../infra/config";
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
