import { ResourceValidationPolicy } from "@pulumi/policy";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";

/** Values of `driver_opts.encrypted` that turn encryption off. */
const OFF = new Set(["false", "0", "no"]);

/**
 * Swarm overlay traffic between nodes is plaintext VXLAN unless the network is created with `--opt encrypted`.
 */
export const swarmOverlayNetworksEncrypted: ResourceValidationPolicy = {
    name: "swarm-overlay-networks-encrypted",
    description:
        "In the rendered compose file (an S3 object tagged role compose-file, YAML in `content`), every network with driver \"overlay\" sets driver_opts.encrypted (to \"\" or \"true\", not \"false\").",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "Docker Swarm"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const compose = parseComposeFile(args.props);
        for (const [name, network] of Object.entries(compose.networks)) {
            if (network?.driver !== "overlay") {
                continue;
            }
            const encrypted = network.driver_opts?.encrypted;
            if (encrypted === undefined || encrypted === false || OFF.has(String(encrypted).toLowerCase())) {
                reportViolation(`Overlay network ${name} is not encrypted: add driver_opts: { encrypted: "true" } to it in the compose file.`);
            }
        }
    },
};
