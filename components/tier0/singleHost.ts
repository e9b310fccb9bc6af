/**
 * Tier 0 (seed 002 section 3.1): one EC2 host running the whole catalog with docker compose.
 * Root and data volumes are encrypted with the stack's customer-managed key; there is no SSH
 * (Session Manager only, IMDSv2 required); the compose file, rendered from the catalog with
 * limits and reservations for every container, is stored encrypted in S3 and tagged so the
 * policies can read it; a TLS load balancer in front.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComposeTierArgs, ComposeTierNetwork, storeComposeFile } from "../compose/composeTier";
import { InstanceRole } from "../shared/instanceRole";
import { TlsLoadBalancer } from "../shared/tlsLoadBalancer";
import { HOST_SECRETS_DIR, renderComposeFile, requiredSecrets } from "../compose/composeFile";
import { routesFromCatalog } from "../compose/routes";
import { hostUserData } from "./userData";
import { AL2023_AMI_PARAMETER } from "../compose/hosts";

export const ROOT_VOLUME_GB = 30;
export const COMPOSE_KEY = "compose/tier0/docker-compose.yaml";

export interface SingleHostArgs extends ComposeTierArgs {
    instanceType: string;
    /** Size of the encrypted data volume that holds Docker's storage, GiB. */
    dataVolumeGb: number;
    network: ComposeTierNetwork & {
        /** Zones of the private subnets; the host goes into the first one. */
        privateSubnetZones: pulumi.Input<pulumi.Input<string>[]>;
    };
}

export class SingleHost extends pulumi.ComponentResource {
    readonly instanceId: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    readonly composeFileKey: string;

    constructor(name: string, args: SingleHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier0:SingleHost", name, {}, opts);
        const child = { parent: this };
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ ...args.tags, Name: `${name}-${suffix}`, ...extra });
        const subnetId = pulumi.output(args.network.privateSubnetIds).apply((ids) => ids[0]);
        const zone = pulumi.output(args.network.privateSubnetZones).apply((zones) => zones[0]);

        const composeFile = storeComposeFile(`${name}-compose`, {
            bucket: args.bucket.name,
            key: COMPOSE_KEY,
            content: renderComposeFile(args.catalog, { mode: "compose", project: args.project }),
            kmsKeyArn: args.kmsKeyArn,
            nodes: [{ role: "host", count: 1, instanceType: args.instanceType }],
            tags: tags("compose"),
        }, child);
        const routes = routesFromCatalog(args.catalog);

        const loadBalancer = new TlsLoadBalancer(`${name}-lb`, {
            vpcId: args.network.vpcId,
            publicSubnetIds: args.network.publicSubnetIds,
            certificateArn: args.certificateArn,
            routes,
            dns: args.dns,
            tags: args.tags,
        }, child);

        const hostGroup = new aws.ec2.SecurityGroup(`${name}-host`, {
            vpcId: args.network.vpcId,
            description: "Tier-0 host: application ports from the load balancer only; no SSH",
            ingress: routes.map((route) => ({
                protocol: "tcp",
                fromPort: route.port,
                toPort: route.port,
                securityGroups: [loadBalancer.securityGroupId],
                description: `${route.name} from the load balancer`,
            })),
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Image pulls, S3, SSM through the NAT gateway" }],
            tags: tags("host"),
        }, child);

        const role = new InstanceRole(`${name}-host`, {
            bucketArn: args.bucket.arn,
            keyPrefix: "compose/tier0/",
            kmsKeyArn: args.kmsKeyArn,
            tags: args.tags,
        }, child);

        const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, child);
        const instance = new aws.ec2.Instance(`${name}-host`, {
            ami: ami.value,
            instanceType: args.instanceType,
            subnetId,
            vpcSecurityGroupIds: [hostGroup.id],
            iamInstanceProfile: role.instanceProfileName,
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            monitoring: true,
            rootBlockDevice: { encrypted: true, kmsKeyId: args.kmsKeyArn, volumeType: "gp3", volumeSize: ROOT_VOLUME_GB, deleteOnTermination: true },
            userData: pulumi.output(args.bucket.name).apply((bucket) =>
                hostUserData({ bucket, key: COMPOSE_KEY, region: args.region, secrets: requiredSecrets(args.catalog), secretsDir: HOST_SECRETS_DIR }),
            ),
            tags: tags("host"),
            volumeTags: tags("host-root"),
        }, { ...child, dependsOn: [composeFile] });

        // A separate volume outlives host replacement: the data stays when the instance changes.
        const data = new aws.ebs.Volume(`${name}-data`, {
            availabilityZone: zone,
            size: args.dataVolumeGb,
            type: "gp3",
            encrypted: true,
            kmsKeyId: args.kmsKeyArn,
            tags: tags("data"),
        }, child);
        new aws.ec2.VolumeAttachment(`${name}-data`, {
            deviceName: "/dev/sdf",
            volumeId: data.id,
            instanceId: instance.id,
            stopInstanceBeforeDetaching: true,
        }, child);

        routes.forEach((route) => {
            new aws.lb.TargetGroupAttachment(`${name}-${route.name}`, {
                targetGroupArn: loadBalancer.targetGroupArns[route.name],
                targetId: instance.id,
                port: route.port,
            }, child);
        });

        this.instanceId = instance.id;
        this.loadBalancerDnsName = loadBalancer.dnsName;
        this.composeFileKey = COMPOSE_KEY;
        this.registerOutputs({ instanceId: this.instanceId, loadBalancerDnsName: this.loadBalancerDnsName });
    }
}
