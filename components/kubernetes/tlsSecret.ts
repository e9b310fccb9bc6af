/**
 * A `kubernetes.io/tls` Secret holding a certificate of the platform's private CA: tls.crt,
 * tls.key and ca.crt (the CA, for clients and peers that verify against it). The key reaches the
 * cluster only through this Secret; in the stack's state it is a secret output.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CertificateAuthority, IssuedCertificate } from "../shared/privateCa";

export interface TlsSecretArgs {
    /** Secret name, e.g. platform-tls or cross-region-sync-tls. */
    secretName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    authority: CertificateAuthority;
    /** Names the certificate covers (the Ingress hosts). */
    dnsNames: string[];
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** Issues the certificate and declares its Secret; returns the Secret. */
export function declareTlsSecret(name: string, args: TlsSecretArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.Secret {
    const certificate = new IssuedCertificate(`${name}-certificate`, { authority: args.authority, dnsNames: args.dnsNames }, { parent: opts.parent, dependsOn: [args.authority] });
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: { name: args.secretName, namespace: args.namespace, labels: args.labels },
            type: "kubernetes.io/tls",
            data: pulumi.secret(
                pulumi.all([certificate.certPem, certificate.keyPem, args.authority.certPem]).apply(([crt, key, ca]) => ({
                    "tls.crt": base64(crt ?? ""),
                    "tls.key": base64(key ?? ""),
                    "ca.crt": base64(ca ?? ""),
                })),
            ),
        },
        { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Resource[] | undefined) ?? []), certificate] },
    );
}
