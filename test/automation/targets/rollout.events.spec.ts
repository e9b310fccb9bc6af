import * as assert from "assert";
import { ClusterReader, namespaced } from "../../../automation/targets/inspect";
import { podProblems } from "../../../automation/targets/rollout";

const NS = "ai-platform";
const at = (ms: number) => new Date(ms).toISOString();

/** A cluster that holds only these events (and no pods) in NS. */
function clusterWith(events: object[]): ClusterReader {
    return { region: "us-west-2", list: async (apiPath) => (apiPath === namespaced(NS).events ? events : []) };
}

function refusal(replicaSet: string, first: number, last: number): object {
    return {
        reason: "FailedCreate",
        involvedObject: { kind: "ReplicaSet", name: replicaSet },
        message: `Error creating: pods "${replicaSet}-x" is forbidden: maximum cpu usage per Container is 1, but limit is 2`,
        firstTimestamp: at(first),
        lastTimestamp: at(last),
        count: 7,
    };
}

describe("rollout: admission refusals a step is answerable for", () => {
    const since = Date.parse("2026-12-01T10:00:00Z");

    it("names a ReplicaSet refused since the step began", async () => {
        const problems = await podProblems(clusterWith([refusal("backend-api-new", since + 4000, since + 9000)]), NS, new Date(since), since + 10_000, 15_000, true);
        assert.deepStrictEqual(problems.map((p) => [p.object, p.fatal]), [[`ReplicaSet ${NS}/backend-api-new`, true]]);
        assert.match(problems[0].reason, /^refused by the API server: Error creating: .*maximum cpu usage per Container is 1/);
    });

    it("leaves out an older ReplicaSet still retrying a refusal that began before the step, and refusals that ended before it", async () => {
        const events = [refusal("backend-api-old", since - 90_000, since + 5000), refusal("frontend-old", since - 90_000, since - 60_000)];
        for (const onlyNewPods of [true, false]) {
            assert.deepStrictEqual(await podProblems(clusterWith(events), NS, new Date(since), since + 10_000, 0, onlyNewPods), []);
        }
    });
});
