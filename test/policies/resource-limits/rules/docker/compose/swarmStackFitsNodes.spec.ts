import * as assert from "assert";
import { stringify } from "yaml";
import { composeDocument } from "../../../../../../components/compose/composeFile";
import { TAG } from "../../../../../../contract/markers";
import { defaultCatalog } from "../../../../../../config/catalog";
import { swarmStackFitsNodes } from "../../../../../../policies/resource-limits/rules/docker/compose/swarmStackFitsNodes";
import { composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

/** The tier-1 stack file rendered from the catalog, on the nodes its tag names. */
function tier1(nodes: string, change?: (doc: Record<string, any>) => void) {
    const doc = composeDocument(defaultCatalog, { mode: "swarm", project: "ai-platform" });
    change?.(doc);
    const props = composeObjectProps(stringify(doc));
    (props.tags as Record<string, string>)[TAG.dockerNodes] = nodes;
    return [{ type: T.object, props }];
}

describe("resource-limits: swarm-stack-fits-nodes", () => {
    const policy = swarmStackFitsNodes;

    it("is silent for the catalog's stack on the dev swarm (3 t3.large managers, 2 t3.medium workers) and on c5.xlarge", async () => {
        assert.deepStrictEqual(await messagesOf(policy, tier1("manager:3xt3.large worker:2xt3.medium")), []);
        assert.deepStrictEqual(await messagesOf(policy, tier1("manager:3xc5.xlarge worker:2xc5.xlarge")), []);
    });

    it("fires on five t3.medium nodes: Ollama's 4 GiB limit on a 3 GiB manager, and stateless tasks left Pending", async () => {
        const [message] = await messagesOf(policy, tier1("manager:3xt3.medium worker:2xt3.medium"));
        assert.match(message, /service ollama has memory limit 4\.00 GiB, more than the 3\.01 GiB manager 1 \(t3\.medium\) offers/);
        assert.match(message, /so they would stay Pending: .*the stack reserves 5\.40 CPUs and 16\.00 GiB; its 5 nodes at minimum size offer 9\.00 CPUs and 15\.05 GiB/);
    });

    it("fires when all data services share one label, as when only the first manager was labelled", async () => {
        const [message] = await messagesOf(policy, tier1("manager:3xt3.large worker:2xt3.medium", (doc) => {
            for (const service of Object.values<any>(doc.services)) {
                if (service.deploy.placement) service.deploy.placement.constraints = ["node.labels.ai-platform.data == true"];
            }
        }));
        assert.match(message, /the services on the node labelled ai-platform\.data=true \(.*ollama.*\) reserve 2\.55 CPUs and 6\.25 GiB, more than manager \d \(t3\.large\) offers containers \(1\.80 CPUs, 6\.77 GiB\)/);
    });

    it("fires on a CPU limit above the CPUs of a node the service may run on", async () => {
        const [message] = await messagesOf(policy, tier1("manager:3xt3.large worker:2xt3.medium", (doc) => (doc.services["backend-api"].deploy.resources.limits.cpus = "4.0")));
        assert.match(message, /service backend-api has CPU limit 4, above the 2 CPUs of .*docker refuses/);
    });

    it("fires on a constraint it cannot read", async () => {
        const [message] = await messagesOf(policy, tier1("manager:3xc5.xlarge worker:2xc5.xlarge", (doc) => {
            doc.services.grafana.deploy.placement.constraints.push("node.hostname == manager-1");
        }));
        assert.match(message, /service grafana has constraints the fit check cannot read: node\.hostname == manager-1/);
    });

    it("puts the data slots of a swarm with fewer managers than slots on the same manager, as the converge step does", async () => {
        const [message] = await messagesOf(policy, tier1("manager:1xt3.large worker:2xt3.large"));
        assert.match(message, /ai-platform\.data-slot-\d=true .* more than manager 1 \(t3\.large\) offers containers/);
        assert.deepStrictEqual(await messagesOf(policy, tier1("manager:1xr5.xlarge worker:2xt3.large")), [], "one 4-vCPU/32 GiB manager holds all three slots");
    });

    it("names an instance type the table lacks and leaves single-host files to compose-fits-host", async () => {
        assert.match((await messagesOf(policy, tier1("manager:3xz9.huge worker:2xt3.medium")))[0], /instance type "z9\.huge" is not in contract\/instanceTypes\.ts/);
        assert.deepStrictEqual(await messagesOf(policy, tier1("host:1xt3.medium")), []);
    });
});
