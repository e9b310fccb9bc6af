/**
 * Traffic swarm nodes exchange (Docker's "use overlay networks" requirements): cluster
 * management, node gossip, VXLAN overlay data, and ESP, which carries the encrypted overlay's
 * IPsec traffic and is blocked unless allowed explicitly.
 */

export interface SwarmRule {
    name: string;
    /** IP protocol: "tcp", "udp" or a protocol number ("50" = ESP). */
    protocol: string;
    fromPort?: number;
    toPort?: number;
    description: string;
}

export function swarmNodeRules(): SwarmRule[] {
    return [
        { name: "swarm-management", protocol: "tcp", fromPort: 2377, toPort: 2377, description: "Swarm cluster management" },
        { name: "swarm-gossip-tcp", protocol: "tcp", fromPort: 7946, toPort: 7946, description: "Node gossip" },
        { name: "swarm-gossip-udp", protocol: "udp", fromPort: 7946, toPort: 7946, description: "Node gossip" },
        { name: "swarm-overlay", protocol: "udp", fromPort: 4789, toPort: 4789, description: "VXLAN overlay data" },
        { name: "swarm-esp", protocol: "50", description: "IPsec ESP of the encrypted overlay network" },
    ];
}
