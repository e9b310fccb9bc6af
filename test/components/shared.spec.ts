import * as assert from "assert";
import { budgetNotifications } from "../../components/shared/costGuard";
import { keyPolicy } from "../../components/shared/encryptionKey";
import { planSubnets } from "../../components/shared/subnetPlan";
import { awsTags } from "../../components/shared/tags";
import { TAG } from "../../contract/markers";
import { ProgramRun, ofType, runProgram } from "../support/programUnderMocks";

describe("shared base under mocks (tier 0, dev sizes)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ tier: "0", secondaryRegions: "[]", monthlyCostCap: "1500", budgetAlertEmails: '["ops@example.com"]' });
    });

    it("budget: monthly cost cap with alerts at 50, 80 and 100 %, actual and forecasted", () => {
        const budgets = ofType(run.resources, "aws:budgets/budget:Budget");
        assert.strictEqual(budgets.length, 1);
        const budget = budgets[0].inputs;
        assert.strictEqual(budget.limitAmount, "1500.00");
        assert.strictEqual(budget.timeUnit, "MONTHLY");
        const pairs = budget.notifications.map((n: any) => `${n.notificationType}:${n.threshold}`).sort();
        assert.deepStrictEqual(pairs, ["ACTUAL:100", "ACTUAL:50", "ACTUAL:80", "FORECASTED:100", "FORECASTED:50", "FORECASTED:80"]);
        assert.deepStrictEqual(budget.notifications[0].subscriberEmailAddresses, ["ops@example.com"]);
        const topic = ofType(run.resources, "aws:sns/topic:Topic")[0];
        assert.match(topic.inputs.kmsMasterKeyId, /^arn:aws:kms:/);
    });

    it("KMS key rotates and has an alias", () => {
        const key = ofType(run.resources, "aws:kms/key:Key")[0].inputs;
        assert.strictEqual(key.enableKeyRotation, true);
        assert.strictEqual(key.deletionWindowInDays, 30);
        assert.strictEqual(ofType(run.resources, "aws:kms/alias:Alias")[0].inputs.name, "alias/ai-platform-dev-us-west-2");
    });

    it("backup bucket: SSE-KMS with the key, versioning, public access blocked", () => {
        const sse = ofType(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0].inputs;
        assert.strictEqual(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.match(sse.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, /^arn:aws:kms:/);
        assert.strictEqual(ofType(run.resources, "aws:s3/bucketVersioning:BucketVersioning")[0].inputs.versioningConfiguration.status, "Enabled");
        const block = ofType(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].inputs;
        assert.ok(block.blockPublicAcls && block.blockPublicPolicy && block.ignorePublicAcls && block.restrictPublicBuckets);
    });

    it("network: public and private subnet per zone, flow logs to an encrypted log group", () => {
        const subnets = ofType(run.resources, "aws:ec2/subnet:Subnet");
        assert.strictEqual(subnets.filter((s) => s.name.includes("-public-")).length, 3);
        assert.strictEqual(subnets.filter((s) => s.name.includes("-private-")).length, 3);
        assert.strictEqual(ofType(run.resources, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.match(ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup")[0].inputs.kmsKeyId, /^arn:aws:kms:/);
        assert.strictEqual(ofType(run.resources, "aws:ec2/flowLog:FlowLog").length, 1);
    });

    it("the region's provider tags everything with stack, tier and region", () => {
        const provider = ofType(run.resources, "pulumi:providers:aws")[0].inputs;
        const tags = JSON.parse(provider.defaultTags).tags;
        assert.strictEqual(tags[TAG.stack], "dev");
        assert.strictEqual(tags[TAG.tier], "0");
        assert.strictEqual(tags[TAG.region], "us-west-2");
    });
});

describe("shared pure helpers", () => {
    it("budget notifications follow the thresholds given", () => {
        const notes = budgetNotifications([50, 80, 100], "arn:topic", []);
        assert.strictEqual(notes.length, 6);
        assert.ok(notes.every((n) => n.thresholdType === "PERCENTAGE" && n.subscriberEmailAddresses === undefined));
    });

    it("key policy lets the account administer and Auto Scaling use the key", () => {
        const policy = keyPolicy("111122223333", "aws", "eu-west-1") as any;
        const sids = policy.Statement.map((s: any) => s.Sid);
        assert.deepStrictEqual(sids, ["AccountAdministersThroughIam", "AutoScalingUsesKeyForEncryptedVolumes", "CloudWatchLogsEncryptsLogGroups", "BudgetsPublishesToEncryptedTopic"]);
        assert.strictEqual(policy.Statement[2].Principal.Service, "logs.eu-west-1.amazonaws.com");
    });

    it("subnet plan: private /19s and public /20s that do not overlap", () => {
        assert.deepStrictEqual(planSubnets("10.10.0.0/16", 3), {
            privateCidrs: ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"],
            publicCidrs: ["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"],
        });
        assert.throws(() => planSubnets("10.0.0.0/24", 2), /must be a \/16/);
    });

    it("tags carry the markers", () => {
        assert.deepStrictEqual(awsTags({ project: "p", stack: "s", tier: 1, region: "r", component: "c" }), {
            [TAG.project]: "p", [TAG.stack]: "s", [TAG.tier]: "1", [TAG.region]: "r", [TAG.component]: "c",
        });
    });
});
