#!/usr/bin/env node
/** Entry point of the promotion driver: `node dist/automation/main.js <command> [flags]` (npm run driver --). */
// First: the compile cache (later runs skip compiling the SDK and the rules), TypeScript on first use.
import "../policies/shared/nodeStartup";
import { runCli } from "./cli";

runCli(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
        process.exitCode = 1;
    },
);
