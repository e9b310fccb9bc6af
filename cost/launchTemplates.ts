/**
 * Finding the LaunchTemplate an instance, autoscaling group or node group uses. During a real
 * preview the template's id is not known yet (the reference reads as undefined or unknown), so
 * besides the id/name the match also accepts the template that carries the same `Name` and
 * `TAG.component` tags as the resource using it (the components tag both alike).
 */
import { TAG } from "../contract/markers";
import { markersOf, read } from "../contract/resourceProps";
import type { CostResource } from "./types";

const LAUNCH_TEMPLATE_TYPE = "aws:ec2/launchTemplate:LaunchTemplate";

/** The tags two resources must share for one to be the other's launch template. */
const SHARED_TAGS = ["Name", TAG.component] as const;

interface LaunchTemplateRef {
    id?: unknown;
    name?: unknown;
}

/** The `{ id, name }` launch template reference of a resource's inputs, if it has one. */
function launchTemplateRef(props: Record<string, any>): LaunchTemplateRef | undefined {
    const direct = read(props, "launchTemplate");
    if (direct !== undefined) {
        return { id: read(direct, "id"), name: read(direct, "name") };
    }
    const spec = read(props, "mixedInstancesPolicy", "launchTemplate", "launchTemplateSpecification");
    return spec !== undefined ? { id: read(spec, "launchTemplateId"), name: read(spec, "launchTemplateName") } : undefined;
}

/** True when the resource's inputs reference a launch template (known or not). */
export function usesLaunchTemplate(resource: CostResource): boolean {
    return launchTemplateRef(resource.props) !== undefined;
}

function byReference(templates: CostResource[], ref: LaunchTemplateRef): CostResource | undefined {
    const wanted = [ref.id, ref.name].filter((x): x is string => typeof x === "string");
    // `<name>-id` is the id the offline recording mocks give a resource.
    return templates.find((t) => [`${t.name}-id`, read(t.props, "id"), t.name, read(t.props, "name")].some((x) => typeof x === "string" && wanted.includes(x)));
}

function byTags(templates: CostResource[], owner: CostResource): CostResource | undefined {
    const own = markersOf(owner.props);
    if (SHARED_TAGS.some((key) => own[key] === undefined)) {
        return undefined;
    }
    const matches = templates.filter((t) => {
        const theirs = markersOf(t.props);
        return SHARED_TAGS.every((key) => theirs[key] === own[key]) && (theirs[TAG.region] ?? own[TAG.region]) === (own[TAG.region] ?? theirs[TAG.region]);
    });
    return matches.length === 1 ? matches[0] : undefined; // two candidates: ambiguous, so none
}

/** The LaunchTemplate among `all` that `owner` references, or undefined when none matches. */
export function findLaunchTemplate(all: CostResource[], owner: CostResource): CostResource | undefined {
    const ref = launchTemplateRef(owner.props);
    if (!ref) {
        return undefined;
    }
    const templates = all.filter((r) => r.type === LAUNCH_TEMPLATE_TYPE);
    return byReference(templates, ref) ?? byTags(templates, owner);
}
