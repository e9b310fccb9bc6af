import * as assert from "assert";
import { parseStackConfig } from "../../config/config";
import { policyPackConfigFor } from "../../policies/policyConfig";
import { rawStackConfig } from "./support/stackFiles";

describe("policyPackConfigFor", () => {
    const dev = policyPackConfigFor(parseStackConfig(rawStackConfig("dev"), "ai-platform", "dev"));
    const prod = policyPackConfigFor(parseStackConfig(rawStackConfig("prod"), "ai-platform", "prod"));

    it("gives one config per pack, naming every policy", () => {
        assert.deepStrictEqual(Object.keys(prod).sort(), ["cost-caps", "encryption", "otp-gated-sync", "resource-limits"]);
        assert.ok(Object.keys(prod.encryption).includes("ebs-volume-encrypted-with-customer-managed-key"));
    });

    it("is advisory in dev and mandatory in prod, except the cost warnings", () => {
        assert.deepStrictEqual(dev.encryption["ebs-volume-encrypted-with-customer-managed-key"], { enforcementLevel: "advisory" });
        assert.deepStrictEqual(prod.encryption["ebs-volume-encrypted-with-customer-managed-key"], { enforcementLevel: "mandatory" });
        assert.strictEqual((prod["cost-caps"]["cost-within-monthly-cap"] as any).enforcementLevel, "mandatory");
        assert.strictEqual((prod["cost-caps"]["cost-approaching-monthly-cap"] as any).enforcementLevel, "advisory");
        assert.strictEqual((prod["cost-caps"]["cost-estimate-complete"] as any).enforcementLevel, "advisory");
    });

    it("carries the stack file's figures, only to the policies whose schema declares them", () => {
        assert.deepStrictEqual(prod["cost-caps"]["cost-within-monthly-cap"], {
            enforcementLevel: "mandatory",
            monthlyCostCap: 25000,
            maxCostPerHour: 50,
            maxNodes: 20,
            warnAtPercent: [50, 80],
            defaultRegion: "us-west-2",
        });
        assert.strictEqual((dev["cost-caps"]["cost-within-monthly-cap"] as any).monthlyCostCap, 2500);
        assert.deepStrictEqual(prod["resource-limits"]["hpa-max-replicas-within-max-nodes"], { enforcementLevel: "mandatory", maxNodes: 20 });
        // Untagged fleets count in the primary region in both packs.
        assert.deepStrictEqual(prod["resource-limits"]["node-capacity-within-max-nodes"], { enforcementLevel: "mandatory", maxNodes: 20, defaultRegion: "us-west-2" });
        assert.deepStrictEqual(Object.keys(prod["resource-limits"]["kubernetes-container-limits-within-maxima"] as object).sort(), ["enforcementLevel", "maxContainerCpu", "maxContainerMemory"]);
    });
});
