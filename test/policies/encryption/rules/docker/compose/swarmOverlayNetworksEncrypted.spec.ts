import * as assert from "assert";
import { swarmOverlayNetworksEncrypted } from "../../../../../../policies/encryption/rules/docker/compose/swarmOverlayNetworksEncrypted";
import { COMPOSE_YAML, composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

describe("encryption: swarm-overlay-networks-encrypted", () => {
    const policy = swarmOverlayNetworksEncrypted;
    it("is silent on an encrypted overlay network", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.object, props: composeObjectProps() }]), []);
    });
    it("fires on an overlay network without encryption", async () => {
        const yaml = COMPOSE_YAML.replace('encrypted: "true"', 'encrypted: "false"');
        assert.match((await messagesOf(policy, [{ type: T.object, props: composeObjectProps(yaml) }]))[0], /backplane is not encrypted/);
    });
    it("ignores S3 objects that are not the compose file", async () => {
        const props = { ...composeObjectProps(COMPOSE_YAML.replace('encrypted: "true"', 'encrypted: "false"')), tags: {} };
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.object, props }]), []);
    });
});
