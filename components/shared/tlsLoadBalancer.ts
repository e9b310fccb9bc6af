/**
 * A public Application Load Balancer that only speaks TLS 1.2/1.3 to clients: HTTPS listener with
 * ELBSecurityPolicy-TLS13-1-2-2021-06, port 80 redirecting to 443, one target group per route,
 * and an alias record for the platform's domain.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** TLS 1.3 with TLS 1.2 fallback, the AWS-recommended policy for public listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancedRoute {
    /** Short name (target group name part), e.g. "frontend". */
    name: string;
    /** Port the targets listen on. */
    port: number;
    /** Path patterns routed here; the first route without patterns is the default. */
    pathPatterns?: string[];
    /** Health check path (default "/"). */
    healthPath?: string;
}

export interface TlsLoadBalancerArgs {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    certificateArn: pulumi.Input<string>;
    /** Routes; exactly one must have no pathPatterns (the default action). */
    routes: LoadBalancedRoute[];
    /** Alias record `<name>` in this zone pointing at the load balancer. */
    dns?: { zoneId: pulumi.Input<string>; name: string };
    /** Refuse deletion (production). */
    deletionProtection?: boolean;
    tags: Record<string, string>;
}

export class TlsLoadBalancer extends pulumi.ComponentResource {
    readonly dnsName: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** Security group of the load balancer: targets accept traffic from it. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Target group ARN per route name. */
    readonly targetGroupArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: TlsLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:TlsLoadBalancer", name, {}, opts);
        const defaults = args.routes.filter((r) => !r.pathPatterns?.length);
        if (defaults.length !== 1) {
            throw new Error(`TlsLoadBalancer ${name}: exactly one route needs no pathPatterns (the default), got ${defaults.length}`);
        }
        const child = { parent: this };

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-lb`, {
            vpcId: args.vpcId,
            description: "Public HTTPS (and HTTP redirect) to the platform load balancer",
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "HTTPS" },
                { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "HTTP, redirected to HTTPS" },
            ],
            egress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"], description: "To targets inside the VPC" }],
            tags: args.tags,
        }, child);

        const loadBalancer = new aws.lb.LoadBalancer(name, {
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [securityGroup.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection ?? false,
            tags: args.tags,
        }, child);

        this.targetGroupArns = {};
        const groups = args.routes.map((route) => {
            const group = new aws.lb.TargetGroup(`${name}-${route.name}`, {
                vpcId: args.vpcId,
                port: route.port,
                protocol: "HTTP",
                targetType: "instance",
                deregistrationDelay: 30,
                healthCheck: { path: route.healthPath ?? "/", matcher: "200-399", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
                tags: args.tags,
            }, child);
            this.targetGroupArns[route.name] = group.arn;
            return { route, group };
        });
        const defaultGroup = groups.find((g) => !g.route.pathPatterns?.length)!.group;

        const https = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: defaultGroup.arn }],
            tags: args.tags,
        }, child);
        new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: args.tags,
        }, child);
        groups
            .filter((g) => g.route.pathPatterns?.length)
            .forEach((g, index) => {
                new aws.lb.ListenerRule(`${name}-${g.route.name}`, {
                    listenerArn: https.arn,
                    priority: 10 + index,
                    conditions: [{ pathPattern: { values: g.route.pathPatterns! } }],
                    actions: [{ type: "forward", targetGroupArn: g.group.arn }],
                    tags: args.tags,
                }, child);
            });

        if (args.dns) {
            new aws.route53.Record(`${name}-alias`, {
                zoneId: args.dns.zoneId,
                name: args.dns.name,
                type: "A",
                aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
            }, child);
        }

        this.dnsName = loadBalancer.dnsName;
        this.zoneId = loadBalancer.zoneId;
        this.arn = loadBalancer.arn;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({ dnsName: this.dnsName, securityGroupId: this.securityGroupId });
    }
}
