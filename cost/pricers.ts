/** Every price rule, by type token: AWS resources and Kubernetes objects that provision capacity. */
import { AWS_PRICERS } from "./awsPricers";
import { KUBERNETES_PRICERS } from "./kubernetesPricers";
import type { Pricer } from "./pricing";

export const PRICERS: Readonly<Record<string, Pricer>> = { ...AWS_PRICERS, ...KUBERNETES_PRICERS };

export function hasPriceRule(type: string): boolean {
    return Object.prototype.hasOwnProperty.call(PRICERS, type);
}
