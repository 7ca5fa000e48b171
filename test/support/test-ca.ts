import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mustSucceed } from "./unprivileged";

// A certificate authority of the test's own, standing in for RDS's: PostgreSQL presents a
// certificate it issued, and clients verify it with `verify-full` against the CA's certificate,
// as PgBouncer and the bootstrap Job verify RDS's against the RDS bundle.

export interface TestCa {
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: readonly string[], what: string): void {
  mustSucceed(spawnSync("openssl", args, { encoding: "utf8" }), `openssl ${what}`);
}

export function createTestCa(dir: string, name: string): TestCa {
  const ca = { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
  const extensions = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name}`, ...extensions, "-keyout", ca.keyFile, "-out", ca.certFile], `req (${name})`);
  return ca;
}

/** A server certificate for the given subject alternative names (`IP:127.0.0.1`, `DNS:…`), signed by the CA. */
export function issueServerCertificate(ca: TestCa, dir: string, subjectAltNames: readonly string[]): { readonly certFile: string; readonly keyFile: string } {
  const keyFile = join(dir, "server.key");
  const csr = join(dir, "server.csr");
  const certFile = join(dir, "server.crt");
  const extFile = join(dir, "server.ext");
  writeFileSync(extFile, [`subjectAltName=${subjectAltNames.join(",")}`, "extendedKeyUsage=serverAuth", "basicConstraints=CA:FALSE", ""].join("\n"));
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=metadata-database", "-keyout", keyFile, "-out", csr], "req (server)");
  openssl(["x509", "-req", "-in", csr, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-CAcreateserial", "-days", "2", "-extfile", extFile, "-out", certFile], "x509 (server)");
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}
