/**
 * The rendered docker compose file of tiers 0-1, as policies see it: an S3 object tagged
 * `TAG.role = ROLE.composeFile` whose `content` input is the compose YAML.
 */
import { aws } from "./resourceClasses";
import { parse } from "yaml";
import { ROLE } from "../../contract/markers";
import { read, roleOf } from "./props";
import { typeTokens } from "./types";

/** Type tokens of the S3 object resources that can carry the compose file. */
const COMPOSE_OBJECT_TYPES: ReadonlySet<string> = typeTokens(aws.s3.BucketObjectv2, aws.s3.BucketObject);

export interface ComposeFile {
    services: Record<string, any>;
    networks: Record<string, any>;
    /** Top-level named volumes. */
    volumes: Record<string, any>;
}

/** True when a resource is the compose file object. */
export function isComposeFileResource(type: string, props: Record<string, any>): boolean {
    return COMPOSE_OBJECT_TYPES.has(type) && roleOf(props) === ROLE.composeFile;
}

/** Parses the compose YAML of a compose file resource; throws with the cause when it is not valid YAML. */
export function parseComposeFile(props: Record<string, any>): ComposeFile {
    const content = read(props, "content");
    if (typeof content !== "string") {
        throw new Error("the compose file object has no string `content` input: render the compose YAML into `content`");
    }
    const doc = parse(content) ?? {};
    return {
        services: doc.services && typeof doc.services === "object" ? doc.services : {},
        networks: doc.networks && typeof doc.networks === "object" ? doc.networks : {},
        volumes: doc.volumes && typeof doc.volumes === "object" ? doc.volumes : {},
    };
}
