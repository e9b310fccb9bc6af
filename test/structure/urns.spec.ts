/**
 * The URNs of every shipped stack at every tier it runs, under mocks, against the recorded set
 * in urns.json: a restructuring of folders and modules must leave them as they are (a changed
 * URN is a delete and a create for every deployed stack). After a deliberate change, rewrite the
 * record with `UPDATE_URNS=1 npx mocha --no-config dist/test/structure/urns.spec.js` and review
 * its diff.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram } from "../support/programUnderMocks";
import { rawStackConfig, ShippedStack } from "../policies/support/stackFiles";
import { findRepoRoot } from "../../automation/repoRoot";

const RECORD = path.join(findRepoRoot(__dirname), "test", "structure", "urns.json");
const SHIPPED: Array<[ShippedStack, string[]]> = [
    ["dev", ["0", "1", "2", "3"]],
    ["prod", ["0", "1", "2", "3"]],
    ["airgap", ["2", "3"]],
    ["local", ["2", "3"]],
];

async function urnsOf(stack: ShippedStack, tier: string): Promise<string[]> {
    // The local stack's kubeconfig exists only once its clusters run; under mocks it renders instead.
    const mocks: Record<string, string> = stack === "local" ? { kubeconfig: "", renderDir: path.join(os.tmpdir(), "ai-platform-urns") } : {};
    const run = await runProgram(rawStackConfig(stack, { tier, ...mocks }), { stack });
    return run.resources.map((r) => r.urn).sort();
}

describe("structure: the URNs of the shipped stacks", function () {
    this.timeout(600_000);
    it("are exactly the recorded ones, for every stack and tier", async () => {
        const now: Record<string, string[]> = {};
        for (const [stack, tiers] of SHIPPED) for (const tier of tiers) now[`${stack}@${tier}`] = await urnsOf(stack, tier);
        if (process.env.UPDATE_URNS === "1") fs.writeFileSync(RECORD, JSON.stringify(now, null, 1) + "\n");
        const recorded = JSON.parse(fs.readFileSync(RECORD, "utf8")) as Record<string, string[]>;
        for (const key of Object.keys(recorded)) {
            const gone = recorded[key].filter((u) => !now[key]?.includes(u));
            const added = (now[key] ?? []).filter((u) => !recorded[key].includes(u));
            assert.deepStrictEqual({ gone, added }, { gone: [], added: [] }, `${key}: URNs changed`);
        }
        assert.deepStrictEqual(Object.keys(now).sort(), Object.keys(recorded).sort());
    });
});
