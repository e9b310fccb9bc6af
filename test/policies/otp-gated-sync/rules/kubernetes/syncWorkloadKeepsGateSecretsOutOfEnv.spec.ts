import * as assert from "assert";
import { LEGACY_SEED_ENV, OTP_SEED_KEY, PAYLOAD_KEY_KEY } from "../../../../../contract/markers";
import { syncWorkloadKeepsGateSecretsOutOfEnv } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadKeepsGateSecretsOutOfEnv";
import { deploymentProps, GATE_SECRET, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-keeps-gate-secrets-out-of-env", () => {
    const policy = syncWorkloadKeepsGateSecretsOutOfEnv;
    const spec = (p: any) => p.spec.template.spec;
    const env = (p: any) => spec(p).containers[0].env;
    const fire = async (change: (p: any) => void) => messagesOf(policy, [{ type: T.deployment, props: variant(syncDeploymentProps(), change) }]);

    it("is silent when the secrets are mounted files, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        const other = variant(deploymentProps(), (p: any) => (p.spec.template.spec.containers[0].env = [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: OTP_SEED_KEY } } }]));
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: other }]), []);
    });
    it(`fires on ${LEGACY_SEED_ENV}, as a literal or from a secretKeyRef`, async () => {
        assert.match((await fire((p) => env(p).push({ name: LEGACY_SEED_ENV, value: "JBSWY3DPEHPK3PXP" })))[0], new RegExp(`sets ${LEGACY_SEED_ENV}`));
        assert.match((await fire((p) => env(p).push({ name: LEGACY_SEED_ENV, valueFrom: { secretKeyRef: { name: GATE_SECRET, key: OTP_SEED_KEY } } })))[0], /must not be in the environment/);
    });
    it("fires when any env var takes the seed or the payload key by secretKeyRef, in an init container too", async () => {
        assert.match((await fire((p) => env(p).push({ name: "KEY", valueFrom: { secretKeyRef: { name: GATE_SECRET, key: PAYLOAD_KEY_KEY } } })))[0], /"payload-key" into env KEY/);
        const init = await fire((p) => (spec(p).initContainers = [{ name: "init", image: "busybox", env: [{ name: "S", valueFrom: { secretKeyRef: { name: GATE_SECRET, key: OTP_SEED_KEY } } }] }]));
        assert.match(init[0], /Container init reads the gate's "seed"/);
    });
    it("fires on envFrom of the gate's Secret", async () => {
        assert.match((await fire((p) => (spec(p).containers[0].envFrom = [{ secretRef: { name: GATE_SECRET } }])))[0], /envFrom/);
    });
});
