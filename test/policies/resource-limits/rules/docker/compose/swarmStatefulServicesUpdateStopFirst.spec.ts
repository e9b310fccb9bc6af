import * as assert from "assert";
import { stringify } from "yaml";
import { composeDocument } from "../../../../../../components/compose/composeFile";
import { defaultCatalog } from "../../../../../../config/catalog";
import { swarmStatefulServicesUpdateStopFirst } from "../../../../../../policies/resource-limits/rules/docker/compose/swarmStatefulServicesUpdateStopFirst";
import { composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

function tier1(change?: (doc: Record<string, any>) => void) {
    const doc = composeDocument(defaultCatalog, { mode: "swarm", project: "ai-platform" });
    change?.(doc);
    return [{ type: T.object, props: composeObjectProps(stringify(doc)) }];
}

describe("resource-limits: swarm-stateful-services-update-stop-first", () => {
    const policy = swarmStatefulServicesUpdateStopFirst;

    it("is silent for the catalog's stack file (services with volumes stop-first, stateless start-first)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, tier1()), []);
    });

    it("fires on a service with a named volume that updates start-first", async () => {
        assert.deepStrictEqual(await messagesOf(policy, tier1((doc) => (doc.services.postgresql.deploy.update_config.order = "start-first"))), [
            'Compose service postgresql mounts volume postgresql-data and updates start-first, so old and new container share its data during an update: set deploy.update_config.order to "stop-first".',
        ]);
    });

    it("reads the long volume syntax and ignores bind mounts of host paths", async () => {
        const longSyntax = tier1((doc) => {
            doc.services.redis.deploy.update_config.order = "start-first";
            doc.services.redis.volumes = [{ type: "volume", source: "redis-data", target: "/data" }];
            doc.services["backend-api"].volumes = ["/etc/ssl/certs:/etc/ssl/certs:ro"];
        });
        assert.deepStrictEqual((await messagesOf(policy, longSyntax)).map((m) => m.split(" ")[2]), ["redis"]);
    });
});
