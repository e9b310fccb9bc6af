/**
 * A throwaway project directory for engine tests: Pulumi.yaml, a stack file, and the
 * repository's policies/ folder referenced by path (the packs are not copied).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findRepoRoot } from "../../../automation/repoRoot";

export const REPO_ROOT = findRepoRoot(__dirname);

/** Creates `<tmp>/Pulumi.yaml` and `<tmp>/Pulumi.<stack>.yaml` copied from the repository (or a minimal one). */
export function makeProjectCopy(stacks: string[] = ["dev"]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-engine-test-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: ai-platform\nruntime: nodejs\n");
    for (const stack of stacks) {
        const source = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
        const text = fs.existsSync(source) ? fs.readFileSync(source, "utf8") : `config:\n  ai-platform:environment: ${stack}\n`;
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    }
    return dir;
}

export function removeDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
