import * as assert from "assert";
import { parse } from "yaml";
import { ROLE, TAG } from "../../../contract/markers";
import { ProgramRun, ofType, runProgram } from "../../support/programUnderMocks";

describe("tier 1: SwarmCluster under mocks", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ tier: "1", swarmWorkersMin: "2", swarmWorkersDesired: "3", swarmWorkersMax: "5" });
    });
    const groups = () => ofType(run.resources, "aws:autoscaling/group:Group");

    it("runs exactly 3 managers", () => {
        const managers = groups().find((g) => g.name.endsWith("-managers"))!;
        assert.deepStrictEqual([managers.inputs.minSize, managers.inputs.desiredCapacity, managers.inputs.maxSize], [3, 3, 3]);
    });

    it("bounds the workers by the config (2/3/5)", () => {
        const workers = groups().find((g) => g.name.endsWith("-workers"))!;
        assert.deepStrictEqual([workers.inputs.minSize, workers.inputs.desiredCapacity, workers.inputs.maxSize], [2, 3, 5]);
        assert.ok(workers.inputs.targetGroupArns.length >= 1, "workers sit behind the load balancer");
    });

    it("encrypts every launch template volume with the key and requires IMDSv2", () => {
        const templates = ofType(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.strictEqual(templates.length, 2);
        for (const t of templates) {
            const ebs = t.inputs.blockDeviceMappings[0].ebs;
            assert.strictEqual(ebs.encrypted, "true");
            assert.match(ebs.kmsKeyId, /^arn:aws:kms:/);
            assert.strictEqual(t.inputs.metadataOptions.httpTokens, "required");
        }
    });

    it("terminates TLS with ELBSecurityPolicy-TLS13-1-2-2021-06 and the certificate", () => {
        const https = ofType(run.resources, "aws:lb/listener:Listener").find((l) => l.inputs.protocol === "HTTPS")!;
        assert.strictEqual(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.ok(https.inputs.certificateArn);
    });

    it("keeps join tokens in KMS-encrypted SecureString parameters, values owned by the bootstrap", () => {
        const tokens = ofType(run.resources, "aws:ssm/parameter:Parameter").filter((p) => p.inputs.type === "SecureString");
        assert.deepStrictEqual(tokens.map((t) => t.inputs.name).sort(), ["/ai-platform/dev/swarm/manager-join-token", "/ai-platform/dev/swarm/worker-join-token"]);
        for (const token of tokens) assert.match(token.inputs.keyId, /^arn:aws:kms:/);
    });

    it("stores a stack file with an encrypted overlay network and stateless services at 3 replicas", () => {
        const file = ofType(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.tags?.[TAG.role] === ROLE.composeFile)!;
        assert.strictEqual(file.inputs.serverSideEncryption, "aws:kms");
        const stack = parse(file.inputs.content);
        assert.strictEqual(stack.networks.platform.driver, "overlay");
        assert.strictEqual(stack.networks.platform.driver_opts.encrypted, "true");
        assert.strictEqual(stack.services["backend-api"].deploy.replicas, 3);
        assert.strictEqual(stack.services.frontend.deploy.replicas, 3);
    });

    it("tags the stack file with its nodes (3 managers, the workers at their minimum) for the host-fit rule", () => {
        const file = ofType(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.tags?.[TAG.role] === ROLE.composeFile)!;
        assert.match(file.inputs.tags[TAG.dockerNodes], /^manager:3x[a-z0-9.]+ worker:2x[a-z0-9.]+$/);
    });

    it("every manager's converge step, as leader, keeps the data slot labels on ready managers before deploying", () => {
        const template = ofType(run.resources, "aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.name.endsWith("-manager"))!;
        const script = Buffer.from(template.inputs.userData, "base64").toString("utf8");
        const apply = script.slice(script.indexOf("cat > /usr/local/bin/ai-platform-apply"));
        assert.ok(apply.indexOf("ManagerStatus.Leader") < apply.indexOf("converge_data_slots\n"), "leader check first");
        assert.ok(apply.indexOf("converge_data_slots\n") < apply.indexOf("docker stack deploy"), "labels before the deploy");
        assert.match(apply, /for slot in \$\(seq 1 3\)/);
        assert.doesNotMatch(script.slice(0, script.indexOf("cat > /usr/local/bin/ai-platform-apply")), /--label-add/, "no label is set only once, at swarm init");
    });

    it("allows ESP between nodes (the encrypted overlay's IPsec) and no SSH", () => {
        const rules = ofType(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.ok(rules.some((r) => r.inputs.ipProtocol === "50"));
        assert.ok(rules.every((r) => !(r.inputs.fromPort <= 22 && r.inputs.toPort >= 22)));
    });
});
