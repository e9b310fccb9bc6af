/** A service catalog of the user's own, named by the stack's `catalogFile` key. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { CatalogError, defaultCatalog, loadCatalogFile } from "../../config/catalog";
import { ConfigError, parseStackConfig } from "../../config/config";
import { runProgram } from "../support/programUnderMocks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-file-"));

/** One service of the default catalog under another name, as a user's catalog would hold it. */
function ownCatalog(): Record<string, unknown> {
    const backend = defaultCatalog.services.find((s) => s.name === "backend-api")!;
    return { name: "my-platform", services: [{ ...backend, name: "my-api", image: "registry.local/my-api:1.0.0" }] };
}

function write(name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

describe("catalogFile: a catalog of the user's own", () => {
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("resolves the key relative to the project directory and refuses a missing file, naming the key", () => {
        write("catalog.yaml", stringify(ownCatalog()));
        assert.strictEqual(parseStackConfig({ catalogFile: "catalog.yaml" }, "ai-platform", "dev", dir).catalogFile, path.join(dir, "catalog.yaml"));
        assert.throws(
            () => parseStackConfig({ catalogFile: "missing.yaml" }, "ai-platform", "dev", dir),
            (e: unknown) => e instanceof ConfigError && /ai-platform:catalogFile/.test(e.message) && /existing catalog file/.test(e.message),
        );
    });

    it("loads YAML and JSON files in the catalog's shape", () => {
        assert.strictEqual(loadCatalogFile(write("catalog.yml", stringify(ownCatalog()))).services[0].name, "my-api");
        assert.strictEqual(loadCatalogFile(write("catalog.json", JSON.stringify(ownCatalog()))).name, "my-platform");
    });

    it("refuses a file that is not a catalog, or one that fails validation, naming the file and the field", () => {
        assert.throws(() => loadCatalogFile(write("list.yaml", "- a\n- b\n")), (e: unknown) => e instanceof CatalogError && /"services" list/.test(e.message));
        const broken = ownCatalog() as { services: Array<Record<string, any>> };
        broken.services[0].resources = { requests: { cpu: "4", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };
        assert.throws(
            () => loadCatalogFile(write("broken.yaml", stringify(broken))),
            (e: unknown) => e instanceof CatalogError && /my-api/.test(e.message) && /cpu request 4 exceeds limit 2/.test(e.message),
        );
    });

    it("is what the program deploys when the stack names it", async () => {
        const file = write("deploy.yaml", stringify(ownCatalog()));
        const { resources } = await runProgram({ tier: "2", catalogFile: file });
        const deployments = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.inputs.metadata?.name);
        assert.ok(deployments.includes("my-api"), `deployments: ${deployments.join(", ")}`);
        assert.ok(!deployments.includes("backend-api"), "the default catalog is not deployed alongside");
    });
});
