/**
 * Server-side apply takes back fields that another field manager took (for example a replica
 * count someone set with `kubectl scale`): the Kubernetes provider then applies with force
 * instead of failing on the conflict. The driver turns it on for the run in which the user chose
 * `--on-drift overwrite` (stack config `forceConflicts`).
 */
import * as pulumi from "@pulumi/pulumi";

/** The provider's annotation: apply with force, taking fields from other managers. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** A transform that marks every Kubernetes object below the component for a forced apply. */
export const forceApply: pulumi.ResourceTransform = (args) => {
    if (!args.type.startsWith("kubernetes:") || args.type.startsWith("pulumi:providers:") || !args.custom) return undefined;
    const props = args.props as { metadata?: Record<string, any> };
    const metadata = props.metadata ?? {};
    return {
        props: { ...args.props, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [PATCH_FORCE_ANNOTATION]: "true" } } },
        opts: args.opts,
    };
};
