/**
 * Imported first by every policy pack's index.ts and by the offline engine's runner: two things
 * that make a Node.js process that loads @pulumi/pulumi start in about half the time.
 *
 * - The compile cache (`module.enableCompileCache`, Node.js 22.8): the compiled code of the
 *   modules a process loads is kept on disk (`NODE_COMPILE_CACHE`, else a directory under the OS
 *   temp dir), so later starts skip compiling @pulumi/pulumi, gRPC and the policy SDK again. It
 *   is written once the process has loaded its modules, not only at exit.
 * - TypeScript on first use: @pulumi/pulumi's index loads its closure serializer, which loads the
 *   TypeScript compiler (9 MB, about 0.1 s even from the compile cache) although only function
 *   serialization ever calls it, and neither a policy pack nor the offline runner does. Until
 *   something reads from it, `require("typescript")` returns a stand-in that loads the real
 *   module at the first access and then forwards to it.
 *
 * Both only change speed: a cache that cannot be enabled, or a TypeScript that is not installed,
 * leaves the process as it was.
 */
import Module = require("module");
import * as path from "path";

/** Node's module class with its cache, which `require` consults first. */
const modules = Module as unknown as { _cache: Record<string, NodeModule | undefined>; new (id: string): NodeModule };

Module.enableCompileCache?.();
// Node writes the cache when a process exits, but the CLI kills its policy packs at the end of a
// preview: write it as soon as the entry module (and everything it requires) has loaded.
setImmediate(() => Module.flushCompileCache?.());
deferTypeScript();

function deferTypeScript(): void {
    let file: string;
    try {
        // The TypeScript the SDK would load: resolved from @pulumi/pulumi's own folder.
        const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        file = require.resolve("typescript", { paths: [sdkDir] });
    } catch {
        return;
    }
    if (modules._cache[file]) return;
    let real: Record<PropertyKey, unknown> | undefined;
    const load = (): Record<PropertyKey, unknown> => {
        if (!real) {
            delete modules._cache[file];
            real = require(file) as Record<PropertyKey, unknown>;
        }
        return real;
    };
    const standIn = new modules(file);
    standIn.filename = file;
    standIn.loaded = true;
    standIn.exports = new Proxy({}, {
        get: (_, key) => load()[key],
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    });
    modules._cache[file] = standIn;
}
