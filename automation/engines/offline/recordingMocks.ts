/**
 * Pulumi mocks that record every resource the program declares, with its inputs, so the
 * offline engine and the tests can evaluate policies and costs on exactly what a preview sees.
 * Outputs that a real provider computes (ARNs, endpoints, random values) get stable stand-ins.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_PLACEHOLDER } from "../engine";

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

/**
 * A random string as the random provider draws it: `length` characters from the character
 * classes the inputs allow (upper, lower, numeric, special or overrideSpecial), so that
 * consumers of the value (a base32 OTP seed, say) see what a real deployment would give them.
 */
function randomFromCharset(inputs: Record<string, any>): string {
    const classes = [
        inputs.upper !== false ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
        inputs.lower !== false ? "abcdefghijklmnopqrstuvwxyz" : "",
        inputs.numeric !== false ? "0123456789" : "",
        inputs.special !== false ? (inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?") : "",
    ];
    const charset = classes.join("");
    const length = Number(inputs.length ?? 16);
    return Array.from({ length }, () => charset[crypto.randomInt(charset.length)]).join("");
}

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
        case "random:index/randomString:RandomString":
            return { ...base, result: randomFromCharset(inputs) };
        case "random:index/randomBytes:RandomBytes": {
            const bytes = crypto.randomBytes(inputs.length ?? 20);
            return { ...base, base64: bytes.toString("base64"), hex: bytes.toString("hex") };
        }
        default:
            return base;
    }
}

/** Output properties of the random provider whose values are secrets. */
const SECRET_RANDOM_OUTPUTS = ["result", "base64", "hex", "b64Std", "b64Url"];

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    private readonly urns = new Set<string>();
    /** Registrations the engine would have refused; the runtime swallows errors thrown here, so callers check this. */
    readonly errors: string[] = [];
    /**
     * Every secret value the mocks generated (random passwords, bytes, strings), so that
     * `scrubSecrets` can mask them wherever the program copied them into other resources' inputs.
     */
    readonly secretValues = new Set<string>();

    constructor(private readonly project: string, private readonly stack: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const id = args.custom === false ? "" : `${args.name}-id`;
        const urn = `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`;
        // The engine refuses two resources with one URN (type chain + name); the same type and
        // name twice is that mistake, so fail here as a real preview would.
        if (this.urns.has(urn)) {
            const message = `Duplicate resource URN '${urn}'; try giving it a unique name`;
            this.errors.push(message);
            throw new Error(message);
        }
        this.urns.add(urn);
        this.resources.push({
            type: args.type,
            name: args.name,
            urn,
            custom: args.custom !== false,
            provider: args.provider,
            inputs: args.inputs ?? {},
            id,
        });
        const computed = computedOutputs(args.type, args.name, args.inputs ?? {}, id);
        if (args.type.startsWith("random:")) {
            for (const key of SECRET_RANDOM_OUTPUTS) {
                if (typeof computed[key] === "string" && computed[key].length >= 8) {
                    this.secretValues.add(computed[key]);
                }
            }
        }
        return { id: args.custom === false ? undefined : id, state: { ...args.inputs, ...computed } };
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
export async function waitForRegistrations(mocks?: RecordingMocks): Promise<void> {
    const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
    if (wait) {
        await wait();
    }
    if (mocks && mocks.errors.length > 0) {
        throw new Error(`the program declared resources the engine would refuse:\n${mocks.errors.join("\n")}`);
    }
}

/** Input properties that hold secret material, per type token, whatever their value. */
const SECRET_PROPS: Record<string, string[]> = {
    "kubernetes:core/v1:Secret": ["data", "stringData"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
    "aws:rds/instance:Instance": ["password"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
};

function maskKnown(value: unknown, known: string[]): unknown {
    if (typeof value === "string") {
        let masked = value;
        for (const secret of known) {
            if (masked.includes(secret)) {
                masked = masked.split(secret).join(SECRET_PLACEHOLDER);
            }
        }
        return masked;
    }
    if (Array.isArray(value)) {
        return value.map((v) => maskKnown(v, known));
    }
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskKnown(v, known)]));
    }
    return value;
}

/** Replaces every leaf of a secret property by the placeholder, keeping its keys (policies check shape). */
function maskAll(value: unknown): unknown {
    if (value && typeof value === "object" && !Array.isArray(value)) {
        return Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_PLACEHOLDER]));
    }
    return value === undefined ? undefined : SECRET_PLACEHOLDER;
}

/**
 * A copy of the recorded resources with secret material masked: known secret properties by type,
 * and every generated secret value (plain or base64-encoded) wherever it appears. What leaves the
 * offline runner is therefore as safe to print as a real preview's events.
 */
export function scrubSecrets(resources: RecordedResource[], secretValues: Iterable<string>): RecordedResource[] {
    const known: string[] = [];
    for (const secret of secretValues) {
        known.push(secret, Buffer.from(secret).toString("base64"));
    }
    // Longest first, so a value is masked whole before any shorter value inside it.
    known.sort((a, b) => b.length - a.length);
    return resources.map((resource) => {
        const inputs = maskKnown(resource.inputs, known) as Record<string, any>;
        for (const prop of SECRET_PROPS[resource.type] ?? []) {
            if (inputs[prop] !== undefined) {
                inputs[prop] = maskAll(inputs[prop]);
            }
        }
        return { ...resource, inputs };
    });
}
