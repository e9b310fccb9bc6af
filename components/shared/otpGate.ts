/**
 * OtpGate: the TOTP seed that cross-region sync (and tier-3 promotions) verify codes against,
 * and the payload key material the sync encrypts its payloads with (a secret of its own, so a
 * holder of the seed cannot read payloads). Both come from `@pulumi/random`, are only ever
 * secret outputs, and are stored where the consumers read them: a KMS-encrypted Secrets Manager
 * secret on AWS and/or a Kubernetes Secret in each cluster that runs a gated workload (the sync
 * pods mount it as files).
 */
import * as aws from "./aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { LABEL, OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, TAG, ANNOTATION } from "../../contract/markers";

/**
 * RandomPassword settings that yield an RFC 4648 base32 TOTP seed: 32 characters from A-Z and
 * 2-7 carry 5 bits each = 160 bits, the key length RFC 4226 recommends for HMAC-SHA1.
 */
export const OTP_SEED_SPEC = {
    length: 32,
    upper: true,
    lower: false,
    numeric: false,
    special: true,
    overrideSpecial: "234567",
} as const;

/**
 * RandomPassword settings of the payload key material: 64 characters of A-Z a-z 0-9 (about 380
 * bits); the sync service derives its AES-256 key from it with HKDF.
 */
export const PAYLOAD_KEY_SPEC = { length: 64, upper: true, lower: true, numeric: true, special: false } as const;

/** The base32 alphabet the seed is drawn from. */
export const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Component label/tag value of the gate's resources. */
export const OTP_GATE_COMPONENT = "otp-gate";

/** Name of the gate's Kubernetes Secret (the same in every cluster). */
export function otpGateSecretName(gateName: string): string {
    const slug = gateName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
    return `otp-gate-${slug}`.slice(0, 253);
}

export interface OtpGateAwsStorage {
    /** Customer-managed KMS key (id or ARN) that encrypts the secret. */
    kmsKeyId: pulumi.Input<string>;
    /** Explicit provider of the region the secret lives in. */
    provider?: aws.Provider;
    /** Regions the secret is replicated to, each encrypted with that region's key. */
    replicas?: { region: string; kmsKeyId: pulumi.Input<string> }[];
    /** Tags added to the gate's own (project, stack, tier, ...). */
    tags?: Record<string, pulumi.Input<string>>;
}

export interface OtpGateKubernetesTarget {
    /** Short name of the cluster (usually its region), used in resource names. */
    key: string;
    /** Provider of the cluster. */
    provider: k8s.Provider;
    /** Namespace of the gated workloads. */
    namespace: pulumi.Input<string>;
    /** Labels added to the gate's own. */
    labels?: Record<string, string>;
}

export interface OtpGateArgs {
    /** Store the seed in Secrets Manager (AWS platform). */
    aws?: OtpGateAwsStorage;
    /** Store the seed as a Kubernetes Secret in each of these clusters. */
    kubernetes?: OtpGateKubernetesTarget[];
}

export class OtpGate extends pulumi.ComponentResource {
    /** Name of the gate, written into the tags/annotations of what it gates. */
    readonly gateName: string;
    /** The base32 TOTP seed; always secret. */
    readonly seed: pulumi.Output<string>;
    /** Key material of the sync's payload encryption (not the seed); always secret. */
    readonly payloadKey: pulumi.Output<string>;
    /** Name of the Kubernetes Secret holding the seed under OTP_SEED_KEY and the payload key under PAYLOAD_KEY_KEY. */
    readonly secretName: string;
    /** Keys of the clusters that have the Secret. */
    readonly kubernetesTargets: string[];
    /** ARN of the Secrets Manager secret, when stored on AWS. */
    readonly awsSecretArn?: pulumi.Output<string>;

    constructor(name: string, args: OtpGateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:OtpGate", name, {}, opts);
        const targets = args.kubernetes ?? [];
        if (!args.aws && targets.length === 0) {
            throw new Error(`OtpGate "${name}": declare where the seed is stored (args.aws and/or args.kubernetes); a gate nobody can read gates nothing`);
        }
        this.gateName = name;
        this.secretName = otpGateSecretName(name);
        this.kubernetesTargets = targets.map((t) => t.key);

        const generated = new random.RandomPassword(`${name}-seed`, { ...OTP_SEED_SPEC }, { parent: this });
        this.seed = pulumi.secret(generated.result);
        const payloadKey = new random.RandomPassword(`${name}-payload-key`, { ...PAYLOAD_KEY_SPEC }, { parent: this });
        this.payloadKey = pulumi.secret(payloadKey.result);

        if (args.aws) {
            this.awsSecretArn = this.storeInSecretsManager(name, args.aws);
        }
        const seen = new Set<string>();
        for (const target of targets) {
            if (seen.has(target.key)) {
                throw new Error(`OtpGate "${name}": cluster "${target.key}" is listed twice in args.kubernetes; give each cluster a unique key`);
            }
            seen.add(target.key);
            new k8s.core.v1.Secret(
                `${name}-${target.key}-secret`,
                {
                    metadata: {
                        name: this.secretName,
                        namespace: target.namespace,
                        labels: { ...(target.labels ?? {}), [LABEL.role]: ROLE.otpGateSecret, [LABEL.component]: OTP_GATE_COMPONENT },
                        annotations: { [ANNOTATION.otpGate]: name },
                    },
                    type: "Opaque",
                    // `data` (base64), not `stringData`: the kubernetes provider turns stringData into
                    // data during `up` but not during a preview of a value still unknown, and `up --plan`
                    // then refuses the Secret as a change the saved plan does not hold.
                    data: {
                        [OTP_SEED_KEY]: this.seed.apply((seed) => Buffer.from(seed, "utf8").toString("base64")),
                        [PAYLOAD_KEY_KEY]: this.payloadKey.apply((key) => Buffer.from(key, "utf8").toString("base64")),
                    },
                },
                { parent: this, provider: target.provider, additionalSecretOutputs: ["data", "stringData"] },
            );
        }

        this.registerOutputs({ seed: this.seed, secretName: this.secretName, awsSecretArn: this.awsSecretArn });
    }

    private storeInSecretsManager(name: string, storage: OtpGateAwsStorage): pulumi.Output<string> {
        const options = { parent: this, ...(storage.provider ? { provider: storage.provider } : {}) };
        const secret = new aws.secretsmanager.Secret(
            `${name}-secret`,
            {
                description: `TOTP seed and sync payload key of the OTP gate "${name}" (cross-region sync and tier-3 promotions)`,
                kmsKeyId: storage.kmsKeyId,
                recoveryWindowInDays: 7,
                replicas: (storage.replicas ?? []).map((replica) => ({ region: replica.region, kmsKeyId: replica.kmsKeyId })),
                tags: { ...(storage.tags ?? {}), [TAG.role]: ROLE.otpGateSecret, [TAG.otpGate]: name, [TAG.component]: OTP_GATE_COMPONENT },
            },
            options,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-secret-version`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(pulumi.all([this.seed, this.payloadKey]).apply(([seed, key]) => JSON.stringify({ [OTP_SEED_KEY]: seed, [PAYLOAD_KEY_KEY]: key }))),
            },
            options,
        );
        return secret.arn;
    }
}
