/**
 * The platform's public name: the Route 53 zone (existing, or created and then delegated by the
 * owner of the parent domain) and the ACM certificate for the domain (existing, or requested and
 * validated through the zone). Load balancers of every tier terminate TLS with this certificate.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface PublicDnsArgs {
    /** Public name, e.g. ai.example.com; the certificate also covers `*.<domain>`. */
    domain: string;
    /** Existing hosted zone; a new zone for `domain` is created when absent. */
    hostedZoneId?: string;
    /** Existing certificate in this provider's region; requested when absent. */
    certificateArn?: string;
    /**
     * false: no ACM certificate (tiers 2-3, whose Ingresses get theirs from cert-manager); the
     * load balancers of tiers 0-1 terminate TLS with it. Default true.
     */
    certificate?: boolean;
    tags: Record<string, string>;
}

export class PublicDns extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    /** The ACM certificate (undefined with `certificate: false`). */
    readonly certificateArn: pulumi.Output<string>;
    /** Name servers to delegate to, when the zone was created here. */
    readonly nameServers?: pulumi.Output<string[]>;

    constructor(name: string, args: PublicDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:PublicDns", name, {}, opts);
        if (args.hostedZoneId) {
            this.zoneId = pulumi.output(args.hostedZoneId);
        } else {
            const zone = new aws.route53.Zone(name, { name: args.domain, comment: `Public zone of ${args.domain}`, tags: args.tags }, { parent: this });
            this.zoneId = zone.zoneId;
            this.nameServers = zone.nameServers;
        }

        if (args.certificate === false) {
            this.certificateArn = pulumi.output(args.certificateArn ?? "");
        } else if (args.certificateArn) {
            this.certificateArn = pulumi.output(args.certificateArn);
        } else {
            const certificate = new aws.acm.Certificate(name, {
                domainName: args.domain,
                subjectAlternativeNames: [`*.${args.domain}`],
                validationMethod: "DNS",
                keyAlgorithm: "EC_prime256v1",
                tags: args.tags,
            }, { parent: this });
            // The apex and the wildcard share one validation record.
            const option = certificate.domainValidationOptions.apply((options) => options[0]);
            const record = new aws.route53.Record(`${name}-validation`, {
                zoneId: this.zoneId,
                name: option.apply((o) => o.resourceRecordName),
                type: option.apply((o) => o.resourceRecordType),
                records: [option.apply((o) => o.resourceRecordValue)],
                ttl: 300,
                allowOverwrite: true,
            }, { parent: this });
            const validation = new aws.acm.CertificateValidation(name, {
                certificateArn: certificate.arn,
                validationRecordFqdns: [record.fqdn],
            }, { parent: this });
            this.certificateArn = validation.certificateArn;
        }
        this.registerOutputs({ zoneId: this.zoneId, certificateArn: this.certificateArn, nameServers: this.nameServers });
    }
}
