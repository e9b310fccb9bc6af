import * as fs from "fs";
import * as path from "path";

/**
 * The repository root: the nearest directory above `start` that holds package.json.
 * Works the same from sources (ts-node) and from compiled code under dist/.
 */
export function findRepoRoot(start: string = __dirname): string {
    let dir = path.resolve(start);
    for (;;) {
        if (fs.existsSync(path.join(dir, "package.json")) && !dir.split(path.sep).includes("node_modules")) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`no package.json above ${start}`);
        dir = parent;
    }
}
