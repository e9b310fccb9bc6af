/**
 * A private certificate authority and the certificates it issues, for TLS inside the platform:
 * the Ingresses of air-gapped and existing clusters (seed 000: offline-first, no public CA
 * reachable) and the cross-region sync path everywhere (service to service, every region
 * trusting the same CA). ECDSA P-256 keys, X.509 made with @peculiar/x509.
 *
 * Both are Pulumi dynamic resources, so a key and its certificate are made once and kept in the
 * stack's state (the private keys as secrets) instead of changing on every run; a certificate is
 * replaced when its names or its CA change, or on the first run within `renewBeforeDays` of its
 * expiry. The real engine runs their provider through the `pulumi-resource-pulumi-nodejs` plugin
 * that scripts/install-pulumi.sh puts beside the CLI.
 */
import * as pulumi from "@pulumi/pulumi";

/** Validity of the CA and of issued certificates (397 days: the CA/Browser Forum's ceiling for leaf certificates). */
export const CA_VALIDITY_DAYS = 3650;
export const CERTIFICATE_VALIDITY_DAYS = 397;
/** A certificate is replaced by the first run this close to its expiry. */
export const RENEW_BEFORE_DAYS = 30;

interface Material {
    certPem: string;
    keyPem: string;
    notAfter: string;
    serial: string;
}

/**
 * Makes a key pair and a certificate: self-signed CA when `issuer` is absent, else a leaf signed
 * by the issuer. Everything it needs is required inside, as the dynamic provider runs it in a
 * process of its own.
 */
async function makeCertificate(request: {
    commonName: string;
    dnsNames: string[];
    validityDays: number;
    issuer?: { certPem: string; keyPem: string };
}): Promise<Material> {
    require("reflect-metadata");
    const x509 = require("@peculiar/x509") as typeof import("@peculiar/x509");
    const { webcrypto, randomBytes } = require("crypto") as typeof import("crypto");
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as import("crypto").webcrypto.CryptoKeyPair;
    const notBefore = new Date(Date.now() - 5 * 60_000);
    const notAfter = new Date(notBefore.getTime() + request.validityDays * 86_400_000);
    // A positive 16-byte serial (RFC 5280: at most 20 octets, non-negative).
    const serialBytes = randomBytes(16);
    serialBytes[0] &= 0x7f;
    const serial = serialBytes.toString("hex");
    const pem = (label: string, der: ArrayBuffer) =>
        `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
    let certificate: import("@peculiar/x509").X509Certificate;
    if (!request.issuer) {
        certificate = await x509.X509CertificateGenerator.createSelfSigned({
            serialNumber: serial,
            name: `CN=${request.commonName}`,
            notBefore,
            notAfter,
            signingAlgorithm: algorithm,
            keys,
            extensions: [
                new x509.BasicConstraintsExtension(true, 0, true),
                new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
                await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
            ],
        });
    } else {
        const issuer = new x509.X509Certificate(request.issuer.certPem);
        const issuerKeyDer = Buffer.from(request.issuer.keyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
        const signingKey = await webcrypto.subtle.importKey("pkcs8", issuerKeyDer, algorithm, false, ["sign"]);
        certificate = await x509.X509CertificateGenerator.create({
            serialNumber: serial,
            subject: `CN=${request.commonName}`,
            issuer: issuer.subject,
            notBefore,
            notAfter,
            signingAlgorithm: algorithm,
            publicKey: keys.publicKey,
            signingKey,
            extensions: [
                new x509.BasicConstraintsExtension(false, undefined, true),
                new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
                new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
                new x509.SubjectAlternativeNameExtension(request.dnsNames.map((value) => ({ type: "dns" as const, value }))),
                await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
                await x509.AuthorityKeyIdentifierExtension.create(issuer),
            ],
        });
    }
    return {
        certPem: certificate.toString("pem") + "\n",
        keyPem: pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey)),
        notAfter: notAfter.toISOString(),
        serial,
    };
}

/** Replace when an input changed, or when the certificate is within its renewal window. */
function diffCertificate(olds: Record<string, any>, news: Record<string, any>): pulumi.dynamic.DiffResult {
    const changed = ["commonName", "dnsNames", "validityDays", "issuerCertPem"].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const renewAt = Date.parse(olds.notAfter ?? "") - (news.renewBeforeDays ?? 0) * 86_400_000;
    const due = !(Date.now() < renewAt);
    const replaces = due ? [...changed, "notAfter"] : changed;
    return { changes: replaces.length > 0 || JSON.stringify(olds.renewBeforeDays) !== JSON.stringify(news.renewBeforeDays), replaces, deleteBeforeReplace: false };
}

const authorityProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) {
        const material = await makeCertificate({ commonName: inputs.commonName, dnsNames: [], validityDays: inputs.validityDays });
        return { id: material.serial, outs: { ...inputs, ...material } };
    },
    async diff(_id: string, olds: any, news: any) {
        return diffCertificate(olds, news);
    },
};

const certificateProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) {
        const material = await makeCertificate({
            commonName: inputs.commonName,
            dnsNames: inputs.dnsNames,
            validityDays: inputs.validityDays,
            issuer: { certPem: inputs.issuerCertPem, keyPem: inputs.issuerKeyPem },
        });
        return { id: material.serial, outs: { ...inputs, ...material } };
    },
    async diff(_id: string, olds: any, news: any) {
        return diffCertificate(olds, news);
    },
};

export interface CertificateAuthorityArgs {
    /** Subject common name of the CA, e.g. "sutazai private CA (prod)". */
    commonName: pulumi.Input<string>;
    validityDays?: pulumi.Input<number>;
    renewBeforeDays?: pulumi.Input<number>;
}

/** A self-signed CA whose key stays in the stack's state (secret). */
export class CertificateAuthority extends pulumi.dynamic.Resource {
    declare readonly certPem: pulumi.Output<string>;
    declare readonly keyPem: pulumi.Output<string>;
    declare readonly notAfter: pulumi.Output<string>;

    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            authorityProvider,
            name,
            {
                commonName: args.commonName,
                validityDays: args.validityDays ?? CA_VALIDITY_DAYS,
                renewBeforeDays: args.renewBeforeDays ?? RENEW_BEFORE_DAYS,
                certPem: undefined,
                keyPem: undefined,
                notAfter: undefined,
            },
            { ...opts, additionalSecretOutputs: ["keyPem"] },
        );
    }
}

export interface IssuedCertificateArgs {
    authority: CertificateAuthority;
    /** DNS names the certificate is for (the first is also its common name). */
    dnsNames: pulumi.Input<string>[];
    validityDays?: pulumi.Input<number>;
    renewBeforeDays?: pulumi.Input<number>;
}

/** A server and client certificate issued by a CertificateAuthority. */
export class IssuedCertificate extends pulumi.dynamic.Resource {
    declare readonly certPem: pulumi.Output<string>;
    declare readonly keyPem: pulumi.Output<string>;
    declare readonly notAfter: pulumi.Output<string>;
    declare readonly dnsNames: pulumi.Output<string[]>;

    constructor(name: string, args: IssuedCertificateArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            certificateProvider,
            name,
            {
                commonName: pulumi.output(args.dnsNames[0]),
                dnsNames: args.dnsNames,
                validityDays: args.validityDays ?? CERTIFICATE_VALIDITY_DAYS,
                renewBeforeDays: args.renewBeforeDays ?? RENEW_BEFORE_DAYS,
                issuerCertPem: args.authority.certPem,
                issuerKeyPem: args.authority.keyPem,
                certPem: undefined,
                keyPem: undefined,
                notAfter: undefined,
            },
            { ...opts, additionalSecretOutputs: ["keyPem", "issuerKeyPem"] },
        );
    }
}

export const forTesting = { makeCertificate, diffCertificate };
