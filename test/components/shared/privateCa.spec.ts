import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { forTesting, RENEW_BEFORE_DAYS } from "../../../components/shared/privateCa";

const { makeCertificate, diffCertificate } = forTesting;

describe("private CA: certificates the platform issues itself", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "private-ca-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("issues a leaf for the names asked, which openssl verifies against the CA and a TLS 1.3 handshake accepts", async () => {
        const ca = await makeCertificate({ commonName: "test CA", dnsNames: [], validityDays: 3650 });
        const leaf = await makeCertificate({ commonName: "sync.eu-west-1.ai.example.com", dnsNames: ["sync.eu-west-1.ai.example.com"], validityDays: 397, issuer: ca });
        fs.writeFileSync(path.join(dir, "ca.pem"), ca.certPem);
        fs.writeFileSync(path.join(dir, "leaf.pem"), leaf.certPem);
        assert.match(execFileSync("openssl", ["verify", "-CAfile", path.join(dir, "ca.pem"), path.join(dir, "leaf.pem")], { encoding: "utf8" }), /leaf\.pem: OK/);
        const parsed = new crypto.X509Certificate(leaf.certPem);
        assert.strictEqual(parsed.subjectAltName, "DNS:sync.eu-west-1.ai.example.com");
        assert.ok(parsed.checkIssued(new crypto.X509Certificate(ca.certPem)));
        assert.ok(!parsed.ca && new crypto.X509Certificate(ca.certPem).ca);
        const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem, minVersion: "TLSv1.3" }, (s) => s.end("ok"));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const protocol = await new Promise<string>((resolve, reject) => {
            const socket = tls.connect({ port: (server.address() as { port: number }).port, host: "127.0.0.1", servername: "sync.eu-west-1.ai.example.com", ca: ca.certPem }, () => {
                resolve(`${socket.getProtocol()} ${socket.authorized}`);
                socket.end();
            });
            socket.on("error", reject);
        });
        server.close();
        assert.strictEqual(protocol, "TLSv1.3 true");
    });

    it("keeps a certificate until its names or CA change or it enters the renewal window", () => {
        const inputs = { commonName: "a", dnsNames: ["a.example.com"], validityDays: 397, issuerCertPem: "CA1", renewBeforeDays: RENEW_BEFORE_DAYS };
        const fresh = { ...inputs, notAfter: new Date(Date.now() + 200 * 86_400_000).toISOString() };
        assert.deepStrictEqual(diffCertificate(fresh, inputs), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepStrictEqual(diffCertificate(fresh, { ...inputs, dnsNames: ["b.example.com"] }).replaces, ["dnsNames"]);
        assert.deepStrictEqual(diffCertificate(fresh, { ...inputs, issuerCertPem: "CA2" }).replaces, ["issuerCertPem"]);
        const expiring = { ...inputs, notAfter: new Date(Date.now() + 10 * 86_400_000).toISOString() };
        assert.deepStrictEqual(diffCertificate(expiring, inputs).replaces, ["notAfter"]);
    });
});
