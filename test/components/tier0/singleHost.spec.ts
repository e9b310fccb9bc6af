import * as assert from "assert";
import { parse } from "yaml";
import { ROLE, TAG } from "../../../contract/markers";
import { ProgramRun, ofType, runProgram } from "../../support/programUnderMocks";

describe("tier 0: SingleHost under mocks", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ tier: "0", secondaryRegions: "[]" });
    });

    it("declares one host with IMDSv2, SSM profile, private subnet", () => {
        const hosts = ofType(run.resources, "aws:ec2/instance:Instance");
        assert.strictEqual(hosts.length, 1);
        const host = hosts[0].inputs;
        assert.strictEqual(host.metadataOptions.httpTokens, "required");
        assert.strictEqual(ofType(run.resources, "aws:iam/instanceProfile:InstanceProfile").length, 1);
        assert.strictEqual(host.associatePublicIpAddress, false);
        const ssm = ofType(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs.policyArn);
        assert.ok(ssm.includes("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"));
    });

    it("encrypts root and data volumes with the customer-managed key", () => {
        const key = ofType(run.resources, "aws:kms/key:Key")[0];
        const keyArnValue = `arn:aws:kms:us-west-2:123456789012:${key.name}`;
        const host = ofType(run.resources, "aws:ec2/instance:Instance")[0].inputs;
        assert.strictEqual(host.rootBlockDevice.encrypted, true);
        assert.strictEqual(host.rootBlockDevice.kmsKeyId, keyArnValue);
        const volumes = ofType(run.resources, "aws:ebs/volume:Volume");
        assert.strictEqual(volumes.length, 1);
        assert.strictEqual(volumes[0].inputs.encrypted, true);
        assert.strictEqual(volumes[0].inputs.kmsKeyId, keyArnValue);
    });

    it("opens no SSH: no security group rule admits port 22", () => {
        for (const group of ofType(run.resources, "aws:ec2/securityGroup:SecurityGroup")) {
            for (const rule of group.inputs.ingress ?? []) {
                assert.ok(!(rule.fromPort <= 22 && rule.toPort >= 22), `${group.name} admits port 22`);
            }
        }
        const host = ofType(run.resources, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-host"))!;
        assert.ok(host.inputs.ingress.every((r: any) => !r.cidrBlocks), "host ingress only from the load balancer group");
    });

    it("stores the compose file SSE-KMS, tagged with the compose-file role, limits for every service", () => {
        const objects = ofType(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => o.inputs.tags?.[TAG.role] === ROLE.composeFile);
        assert.strictEqual(objects.length, 1);
        assert.strictEqual(objects[0].inputs.serverSideEncryption, "aws:kms");
        assert.ok(objects[0].inputs.kmsKeyId);
        const compose = parse(objects[0].inputs.content);
        assert.deepStrictEqual(compose.services["backend-api"].deploy.resources, {
            limits: { cpus: "2.0", memory: "2G" },
            reservations: { cpus: "1.0", memory: "1G" },
        });
        assert.ok(Object.values<any>(compose.services).every((s) => s.deploy.resources.limits && s.deploy.resources.reservations));
        const host = ofType(run.resources, "aws:ec2/instance:Instance")[0].inputs;
        assert.strictEqual(objects[0].inputs.tags[TAG.dockerNodes], `host:1x${host.instanceType}`, "its host, for the host-fit rule");
    });

    it("fronts the host with a TLS 1.3 listener and redirects HTTP", () => {
        const listeners = ofType(run.resources, "aws:lb/listener:Listener");
        const https = listeners.find((l) => l.inputs.protocol === "HTTPS")!;
        assert.strictEqual(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        const http = listeners.find((l) => l.inputs.protocol === "HTTP")!;
        assert.strictEqual(http.inputs.defaultActions[0].type, "redirect");
    });

    it("declares no swarm, cluster or second region", () => {
        assert.strictEqual(ofType(run.resources, "aws:autoscaling/group:Group").length, 0);
        assert.strictEqual(ofType(run.resources, "aws:eks/cluster:Cluster").length, 0);
        assert.strictEqual(ofType(run.resources, "pulumi:providers:aws").length, 1);
    });
});
