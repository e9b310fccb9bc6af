#!/usr/bin/env node
/** Entry point of the promotion driver: `node dist/automation/main.js <command> [flags]` (npm run driver --). */
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
