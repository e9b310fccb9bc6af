/**
 * `status`: every stack with its tier, pending gate and lockout.
 */
import { DriverError, ExitCode } from "../exitCodes";
import { StateStore } from "../state/stackState";
import { formatStatus, knownStacks, stackStatus, unusableStatus } from "../status";
import { CommandEnv, environmentOf, lowestTierOf } from "./context";

/** `status`: every stack; a stack whose state cannot be used is shown with its problem, the others as usual (exit 9 then). */
export function status(env: CommandEnv): number {
    const store = new StateStore(env.stateDir);
    const lowest = (stack: string) => {
        try {
            return lowestTierOf(env, stack);
        } catch {
            return 0; // a stack without a readable stack file: its state still shows
        }
    };
    const environment = (stack: string) => {
        try {
            return environmentOf(env, stack);
        } catch {
            return stack;
        }
    };
    let unusable = 0;
    const statuses = knownStacks(env.projectDir, store, env.config).map((s) => {
        try {
            return stackStatus(store, s, env.config, env.context.now?.(), lowest(s), environment(s));
        } catch (e) {
            if (!(e instanceof DriverError)) throw e;
            unusable++;
            return unusableStatus(s, e.message);
        }
    });
    if (env.args.json) env.io.out(JSON.stringify({ stateDir: env.stateDir, stacks: statuses }, null, 2));
    else formatStatus(statuses).forEach((l) => env.io.out(l));
    return unusable ? ExitCode.StateProblem : ExitCode.Success;
}
