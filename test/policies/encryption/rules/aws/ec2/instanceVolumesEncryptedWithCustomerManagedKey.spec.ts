import * as assert from "assert";
import { instanceVolumesEncryptedWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/ec2/instanceVolumesEncryptedWithCustomerManagedKey";
import { instanceProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: instance-volumes-encrypted-with-customer-managed-key", () => {
    const policy = instanceVolumesEncryptedWithCustomerManagedKey;
    it("is silent on encrypted root and data volumes", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.instance, props: instanceProps() }]), []);
    });
    it("is silent on an instance that takes its volumes from a launch template", async () => {
        const props = variant(instanceProps(), (p) => {
            delete (p as any).rootBlockDevice;
            (p as any).launchTemplate = { id: "lt-id" };
        });
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.instance, props }]), []);
    });
    it("fires on an unencrypted data volume", async () => {
        const props = variant(instanceProps(), (p) => (p.ebsBlockDevices[0].encrypted = false));
        assert.match((await messagesOf(policy, [{ type: T.instance, props }]))[0], /Data volume \/dev\/sdf/);
    });
    it("fires on a missing root block device", async () => {
        const props = variant(instanceProps(), (p) => delete (p as any).rootBlockDevice);
        assert.match((await messagesOf(policy, [{ type: T.instance, props }]))[0], /no rootBlockDevice/);
    });
});
