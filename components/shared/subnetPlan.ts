/**
 * Address plan of a /16 VPC: one private /19 per zone from the bottom (room for EKS pod IPs)
 * and one public /20 per zone from the upper half (load balancers and NAT gateways only).
 */

export interface SubnetPlan {
    publicCidrs: string[];
    privateCidrs: string[];
}

const MAX_ZONES = 4;

function octets(cidr: string): [number, number] {
    const match = /^(\d{1,3})\.(\d{1,3})\.0\.0\/16$/.exec(cidr);
    if (!match || Number(match[1]) > 255 || Number(match[2]) > 255) {
        throw new Error(`vpc cidr "${cidr}" must be a /16 such as 10.0.0.0/16`);
    }
    return [Number(match[1]), Number(match[2])];
}

export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
    if (!Number.isInteger(zones) || zones < 1 || zones > MAX_ZONES) {
        throw new Error(`zones ${zones} must be 1..${MAX_ZONES}`);
    }
    const [a, b] = octets(vpcCidr);
    const indexes = Array.from({ length: zones }, (_, i) => i);
    return {
        privateCidrs: indexes.map((i) => `${a}.${b}.${i * 32}.0/19`),
        publicCidrs: indexes.map((i) => `${a}.${b}.${128 + i * 16}.0/20`),
    };
}

