/** The repository root (the directory with package.json), from ts-node and from dist/ alike. */
import * as fs from "fs";
import * as path from "path";

export function repoRoot(start: string = __dirname): string {
    let dir = start;
    while (!fs.existsSync(path.join(dir, "package.json")) || path.basename(path.dirname(dir)) === "node_modules") {
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`no package.json above ${start}`);
        dir = parent;
    }
    return dir;
}

/** Text of a file under the repository root. */
export function readRepoFile(relativePath: string): string {
    return fs.readFileSync(path.join(repoRoot(), relativePath), "utf8");
}
