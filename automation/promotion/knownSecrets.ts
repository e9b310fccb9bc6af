/** Secrets a promotion run knows of, so no line it prints or records can carry them. */
import { Engine, scrubSecrets } from "../engines/engine";

/** Secrets known to this run, masked in every line printed and every message recorded. */
export class KnownSecrets {
    private readonly known: (string | undefined)[];

    constructor(initial: (string | undefined)[] = []) {
        this.known = [...initial];
    }

    add(secret: string | undefined): void {
        if (secret) this.known.push(secret);
    }

    /** Reads the stack's OTP seed so it can be masked; a stack without a gate has none. */
    async learnSeed(engine: Engine, stack: string): Promise<void> {
        try {
            this.add(await engine.otpSeed(stack));
        } catch {
            // No seed to mask; the OTP gate reports the failure if a step needs the seed.
        }
    }

    scrub(text: string): string {
        return scrubSecrets(text, this.known);
    }
}
