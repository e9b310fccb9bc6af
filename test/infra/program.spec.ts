import * as assert from "assert";
import { configFromStackFile } from "../../config/config";
import { ofType, runProgram } from "../support/programUnderMocks";
import { readRepoFile } from "../support/repoRoot";

describe("program outputs", () => {
    it("exports tier, environment, platform, regions, endpoint and a secret otpSeed", async () => {
        const { outputs } = await runProgram({ tier: "0", secondaryRegions: "[]", domain: "ai.example.org" });
        assert.strictEqual(outputs.tier.value, 0);
        assert.strictEqual(outputs.environment.value, "dev");
        assert.strictEqual(outputs.platform.value, "aws");
        assert.deepStrictEqual(outputs.regions.value, ["us-west-2"]);
        assert.strictEqual(outputs.endpoint.value, "https://ai.example.org");
        assert.strictEqual(outputs.otpSeed.secret, true);
        assert.ok(typeof outputs.otpSeed.value === "string" && outputs.otpSeed.value.length > 0, "the seed resolves");
        for (const [name, output] of Object.entries(outputs)) {
            if (name !== "otpSeed") assert.strictEqual(output.secret, false, `${name} is plain`);
        }
    });

    it("stores the OTP seed in a KMS-encrypted secret of the primary region", async () => {
        const { resources } = await runProgram({ tier: "1" });
        const secret = ofType(resources, "aws:secretsmanager/secret:Secret")[0];
        assert.match(secret.inputs.kmsKeyId, /^arn:aws:kms:/);
    });

    it("fails before declaring anything on a bad catalog", async () => {
        const { defaultCatalog } = await import("../../config/catalog");
        const broken = JSON.parse(JSON.stringify(defaultCatalog));
        broken.services[0].resources.requests.cpu = "64";
        await assert.rejects(runProgram({}, { catalog: broken }), /Invalid service catalog "sutazai"/);
    });

    it("platform kubernetes declares no AWS resources", async () => {
        const { resources, outputs } = await runProgram({ tier: "3", platform: "kubernetes", renderDir: "/tmp/ai-platform-render-test", secondaryRegions: '["eu-west-1"]' });
        assert.deepStrictEqual(resources.filter((r) => r.type.startsWith("aws:")), []);
        assert.strictEqual(outputs.otpSeed.secret, true);
        assert.deepStrictEqual(outputs.regions.value, ["us-west-2", "eu-west-1"]);
    });

    it("tier 3 gives every region its own AWS provider", async () => {
        const { resources, outputs } = await runProgram({ tier: "3" });
        const providers = ofType(resources, "pulumi:providers:aws").map((p) => p.inputs.region).sort();
        assert.deepStrictEqual(providers, ["ap-southeast-1", "eu-west-1", "us-west-2"]);
        assert.strictEqual(outputs.otpSeed.secret, true);
    });
});

describe("resource counts of the stack files per tier", () => {
    const counts: string[] = [];
    after(() => console.log(`      resources (custom + components):\n${counts.map((c) => `        ${c}`).join("\n")}`));
    for (const stack of ["dev", "prod"]) {
        for (const tier of ["0", "1", "2", "3"]) {
            it(`${stack} at tier ${tier}`, async function () {
                const raw: Record<string, string> = { ...configFromStackFile(readRepoFile(`Pulumi.${stack}.yaml`), "ai-platform"), tier };
                const { resources, outputs } = await runProgram(raw, { stack });
                const custom = resources.filter((r) => r.custom).length;
                counts.push(`${stack} tier ${tier}: ${custom} + ${resources.length - custom} (${(outputs.regions.value as string[]).join(", ")})`);
                assert.ok(custom > 0);
                assert.strictEqual(outputs.otpSeed.secret, true);
            });
        }
    }
});

describe("shipped stack files", () => {
    it("carry no encryptionsalt: it binds a stack to one passphrase, so `pulumi stack init` makes it with the user's own", () => {
        const fs = require("fs") as typeof import("fs");
        const path = require("path") as typeof import("path");
        const root = path.resolve(__dirname, "..", "..", "..");
        const files = fs.readdirSync(root).filter((f) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(f));
        assert.ok(files.length >= 4, files.join(", "));
        for (const file of files) {
            assert.ok(!/^encryptionsalt:/m.test(fs.readFileSync(path.join(root, file), "utf8")), `${file} carries an encryptionsalt`);
        }
    });
});
