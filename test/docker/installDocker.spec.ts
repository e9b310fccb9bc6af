/** What scripts/install-docker.sh builds is what the tier-0 host installs and what the engine tests look for. */
import * as assert from "assert";
import { COMPOSE_PLUGIN_VERSION } from "../../components/tier0/userData";
import { readRepoFile } from "../support/repoRoot";
import { composePluginPath } from "../support/dockerEngine";

describe("scripts/install-docker.sh", () => {
    const script = readRepoFile("scripts/install-docker.sh");

    it("builds the Compose version the tier-0 host installs", () => {
        assert.strictEqual(/^COMPOSE_VERSION=(\S+)$/m.exec(script)?.[1], COMPOSE_PLUGIN_VERSION);
    });

    it("puts the plugin where the engine tests look for it", () => {
        assert.match(script, /DEST=\$TOOLCHAIN_HOME\/docker-compose-\$COMPOSE_VERSION/);
        assert.match(script, /PLUGIN=\$DEST\/cli-plugins\/docker-compose/);
        assert.match(composePluginPath(), new RegExp(`docker-compose-${COMPOSE_PLUGIN_VERSION.replace(/\./g, "\\.")}/cli-plugins/docker-compose$`));
    });

    it("is called by the README's test command before npm test", () => {
        const testSh = readRepoFile("scripts/test.sh");
        assert.ok(testSh.indexOf("scripts/install-docker.sh") > 0 && testSh.indexOf("scripts/install-docker.sh") < testSh.indexOf("npm test"));
    });
});
