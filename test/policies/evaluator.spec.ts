import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { evaluatePolicies, mandatoryViolations, resolvePolicyConfig } from "../../policies/evaluator";
import { POLICY_PACKS } from "../../policies/packs";
import { recorded } from "./support/policyHarness";

const volume = (encrypted: boolean, name = "data") => recorded({ type: "aws:ebs/volume:Volume", name, props: { size: 10, encrypted } });

const unencrypted: ResourceValidationPolicy = {
    name: "volumes-encrypted",
    description: "test",
    configSchema: { properties: { maxSize: { type: "number", default: 5 } } },
    validateResource: validateResourceOfType(aws.ebs.Volume, (v, args, report) => {
        if (!v.encrypted) report(`unencrypted, max ${args.getConfig<{ maxSize: number }>().maxSize}`);
    }),
};
const countVolumes: StackValidationPolicy = {
    name: "count-volumes",
    description: "test",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => report(`${args.resources.filter((r) => r.isType(aws.ebs.Volume)).length} volumes`, args.resources[0]?.urn),
};
const notApplicable: ResourceValidationPolicy = { name: "skips", description: "test", validateResource: (args) => args.notApplicable("never") };

describe("policy evaluator", () => {
    const pack = [{ name: "p", policies: [unencrypted, countVolumes, notApplicable] }];

    it("runs resource policies per custom resource and stack policies once, with isType from the SDK class", async () => {
        const violations = await evaluatePolicies([volume(false), volume(true, "ok"), { ...volume(false, "component"), custom: false }], pack);
        assert.deepStrictEqual(
            violations.map((v) => [v.policyName, v.enforcementLevel, v.message]),
            [
                ["volumes-encrypted", "advisory", "unencrypted, max 5"],
                ["count-volumes", "mandatory", "3 volumes"],
            ],
        );
        assert.match(violations[0].resourceUrn!, /::data$/);
        assert.strictEqual(violations[0].policyPackName, "p");
    });

    it("applies per-policy config over schema defaults, and 'all' levels", async () => {
        const violations = await evaluatePolicies([volume(false)], pack, { p: { all: "mandatory", "volumes-encrypted": { maxSize: 9 }, "count-volumes": "disabled" } });
        assert.deepStrictEqual(violations.map((v) => [v.policyName, v.enforcementLevel, v.message]), [["volumes-encrypted", "mandatory", "unencrypted, max 9"]]);
        assert.strictEqual(mandatoryViolations(violations).length, 1);
    });

    it("resolves levels like the CLI: entry, then all, then the policy, then the pack", () => {
        assert.strictEqual(resolvePolicyConfig(countVolumes, undefined).level, "mandatory");
        assert.strictEqual(resolvePolicyConfig(unencrypted, undefined).level, "advisory");
        assert.strictEqual(resolvePolicyConfig(countVolumes, { all: "advisory" }).level, "advisory");
        assert.strictEqual(resolvePolicyConfig(countVolumes, { all: "advisory", "count-volumes": { enforcementLevel: "disabled" } }).level, "disabled");
    });

    it("names the policy and resource when a rule throws", async () => {
        const broken: ResourceValidationPolicy = { name: "broken", description: "t", validateResource: () => { throw new Error("boom"); } };
        await assert.rejects(evaluatePolicies([volume(true)], [{ name: "p", policies: [broken] }]), /policy broken failed on urn:.*::data: boom/);
    });

    it("calls a validateResourceOfType rule only for its type and an untyped rule for every custom resource, in declaration order", async () => {
        const calls: string[] = [];
        const typed: ResourceValidationPolicy = {
            name: "typed",
            description: "t",
            validateResource: [
                validateResourceOfType(aws.ebs.Volume, (_, args) => void calls.push(`volume ${args.name}`)),
                validateResourceOfType(aws.kms.Key, (_, args) => void calls.push(`key ${args.name}`)),
            ],
        };
        const untyped: ResourceValidationPolicy = { name: "untyped", description: "t", validateResource: (args) => void calls.push(`any ${args.name}`) };
        const key = recorded({ type: "aws:kms/key:Key", name: "k", props: {} });
        await evaluatePolicies([volume(true, "a"), key, volume(true, "b"), { ...volume(true, "component"), custom: false }], [{ name: "p", policies: [typed, untyped] }]);
        assert.deepStrictEqual(calls, ["volume a", "key k", "volume b", "any a", "any k", "any b"]);
    });

    it("awaits asynchronous rules and counts notApplicable() from them as no violation", async () => {
        const later: ResourceValidationPolicy = {
            name: "later",
            description: "t",
            validateResource: async (args, report) => {
                await new Promise((resolve) => setImmediate(resolve));
                if (args.name === "skip") args.notApplicable("not this one");
                report(`checked ${args.name}`);
            },
        };
        const failing: StackValidationPolicy = { name: "failing", description: "t", validateStack: async () => Promise.reject(new Error("late boom")) };
        const violations = await evaluatePolicies([volume(true, "a"), volume(true, "skip")], [{ name: "p", policies: [later] }]);
        assert.deepStrictEqual(violations.map((v) => v.message), ["checked a"]);
        await assert.rejects(evaluatePolicies([volume(true)], [{ name: "p", policies: [failing] }]), /policy failing failed: late boom/);
    });

    it("lists four packs with unique, kebab-case policy names", () => {
        assert.deepStrictEqual(POLICY_PACKS.map((p) => p.name), ["encryption", "otp-gated-sync", "resource-limits", "cost-caps"]);
        const names = POLICY_PACKS.flatMap((p) => p.policies.map((x) => x.name));
        assert.strictEqual(new Set(names).size, names.length);
        assert.ok(names.every((n) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(n)), names.join(","));
    });
});
