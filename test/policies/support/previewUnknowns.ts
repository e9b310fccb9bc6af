/**
 * Property values as the policy SDK gives them during a real preview: inputs behind the SDK's
 * proxy, which throws `UnknownValueError` when a rule reads a value that is not known yet.
 * The proxy module has no type declarations, hence the typed require.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T extends object>(props: T): T;
    unknownStringValue: string;
};

/** The SDK's sentinel for a string input that is not known yet (put it where a value would be). */
export const UNKNOWN_STRING: string = proxy.unknownStringValue;

/** `props` as a rule receives them in a preview: reading a sentinel throws UnknownValueError. */
export function asPreviewProps<T extends object>(props: T): T {
    return proxy.unknownCheckingProxy(props);
}
