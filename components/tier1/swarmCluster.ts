/**
 * Tier 1 (seed 002 section 3.2): a Docker Swarm of 3 managers and 2-5 workers, each group a
 * launch template (encrypted EBS with the stack's key, IMDSv2) and an autoscaling group. The
 * stack file, rendered from the catalog with stateless services at 3 replicas on an encrypted
 * overlay network, is stored encrypted in S3 and tagged for the policies. Join tokens live in
 * KMS-encrypted SecureString parameters that the first manager fills in. A TLS load balancer
 * sends traffic to the workers through the swarm routing mesh.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { NodePoolConfig } from "../../contract/nodePools";
import { SWARM } from "../../contract/seedFigures";
import { ComposeTierArgs, ComposeTierNetwork, storeComposeFile } from "../compose/composeTier";
import { InstanceRole } from "../shared/instanceRole";
import { TlsLoadBalancer } from "../shared/tlsLoadBalancer";
import { AL2023_AMI_PARAMETER } from "../compose/hosts";
import { DATA_SLOTS, renderComposeFile, requiredSecrets } from "../compose/composeFile";
import { routesFromCatalog } from "../compose/routes";
import { swarmNodeRules } from "./swarmPorts";
import { SwarmParameterNames, swarmUserData } from "./swarmUserData";

export const STACK_FILE_KEY = "compose/tier1/docker-stack.yaml";
export const NODE_VOLUME_GB = 50;
/** What the join-token parameters hold until the first manager writes the real tokens. */
export const TOKEN_PLACEHOLDER = "pending-swarm-init";

export interface SwarmClusterArgs extends ComposeTierArgs {
    /** With `project`, names the SSM parameter path (/<project>/<stack>/swarm/...). */
    stack: string;
    managerInstanceType: string;
    /** Worker pool bounds (issue 2: 2-5 workers). */
    workers: NodePoolConfig;
    network: ComposeTierNetwork;
    /** Refuse deleting the load balancer (production). */
    deletionProtection?: boolean;
}

export class SwarmCluster extends pulumi.ComponentResource {
    readonly loadBalancerDnsName: pulumi.Output<string>;
    readonly managerGroupName: pulumi.Output<string>;
    readonly workerGroupName: pulumi.Output<string>;
    readonly parameterNames: SwarmParameterNames;

    constructor(name: string, args: SwarmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier1:SwarmCluster", name, {}, opts);
        const child = { parent: this };
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ ...args.tags, Name: `${name}-${suffix}`, ...extra });
        const prefix = `/${args.project}/${args.stack}/swarm`;
        this.parameterNames = {
            managerToken: `${prefix}/manager-join-token`,
            workerToken: `${prefix}/worker-join-token`,
            managerAddress: `${prefix}/manager-address`,
            initLock: `${prefix}/init-lock`,
        };

        const stackFile = storeComposeFile(`${name}-stack-file`, {
            bucket: args.bucket.name,
            key: STACK_FILE_KEY,
            content: renderComposeFile(args.catalog, { mode: "swarm", project: args.project }),
            kmsKeyArn: args.kmsKeyArn,
            nodes: [
                { role: "manager", count: SWARM.managers, instanceType: args.managerInstanceType },
                { role: "worker", count: args.workers.minSize, instanceType: args.workers.instanceType },
            ],
            tags: tags("stack-file"),
        }, child);

        // Pulumi owns the parameters (encryption, tags, deletion); the first manager owns the values.
        const tokenParameter = (suffix: string, parameterName: string) =>
            new aws.ssm.Parameter(`${name}-${suffix}`, {
                name: parameterName,
                type: "SecureString",
                keyId: args.kmsKeyArn,
                value: pulumi.secret(TOKEN_PLACEHOLDER),
                description: `Docker Swarm ${suffix.replace(/-/g, " ")}, written by the first manager`,
                tags: tags(suffix),
            }, { ...child, ignoreChanges: ["value"] });
        const managerToken = tokenParameter("manager-join-token", this.parameterNames.managerToken);
        const workerToken = tokenParameter("worker-join-token", this.parameterNames.workerToken);
        const managerAddress = new aws.ssm.Parameter(`${name}-manager-address`, {
            name: this.parameterNames.managerAddress,
            type: "String",
            value: TOKEN_PLACEHOLDER,
            description: "Private address of the swarm manager that initialised the swarm",
            tags: tags("manager-address"),
        }, { ...child, ignoreChanges: ["value"] });

        const identity = aws.getCallerIdentityOutput({}, child);
        const parameterPathArn = pulumi.interpolate`arn:aws:ssm:${args.region}:${identity.accountId}:parameter${prefix}/*`;
        const role = new InstanceRole(`${name}-node`, {
            bucketArn: args.bucket.arn,
            keyPrefix: "compose/tier1/",
            kmsKeyArn: args.kmsKeyArn,
            extraStatements: [
                parameterPathArn.apply((arn) => ({
                    Sid: "SwarmBootstrapParameters",
                    Effect: "Allow",
                    Action: ["ssm:GetParameter", "ssm:PutParameter"],
                    Resource: arn,
                })),
            ],
            tags: args.tags,
        }, child);

        const routes = routesFromCatalog(args.catalog);
        const loadBalancer = new TlsLoadBalancer(`${name}-lb`, {
            vpcId: args.network.vpcId,
            publicSubnetIds: args.network.publicSubnetIds,
            certificateArn: args.certificateArn,
            routes,
            dns: args.dns,
            deletionProtection: args.deletionProtection,
            tags: args.tags,
        }, child);

        const nodes = new aws.ec2.SecurityGroup(`${name}-nodes`, {
            vpcId: args.network.vpcId,
            description: "Swarm nodes: swarm control/overlay traffic between nodes, published ports from the load balancer; no SSH",
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Image pulls, S3, SSM through the NAT gateway" }],
            tags: tags("nodes"),
        }, child);
        swarmNodeRules().forEach((rule) => {
            new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.name}`, {
                securityGroupId: nodes.id,
                referencedSecurityGroupId: nodes.id,
                ipProtocol: rule.protocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                description: rule.description,
            }, child);
        });
        routes.forEach((route) => {
            new aws.vpc.SecurityGroupIngressRule(`${name}-lb-${route.name}`, {
                securityGroupId: nodes.id,
                referencedSecurityGroupId: loadBalancer.securityGroupId,
                ipProtocol: "tcp",
                fromPort: route.port,
                toPort: route.port,
                description: `${route.name} from the load balancer (routing mesh)`,
            }, child);
        });

        const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, child);
        const userData = (nodeRole: "manager" | "worker") =>
            pulumi.output(args.bucket.name).apply((bucket) =>
                Buffer.from(swarmUserData({
                    role: nodeRole,
                    region: args.region,
                    parameters: this.parameterNames,
                    placeholder: TOKEN_PLACEHOLDER,
                    bucket,
                    key: STACK_FILE_KEY,
                    stackName: args.project,
                    dataSlots: DATA_SLOTS,
                    secrets: requiredSecrets(args.catalog),
                })).toString("base64"),
            );
        const launchTemplate = (nodeRole: "manager" | "worker", instanceType: string) =>
            new aws.ec2.LaunchTemplate(`${name}-${nodeRole}`, {
                imageId: ami.value,
                instanceType,
                iamInstanceProfile: { arn: role.instanceProfileArn },
                vpcSecurityGroupIds: [nodes.id],
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                monitoring: { enabled: true },
                blockDeviceMappings: [{
                    deviceName: "/dev/xvda",
                    ebs: { encrypted: "true", kmsKeyId: args.kmsKeyArn, volumeType: "gp3", volumeSize: NODE_VOLUME_GB, deleteOnTermination: "true" },
                }],
                userData: userData(nodeRole),
                tagSpecifications: [
                    { resourceType: "instance", tags: tags(nodeRole) },
                    { resourceType: "volume", tags: tags(`${nodeRole}-volume`) },
                ],
                updateDefaultVersion: true,
                tags: tags(nodeRole),
            }, child);

        const groupTags = (nodeRole: string) =>
            Object.entries(tags(nodeRole)).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
        const managerTemplate = launchTemplate("manager", args.managerInstanceType);
        const managers = new aws.autoscaling.Group(`${name}-managers`, {
            minSize: SWARM.managers,
            desiredCapacity: SWARM.managers,
            maxSize: SWARM.managers,
            vpcZoneIdentifiers: args.network.privateSubnetIds,
            launchTemplate: { id: managerTemplate.id, version: managerTemplate.latestVersion.apply(String) },
            healthCheckType: "EC2",
            tags: groupTags("manager"),
        }, { ...child, dependsOn: [stackFile, managerToken, workerToken, managerAddress] });

        const workerTemplate = launchTemplate("worker", args.workers.instanceType);
        const workers = new aws.autoscaling.Group(`${name}-workers`, {
            minSize: args.workers.minSize,
            desiredCapacity: args.workers.desiredSize,
            maxSize: args.workers.maxSize,
            vpcZoneIdentifiers: args.network.privateSubnetIds,
            launchTemplate: { id: workerTemplate.id, version: workerTemplate.latestVersion.apply(String) },
            targetGroupArns: routes.map((route) => loadBalancer.targetGroupArns[route.name]),
            healthCheckType: "ELB",
            healthCheckGracePeriod: 600,
            tags: groupTags("worker"),
        }, { ...child, dependsOn: [managers] });

        this.loadBalancerDnsName = loadBalancer.dnsName;
        this.managerGroupName = managers.name;
        this.workerGroupName = workers.name;
        this.registerOutputs({ loadBalancerDnsName: this.loadBalancerDnsName, managerGroupName: this.managerGroupName, workerGroupName: this.workerGroupName });
    }
}
