/**
 * The structure stays as designed: imports point one way through the layers, no module imports
 * itself through others, every rule file is named after its rule and carries its severity and
 * topics, and every unit spec mirrors the source it tests.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_PACKS } from "../../policies/packs";
import { repoRoot } from "../support/repoRoot";

const ROOT = repoRoot();

/**
 * The layers, bottom first, with what each may import. `contract` imports nothing of ours; the
 * driver (`automation`) sits on top of everything.
 */
const MAY_IMPORT: Record<string, string[]> = {
    contract: [],
    config: ["contract"],
    cost: ["contract"],
    sync: ["contract"],
    components: ["contract", "sync"],
    infra: ["contract", "config", "components", "sync"],
    policies: ["contract", "config", "cost"],
    automation: ["contract", "config", "cost", "sync", "components", "infra", "policies"],
};

/** Suites that test the whole rather than one module: they need not mirror a source file. */
const WHOLE_SYSTEM_SUITES = ["integration", "realEngine", "docker", "structure", "support"];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"|(?:^|\n)\s*import\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)|\brequire\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(rel);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [rel] : [];
    });
}

/** The module a relative specifier names (file.ts, or dir/index.ts), or undefined (JSON, missing). */
function resolve(from: string, specifier: string): string | undefined {
    const base = path.normalize(path.join(path.dirname(from), specifier));
    return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(path.join(ROOT, candidate)));
}

/** Every relative import of the project's modules (tests excluded), type-only ones included. */
export function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of Object.keys(MAY_IMPORT).flatMap(sourceFiles)) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        const targets = [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1] ?? m[2] ?? m[3] ?? m[4])).filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Strongly connected components with more than one module (Tarjan), each sorted. */
export function cycles(graph: Map<string, string[]>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, index.get(w)!));
            }
        }
        if (low.get(v) === index.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1) found.push(component.sort());
        }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    return found;
}

const layerOf = (file: string): string => file.split(path.sep)[0];

describe("structure: one-way layers", () => {
    const graph = importGraph();

    it("reads the whole project (the graph is not empty by accident)", () => {
        assert.ok(graph.size > 200, `only ${graph.size} modules found`);
        for (const layer of Object.keys(MAY_IMPORT)) {
            assert.ok([...graph.keys()].some((f) => layerOf(f) === layer), `no module in ${layer}/`);
        }
    });

    it("imports point down the layers: contract, then config / cost / sync, components, the program, the packs, the driver", () => {
        const against = [...graph].flatMap(([from, targets]) =>
            targets.filter((to) => layerOf(to) !== layerOf(from) && !MAY_IMPORT[layerOf(from)].includes(layerOf(to))).map((to) => `${from} -> ${to}`),
        );
        assert.deepStrictEqual(against, [], `imports against the layer order (${layerOf(against[0] ?? "")}):\n${against.join("\n")}`);
    });

    it("has no import cycle", () => {
        assert.deepStrictEqual(cycles(graph), []);
    });

    it("the checks themselves fire: a cycle and an upward import are found", () => {
        const broken = new Map<string, string[]>([
            [path.join("contract", "a.ts"), [path.join("config", "b.ts")]],
            [path.join("config", "b.ts"), [path.join("contract", "a.ts")]],
        ]);
        assert.deepStrictEqual(cycles(broken), [[path.join("config", "b.ts"), path.join("contract", "a.ts")]]);
        assert.ok(!MAY_IMPORT[layerOf(path.join("contract", "a.ts"))].includes("config"));
    });

    it("components take only the settings they read: none imports the stack config", () => {
        const users = [...graph].filter(([from, targets]) => layerOf(from) === "components" && targets.some((t) => layerOf(t) === "config")).map(([from]) => from);
        assert.deepStrictEqual(users, []);
    });
});

describe("structure: rule files", () => {
    const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const ruleFiles = POLICY_PACKS.flatMap((pack) => sourceFiles(path.join("policies", pack.name, "rules")).map((file) => ({ pack, file })));

    it("every file under rules/ is one rule, named after it, with its severity and topics as fields", () => {
        const problems: string[] = [];
        for (const { pack, file } of ruleFiles) {
            const names = [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/^\s+name: "([a-z0-9-]+)",$/gm)].map((m) => m[1]);
            if (names.length !== 1) {
                problems.push(`${file}: ${names.length} rule names (helpers live beside rules/, not in it)`);
                continue;
            }
            if (path.basename(file, ".ts") !== camel(names[0])) problems.push(`${file}: holds rule ${names[0]}, so it is ${camel(names[0])}.ts`);
            const policy = pack.policies.find((p) => p.name === names[0]);
            if (!policy) problems.push(`${file}: rule ${names[0]} is not in pack ${pack.name}`);
            else if (!policy.severity || !policy.tags?.length) problems.push(`${file}: rule ${names[0]} has no severity or no topic tags`);
        }
        assert.deepStrictEqual(problems, []);
    });

    it("every rule of a pack has its file", () => {
        const files = new Set(ruleFiles.map(({ file }) => path.basename(file, ".ts")));
        const missing = POLICY_PACKS.flatMap((pack) => pack.policies.map((p) => p.name)).filter((name) => !files.has(camel(name)));
        assert.deepStrictEqual(missing, []);
    });
});

describe("structure: specs mirror their sources", () => {
    it("test/<path>[.<aspect>].spec.ts tests <path>.ts or the folder <path>/, except the whole-system suites", () => {
        const orphans = sourceFiles("test")
            .filter((file) => file.endsWith(".spec.ts") && !WHOLE_SYSTEM_SUITES.includes(file.split(path.sep)[1]))
            .filter((file) => {
                const subject = path.relative("test", file).replace(/\.spec\.ts$/, "");
                const candidates = [subject, subject.replace(/\.[^./]+$/, "")];
                return !candidates.some((c) => fs.existsSync(path.join(ROOT, `${c}.ts`)) || fs.existsSync(path.join(ROOT, c, "")) && fs.statSync(path.join(ROOT, c)).isDirectory());
            });
        assert.deepStrictEqual(orphans, []);
    });
});
