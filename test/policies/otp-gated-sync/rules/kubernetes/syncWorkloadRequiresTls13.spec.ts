import * as assert from "assert";
import { SYNC_ENV } from "../../../../../contract/markers";
import { syncWorkloadRequiresTls13 } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadRequiresTls13";
import { deploymentProps, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-requires-tls-1-3", () => {
    const policy = syncWorkloadRequiresTls13;
    const spec = (p: any) => p.spec.template.spec;
    const env = (p: any) => spec(p).containers[0].env;
    const fire = async (change: (p: any) => void) => messagesOf(policy, [{ type: T.deployment, props: variant(syncDeploymentProps(), change) }]);

    it("is silent on TLS 1.3 with the certificate from a Secret, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires when the minimum TLS version is 1.2 or unset", async () => {
        assert.match((await fire((p) => (env(p)[2].value = "1.2")))[0], /"1.2"; set it to "1.3"/);
        assert.match((await fire((p) => env(p).splice(2, 1)))[0], /not set/);
    });
    it("fires when the certificate or key is not a file of a Secret volume", async () => {
        assert.match((await fire((p) => (spec(p).volumes[1] = { name: "tls", emptyDir: {} })))[0], new RegExp(`${SYNC_ENV.tlsCertFile} .* not a Secret volume`));
        assert.match((await fire((p) => env(p).splice(4, 1)))[0], new RegExp(`sets no ${SYNC_ENV.tlsKeyFile}`));
    });
    it("fires when the private key is readable by others", async () => {
        assert.match((await fire((p) => (spec(p).volumes[1].secret.defaultMode = 0o644)))[0], /private key file has mode 0644/);
    });
});
