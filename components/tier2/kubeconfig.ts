/**
 * Kubeconfig of an EKS cluster that authenticates with `aws eks get-token` (no long-lived
 * credentials in the file). Pure, so the tests can read it.
 */
export interface KubeconfigInputs {
    clusterName: string;
    endpoint: string;
    /** Base64 certificate authority data of the cluster. */
    certificateAuthority: string;
    region: string;
}

export function eksKubeconfig(inputs: KubeconfigInputs): string {
    const context = inputs.clusterName;
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: context, cluster: { server: inputs.endpoint, "certificate-authority-data": inputs.certificateAuthority } }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        "current-context": context,
        users: [
            {
                name: context,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", inputs.clusterName, "--region", inputs.region, "--output", "json"],
                    },
                },
            },
        ],
    });
}
