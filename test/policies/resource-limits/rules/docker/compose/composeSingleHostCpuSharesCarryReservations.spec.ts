import * as assert from "assert";
import { stringify } from "yaml";
import { composeDocument } from "../../../../../../components/compose/composeFile";
import { TAG } from "../../../../../../contract/markers";
import { defaultCatalog } from "../../../../../../config/catalog";
import { composeSingleHostCpuSharesCarryReservations } from "../../../../../../policies/resource-limits/rules/docker/compose/composeSingleHostCpuSharesCarryReservations";
import { composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

function rendered(mode: "compose" | "swarm", nodes: string, change?: (doc: Record<string, any>) => void) {
    const doc = composeDocument(defaultCatalog, { mode, project: "ai-platform" });
    change?.(doc);
    const props = composeObjectProps(stringify(doc));
    (props.tags as Record<string, string>)[TAG.dockerNodes] = nodes;
    return [{ type: T.object, props }];
}

describe("resource-limits: compose-single-host-cpu-shares-carry-reservations", () => {
    const policy = composeSingleHostCpuSharesCarryReservations;

    it("is silent for the catalog's tier-0 file (cpu_shares = 1024 per reserved CPU)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, rendered("compose", "host:1xm5.2xlarge")), []);
    });

    it("fires on a service whose CPU reservation has no weight to hold it", async () => {
        assert.deepStrictEqual(await messagesOf(policy, rendered("compose", "host:1xm5.2xlarge", (doc) => delete doc.services["backend-api"].cpu_shares)), [
            "Compose service backend-api reserves 1 CPUs, which Compose v2 ignores on one host, and its cpu_shares is unset: set cpu_shares to 1024 (1024 per reserved CPU) so the reservation holds under contention.",
        ]);
        assert.strictEqual((await messagesOf(policy, rendered("compose", "host:1xm5.2xlarge", (doc) => (doc.services.neo4j.cpu_shares = 100)))).length, 1);
    });

    it("leaves swarm stack files alone (the scheduler holds their reservations)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, rendered("swarm", "manager:3xt3.large worker:2xt3.medium")), []);
    });
});
