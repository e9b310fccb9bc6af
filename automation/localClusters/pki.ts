/**
 * The PKI of one local cluster, made with the openssl command line (OpenSSL 3): a CA, serving
 * certificates for etcd, the apiserver, the controller-manager and the scheduler, client
 * certificates for each component and for the admin, and the service-account key pair. Keys
 * are ECDSA P-256. Files already present are kept, so a restarted cluster keeps its
 * identity; a missing CA regenerates everything.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Service IP range of every local cluster; its first address is the `kubernetes` Service. */
export const SERVICE_CIDR = "10.96.0.0/16";
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

export interface CertPair {
    cert: string;
    key: string;
}

export interface ClusterPki {
    dir: string;
    ca: CertPair;
    etcdServer: CertPair;
    apiserverEtcdClient: CertPair;
    apiserver: CertPair;
    controllerManagerServing: CertPair;
    schedulerServing: CertPair;
    admin: CertPair;
    controllerManager: CertPair;
    scheduler: CertPair;
    kwok: CertPair;
    frontProxyCa: CertPair;
    frontProxyClient: CertPair;
    serviceAccountKey: string;
    serviceAccountPub: string;
}

/** The user names the client certificates carry (their CN), and groups (O). */
export const IDENTITIES = {
    admin: { cn: "local-admin", o: ["system:masters"] },
    controllerManager: { cn: "system:kube-controller-manager", o: [] as string[] },
    scheduler: { cn: "system:kube-scheduler", o: [] as string[] },
    kwok: { cn: "local:kwok-controller", o: [] as string[] },
    apiserverEtcdClient: { cn: "kube-apiserver-etcd-client", o: [] as string[] },
};

/** CN of the client certificate the apiserver presents to aggregated apiservers. */
export const FRONT_PROXY_CLIENT = "front-proxy-client";

const OPENSSL = process.env.AI_PLATFORM_OPENSSL || "openssl";

function openssl(args: string[], cwd: string): void {
    try {
        execFileSync(OPENSSL, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
        const e = err as { stderr?: Buffer; message: string };
        throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
    }
}

interface LeafRequest {
    name: string;
    cn: string;
    o?: string[];
    usage: ("serverAuth" | "clientAuth")[];
    sans?: { ips?: string[]; dns?: string[] };
}

function reqConfig(cn: string, o: string[], extensions: string[]): string {
    return [
        "[req]",
        "distinguished_name = dn",
        "prompt = no",
        "[dn]",
        ...o.map((org, i) => `${i}.O = ${org}`),
        `CN = ${cn}`,
        "[ext]",
        ...extensions,
        "",
    ].join("\n");
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function makeCa(dir: string, name: string, cn: string): CertPair {
    const pair = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
    const cfg = path.join(dir, `${name}.cnf`);
    fs.writeFileSync(cfg, reqConfig(cn, [], ["basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign,digitalSignature", "subjectKeyIdentifier = hash"]));
    try {
        openssl(["req", "-x509", "-new", ...EC_KEY, "-config", cfg, "-extensions", "ext", "-days", "3650", "-keyout", pair.key, "-out", pair.cert], dir);
    } finally {
        fs.rmSync(cfg, { force: true });
    }
    fs.chmodSync(pair.key, 0o600);
    return pair;
}

function makeLeaf(dir: string, ca: CertPair, req: LeafRequest): CertPair {
    const pair = { cert: path.join(dir, `${req.name}.crt`), key: path.join(dir, `${req.name}.key`) };
    const ext = [
        "basicConstraints = critical,CA:FALSE",
        "keyUsage = critical,digitalSignature,keyEncipherment",
        `extendedKeyUsage = ${req.usage.join(",")}`,
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid",
    ];
    const sans = [...(req.sans?.ips ?? []).map((ip) => `IP:${ip}`), ...(req.sans?.dns ?? []).map((d) => `DNS:${d}`)];
    if (sans.length > 0) ext.push(`subjectAltName = ${sans.join(",")}`);
    const cfg = path.join(dir, `${req.name}.cnf`);
    fs.writeFileSync(cfg, reqConfig(req.cn, req.o ?? [], ext));
    try {
        openssl(
            ["req", "-x509", "-new", ...EC_KEY, "-config", cfg, "-extensions", "ext", "-days", "825", "-CA", ca.cert, "-CAkey", ca.key, "-keyout", pair.key, "-out", pair.cert],
            dir,
        );
    } finally {
        fs.rmSync(cfg, { force: true });
    }
    fs.chmodSync(pair.key, 0o600);
    return pair;
}

const LOOPBACK = { ips: ["127.0.0.1"], dns: ["localhost"] };

/** Creates (or completes) the PKI of the cluster of `region` in `dir`. */
export function ensureClusterPki(dir: string, region: string): ClusterPki {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const exists = (name: string) => fs.existsSync(path.join(dir, `${name}.crt`)) && fs.existsSync(path.join(dir, `${name}.key`));
    const fresh = !exists("ca");
    const ca = fresh ? makeCa(dir, "ca", `local-cluster-ca-${region}`) : { cert: path.join(dir, "ca.crt"), key: path.join(dir, "ca.key") };
    const leaf = (req: LeafRequest, issuer: CertPair = ca): CertPair =>
        !fresh && exists(req.name) ? { cert: path.join(dir, `${req.name}.crt`), key: path.join(dir, `${req.name}.key`) } : makeLeaf(dir, issuer, req);
    // The aggregation layer: the apiserver proxies to extension apiservers with a client
    // certificate of a CA of its own (requestheader authentication).
    const freshFrontProxy = fresh || !exists("front-proxy-ca");
    const frontProxyCa = freshFrontProxy ? makeCa(dir, "front-proxy-ca", `local-front-proxy-ca-${region}`) : { cert: path.join(dir, "front-proxy-ca.crt"), key: path.join(dir, "front-proxy-ca.key") };

    const pki: ClusterPki = {
        dir,
        ca,
        etcdServer: leaf({ name: "etcd-server", cn: "etcd-server", usage: ["serverAuth", "clientAuth"], sans: LOOPBACK }),
        apiserverEtcdClient: leaf({ name: "apiserver-etcd-client", cn: IDENTITIES.apiserverEtcdClient.cn, usage: ["clientAuth"] }),
        apiserver: leaf({
            name: "apiserver",
            cn: "kube-apiserver",
            usage: ["serverAuth"],
            sans: {
                ips: ["127.0.0.1", KUBERNETES_SERVICE_IP],
                dns: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
            },
        }),
        controllerManagerServing: leaf({ name: "controller-manager-serving", cn: "kube-controller-manager", usage: ["serverAuth"], sans: LOOPBACK }),
        schedulerServing: leaf({ name: "scheduler-serving", cn: "kube-scheduler", usage: ["serverAuth"], sans: LOOPBACK }),
        admin: leaf({ name: "admin", cn: IDENTITIES.admin.cn, o: IDENTITIES.admin.o, usage: ["clientAuth"] }),
        controllerManager: leaf({ name: "controller-manager", cn: IDENTITIES.controllerManager.cn, usage: ["clientAuth"] }),
        scheduler: leaf({ name: "scheduler", cn: IDENTITIES.scheduler.cn, usage: ["clientAuth"] }),
        kwok: leaf({ name: "kwok", cn: IDENTITIES.kwok.cn, usage: ["clientAuth"] }),
        frontProxyCa,
        frontProxyClient: (freshFrontProxy ? makeLeaf : (_: string, issuer: CertPair, req: LeafRequest) => leaf(req, issuer))(dir, frontProxyCa, {
            name: "front-proxy-client",
            cn: FRONT_PROXY_CLIENT,
            usage: ["clientAuth"],
        }),
        serviceAccountKey: path.join(dir, "sa.key"),
        serviceAccountPub: path.join(dir, "sa.pub"),
    };
    if (fresh || !fs.existsSync(pki.serviceAccountKey) || !fs.existsSync(pki.serviceAccountPub)) {
        openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", pki.serviceAccountKey], dir);
        fs.chmodSync(pki.serviceAccountKey, 0o600);
        openssl(["pkey", "-in", pki.serviceAccountKey, "-pubout", "-out", pki.serviceAccountPub], dir);
    }
    return pki;
}

/** A kubeconfig for one identity of one cluster, with the certificates embedded. */
export function kubeconfigFor(opts: { server: string; ca: string; client: CertPair; context: string; user: string }): Record<string, unknown> {
    const b64 = (file: string) => fs.readFileSync(file).toString("base64");
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: opts.context, cluster: { server: opts.server, "certificate-authority-data": b64(opts.ca) } }],
        users: [{ name: opts.user, user: { "client-certificate-data": b64(opts.client.cert), "client-key-data": b64(opts.client.key) } }],
        contexts: [{ name: opts.context, context: { cluster: opts.context, user: opts.user } }],
        "current-context": opts.context,
    };
}
