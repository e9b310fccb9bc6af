import * as assert from "assert";
import { stringify } from "yaml";
import { composeDocument } from "../../../../../../components/compose/composeFile";
import { TAG } from "../../../../../../contract/markers";
import { defaultCatalog } from "../../../../../../config/catalog";
import { composeFitsHost } from "../../../../../../policies/resource-limits/rules/docker/compose/composeFitsHost";
import { composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

/** The tier-0 file rendered from the catalog, on the host its tag names. */
function tier0(nodes: string | undefined, change?: (doc: Record<string, any>) => void) {
    const doc = composeDocument(defaultCatalog, { mode: "compose", project: "ai-platform" });
    change?.(doc);
    const props = composeObjectProps(stringify(doc));
    if (nodes !== undefined) (props.tags as Record<string, string>)[TAG.dockerNodes] = nodes;
    return [{ type: T.object, props }];
}

describe("resource-limits: compose-fits-host", () => {
    const policy = composeFitsHost;

    it("is silent for the catalog's tier-0 file on an m5.2xlarge (7.8 CPUs, 29.3 GiB for containers)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, tier0("host:1xm5.2xlarge")), []);
    });

    it("fires on the 16 GiB t3.xlarge: 19 GiB of memory limits, 4.0 CPUs reserved, and names the types that fit", async () => {
        const [message, ...rest] = await messagesOf(policy, tier0("host:1xt3.xlarge"));
        assert.deepStrictEqual(rest, []);
        assert.match(message, /memory limits add up to 19\.00 GiB .* more than the 14\.29 GiB host \(t3\.xlarge\) offers containers/);
        assert.match(message, /CPU reservations add up to 4\.00, more than host \(t3\.xlarge\) offers containers 3\.80 CPUs/);
        assert.doesNotMatch(message, /memory reservations/, "9.5 GiB of reservations fit");
        assert.match(message, /smallest in contract\/instanceTypes\.ts: .*m5\.2xlarge/);
    });

    it("fires on reservations alone when the limits fit (c5.xlarge: 6.77 GiB for 9.5 GiB reserved)", async () => {
        assert.match((await messagesOf(policy, tier0("host:1xc5.xlarge")))[0], /memory reservations add up to 9\.50 GiB/);
    });

    it("fires on a CPU limit above the host's vCPUs, which docker refuses", async () => {
        const messages = await messagesOf(policy, tier0("host:1xm5.2xlarge", (doc) => (doc.services.ollama.deploy.resources.limits.cpus = "12.0")));
        assert.match(messages[0], /service ollama has CPU limit 12, above the 8 CPUs of host \(m5\.2xlarge\): docker refuses/);
    });

    it("fires when the compose file does not say its host, or names a type the table lacks", async () => {
        assert.match((await messagesOf(policy, tier0(undefined)))[0], /no valid ai-platform:docker-nodes tag/);
        assert.match((await messagesOf(policy, tier0("host:1xp4d.24xlarge")))[0], /instance type "p4d\.24xlarge" is not in contract\/instanceTypes\.ts/);
    });

    it("leaves swarm stack files to swarm-stack-fits-nodes", async () => {
        assert.deepStrictEqual(await messagesOf(policy, tier0("manager:3xt3.medium worker:2xt3.medium")), []);
    });
});
