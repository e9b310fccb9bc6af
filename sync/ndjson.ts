/**
 * Newline-delimited JSON over HTTP bodies: the push session's items and acks, and the change
 * feed. Lines are yielded in batches, one batch per chunk received, so a reader can commit what
 * arrived together with one disk flush.
 */
import { Readable } from "stream";

export class LineTooLongError extends Error {
    constructor(readonly limit: number) {
        super(`a line is longer than ${limit} bytes`);
        this.name = "LineTooLongError";
    }
}

/** The complete lines of `stream`, batched per received chunk; empty lines are skipped. */
export async function* lineBatches(stream: Readable, maxLineBytes: number): AsyncGenerator<string[]> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
        const lines: string[] = [];
        let start = 0;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
            const piece = chunk.subarray(start, i);
            if (pendingBytes + piece.length > maxLineBytes) throw new LineTooLongError(maxLineBytes);
            const line = pendingBytes > 0 ? Buffer.concat([...pending, piece]).toString("utf8") : piece.toString("utf8");
            pending = [];
            pendingBytes = 0;
            if (line.trim() !== "") lines.push(line);
            start = i + 1;
        }
        if (start < chunk.length) {
            const rest = chunk.subarray(start);
            pending.push(rest);
            pendingBytes += rest.length;
            if (pendingBytes > maxLineBytes) throw new LineTooLongError(maxLineBytes);
        }
        if (lines.length > 0) yield lines;
    }
    if (pendingBytes > 0) {
        const line = Buffer.concat(pending).toString("utf8");
        if (line.trim() !== "") yield [line];
    }
}

/** Parses one line as JSON, or undefined when it is not. */
export function parseLine(line: string): unknown {
    try {
        return JSON.parse(line);
    } catch {
        return undefined;
    }
}
