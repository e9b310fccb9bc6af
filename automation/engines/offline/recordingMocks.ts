/**
 * Pulumi mocks that record every resource the program declares, with its inputs, so the
 * offline engine and the tests can evaluate policies and costs on exactly what a preview sees.
 * Outputs that a real provider computes (ARNs, endpoints, random values) get stable stand-ins.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    /** Pulumi type token, e.g. `aws:s3/bucketV2:BucketV2`. */
    type: string;
    name: string;
    urn: string;
    /** false for ComponentResources. */
    custom: boolean;
    /** Reference of the explicit provider, when one was passed. */
    provider?: string;
    /** Input properties as the engine would see them (secrets unwrapped). */
    inputs: Record<string, any>;
    id: string;
}

const ACCOUNT = "123456789012";

/** Computed outputs a provider would add, per type token. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>, id: string): Record<string, any> {
    const region = "us-west-2";
    const arn = `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "x"}:${region}:${ACCOUNT}:${name}`;
    const base: Record<string, any> = { arn, id };
    switch (type) {
        case "aws:kms/key:Key":
            return { ...base, keyId: id };
        case "aws:eks/cluster:Cluster":
            return {
                ...base,
                name: inputs.name ?? name,
                endpoint: `https://${name}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from("mock-ca").toString("base64") },
                version: inputs.version ?? "1.31",
            };
        case "aws:rds/instance:Instance":
            return { ...base, endpoint: `${name}.db.example.internal:5432`, address: `${name}.db.example.internal` };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return { ...base, primaryEndpointAddress: `${name}.cache.example.internal` };
        case "aws:lb/loadBalancer:LoadBalancer":
            return { ...base, dnsName: `${name}.elb.example.com`, zoneId: "ZLBMOCK" };
        case "aws:route53/zone:Zone":
            return { ...base, zoneId: `Z${id}`, nameServers: ["ns-1.example.net"] };
        case "aws:acm/certificate:Certificate":
            return {
                ...base,
                domainValidationOptions: [
                    { domainName: inputs.domainName, resourceRecordName: `_v.${inputs.domainName}`, resourceRecordType: "CNAME", resourceRecordValue: "_v.acm-validations.aws" },
                ],
            };
        case "random:index/randomPassword:RandomPassword":
            return { ...base, result: crypto.randomBytes(24).toString("base64url") };
        case "random:index/randomBytes:RandomBytes": {
            const bytes = crypto.randomBytes(inputs.length ?? 20);
            return { ...base, base64: bytes.toString("base64"), hex: bytes.toString("hex") };
        }
        default:
            return base;
    }
}

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];

    constructor(private readonly project: string, private readonly stack: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const id = args.custom === false ? "" : `${args.name}-id`;
        const urn = `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`;
        this.resources.push({
            type: args.type,
            name: args.name,
            urn,
            custom: args.custom !== false,
            provider: args.provider,
            inputs: args.inputs ?? {},
            id,
        });
        return { id: args.custom === false ? undefined : id, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs ?? {}, id) } };
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        switch (args.token) {
            case "aws:index/getRegion:getRegion":
                return { name: args.inputs?.name ?? "us-west-2", region: "us-west-2", id: "us-west-2" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "mock" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { names: ["a", "b", "c"].map((z) => `zone-${z}`), zoneIds: ["z1", "z2", "z3"] };
            case "aws:ec2/getAmi:getAmi":
                return { id: "ami-0mock", imageId: "ami-0mock", architecture: "x86_64" };
            case "aws:ssm/getParameter:getParameter":
                return { value: "ami-0mock", type: "String", name: args.inputs?.name };
            case "aws:iam/getPolicyDocument:getPolicyDocument":
                return { json: JSON.stringify({ Version: "2012-10-17", Statement: args.inputs?.statements ?? [] }) };
            default:
                return args.inputs ?? {};
        }
    }
}

/** Resolves an Output (or plain value) under the mock runtime, keeping whether it was secret. */
export async function resolveOutput(value: unknown): Promise<{ value: unknown; secret: boolean }> {
    if (!pulumi.Output.isInstance(value)) {
        return { value, secret: false };
    }
    const output = value as pulumi.Output<unknown>;
    const secret = await pulumi.isSecret(output);
    const resolved = await new Promise<unknown>((resolve) => output.apply((v) => resolve(v)));
    return { value: resolved, secret };
}

/** Waits until every resource registration the program started has reached the mocks. */
export async function waitForRegistrations(): Promise<void> {
    const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
    if (wait) {
        await wait();
    }
}
