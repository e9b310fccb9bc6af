/**
 * `policy-config`: the policy packs' configuration files for a stack at a tier: one per pack, and
 * `all-packs.json` for the combined pack the driver loads.
 */
import * as path from "path";
import { combinedPolicyPack, policyPackDirs, writePolicyPackConfigs } from "../engines/policyRules";
import { DriverError, ExitCode } from "../exitCodes";
import { StateStore } from "../state/stackState";
import { CommandEnv, environmentOf, lowestTierOf, stackConfigAt } from "./context";

/** `policy-config`: the policy packs' configuration files for a stack at a tier. */
export function policyConfig(env: CommandEnv): number {
    const stack = env.args.stack!;
    // Without --to: the tier the stack is at, else the lowest its platform runs (2 for platform kubernetes).
    const tier = env.args.to ?? new StateStore(env.stateDir).read(stack).tier ?? lowestTierOf(env, stack);
    const stackConfig = stackConfigAt(env, stack, tier);
    const environment = environmentOf(env, stack);
    if (env.config.mandatoryEnforcementFor.includes(environment) && stackConfig.policyEnforcement !== "mandatory") {
        throw new DriverError(ExitCode.BadInput, `environment ${environment} requires mandatory policy enforcement (driver config mandatoryEnforcementFor): policy-config does not write ${stackConfig.policyEnforcement} packs for it`);
    }
    const out = path.resolve(env.context.cwd ?? process.cwd(), env.args.out!);
    const policiesDir = path.join(env.projectDir, "policies");
    const files = [...writePolicyPackConfigs(stackConfig, policyPackDirs(policiesDir), out), combinedPolicyPack(policiesDir, stackConfig, out).config];
    if (env.args.json) env.io.out(JSON.stringify({ stack, tier, files }, null, 2));
    else files.forEach((f) => env.io.out(f));
    return ExitCode.Success;
}
