/**
 * A VPC with public and private subnets across N availability zones, NAT gateways for the
 * private subnets' egress, a default security group that allows nothing, and optional flow logs
 * to a KMS-encrypted log group.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./subnetPlan";

export interface NetworkArgs {
    /** VPC address range, a /16 (see subnetPlan.ts). */
    cidrBlock: string;
    /** Availability zones to span (2-4). */
    availabilityZones: number;
    /** NAT gateways, 1..availabilityZones; private subnets use them round-robin. */
    natGateways: number;
    /** Flow logs to CloudWatch Logs encrypted with this key, when given. */
    flowLogsKmsKeyArn?: pulumi.Input<string>;
    /** Days flow logs are kept (default 90). */
    flowLogsRetentionDays?: number;
    /** Tags of every resource; a Name tag is added per resource. */
    tags: Record<string, string>;
    /** Prefix of Name tags. */
    namePrefix: string;
}

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Zone of each private subnet, same order as privateSubnetIds (for zonal volumes). */
    readonly privateSubnetZones: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:Network", name, {}, opts);
        if (args.natGateways < 1 || args.natGateways > args.availabilityZones) {
            throw new Error(`Network ${name}: natGateways ${args.natGateways} must be 1..availabilityZones (${args.availabilityZones})`);
        }
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ ...args.tags, Name: `${args.namePrefix}-${suffix}`, ...extra });
        const plan = planSubnets(args.cidrBlock, args.availabilityZones);
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        const zone = (i: number) => zones.names.apply((names) => {
            if (names.length <= i) throw new Error(`Network ${name}: region has ${names.length} zones, ${args.availabilityZones} requested`);
            return names[i];
        });

        const vpc = new aws.ec2.Vpc(name, { cidrBlock: args.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: tags("vpc") }, { parent: this });
        // The default group of a VPC allows all traffic between its members; leave it empty.
        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, tags: tags("default-deny") }, { parent: this });
        const gateway = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: tags("igw") }, { parent: this });

        const publicTable = new aws.ec2.RouteTable(`${name}-public`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
            tags: tags("public"),
        }, { parent: this });
        const publicSubnets = plan.publicCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-public-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: zone(i),
                mapPublicIpOnLaunch: false,
                tags: tags(`public-${i}`, { "kubernetes.io/role/elb": "1" }),
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicTable.id }, { parent: this });
            return subnet;
        });

        const natGateways = Array.from({ length: args.natGateways }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tags(`nat-${i}`) }, { parent: this });
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                tags: tags(`nat-${i}`),
            }, { parent: this, dependsOn: [gateway] });
        });

        const privateSubnets = plan.privateCidrs.map((cidr, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidr,
                availabilityZone: zone(i),
                tags: tags(`private-${i}`, { "kubernetes.io/role/internal-elb": "1" }),
            }, { parent: this });
            const table = new aws.ec2.RouteTable(`${name}-private-${i}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[i % natGateways.length].id }],
                tags: tags(`private-${i}`),
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: table.id }, { parent: this });
            return subnet;
        });

        if (args.flowLogsKmsKeyArn) {
            this.declareFlowLogs(name, vpc, args, tags("flow-logs"));
        }

        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
        this.privateSubnetZones = pulumi.all(plan.privateCidrs.map((_, i) => zone(i)));
        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
    }

    private declareFlowLogs(name: string, vpc: aws.ec2.Vpc, args: NetworkArgs, tags: Record<string, string>): void {
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            retentionInDays: args.flowLogsRetentionDays ?? 90,
            kmsKeyId: args.flowLogsKmsKeyArn,
            tags,
        }, { parent: this });
        const role = new aws.iam.Role(`${name}-flow-logs`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: role.id,
            policy: logGroup.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [arn, `${arn}:*`],
                }],
            })),
        }, { parent: this });
        new aws.ec2.FlowLog(name, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            tags,
        }, { parent: this });
    }
}
