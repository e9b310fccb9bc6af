import * as assert from "assert";
import { launchTemplateVolumesEncryptedWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/ec2/launchTemplateVolumesEncryptedWithCustomerManagedKey";
import { launchTemplateProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: launch-template-volumes-encrypted-with-customer-managed-key", () => {
    const policy = launchTemplateVolumesEncryptedWithCustomerManagedKey;
    it("is silent on an encrypted root mapping (encrypted is a string in the AWS schema)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.launchTemplate, props: launchTemplateProps() }]), []);
    });
    it("fires on an unencrypted mapping", async () => {
        const props = variant(launchTemplateProps(), (p) => (p.blockDeviceMappings[0].ebs.encrypted = "false"));
        assert.match((await messagesOf(policy, [{ type: T.launchTemplate, props }]))[0], /\/dev\/xvda is not encrypted/);
    });
    it("fires when no mapping covers the root volume", async () => {
        const props = variant(launchTemplateProps(), (p) => (p.blockDeviceMappings = []));
        assert.match((await messagesOf(policy, [{ type: T.launchTemplate, props }]))[0], /no EBS block device mapping/);
    });
});
