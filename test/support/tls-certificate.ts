import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp";

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A self-signed certificate for the given DNS names and 127.0.0.1, made by the openssl CLI: its
 * own authority, so a client that trusts the file (Python's REQUESTS_CA_BUNDLE) trusts the server.
 */
export function selfSignedCertificate(dnsNames: readonly string[]): TestCertificate {
  const dir = tempDir("tls");
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const san = [...dnsNames.map((name) => `DNS:${name}`), "IP:127.0.0.1"].join(",");
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${dnsNames[0] ?? "localhost"}`,
        "-addext", `subjectAltName=${san}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        "-keyout", keyPath, "-out", certPath],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (error) {
    throw new Error(`openssl could not make a test certificate (apt-get install -y openssl): ${String(error)}`);
  }
  return { certPath, keyPath, cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}
