/**
 * One JSON object per line on stdout. Callers pass only non-secret fields (names, counts,
 * regions, reasons); the seed, the payload key and payload bytes are never handed to the logger.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (level: LogLevel, message: string, fields?: LogFields) => void;

export function jsonLogger(region: string, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
    return (level, message, fields = {}) => {
        write(`${JSON.stringify({ time: new Date().toISOString(), level, region, msg: message, ...fields })}\n`);
    };
}

/** A logger that drops everything (tests of modules that log). */
export const silentLogger: Logger = () => undefined;

/** The message of an error, for a log line (errors of this service never carry secrets). */
export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
