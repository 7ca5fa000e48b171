import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";

// The certificate authorities TLS to RDS is verified against. PgBouncer and the bootstrap Job use
// `verify-full`: the server's certificate must chain to one of these roots and name the host they
// connect to (the instance's endpoint), so a server that merely speaks TLS is not enough.
// @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html

/** The authority the metadata database's certificate comes from (`ca_cert_identifier`). */
export const RDS_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

/** Where pods mount the bundle (a ConfigMap: certificates are not secret). */
export const RDS_CA_DIR = "/etc/rds-ca";
export const RDS_CA_FILE_NAME = "global-bundle.pem";
export const RDS_CA_PATH = `${RDS_CA_DIR}/${RDS_CA_FILE_NAME}`;

/** The ConfigMap that holds the bundle in Airflow's namespace, and the volume name pods use. */
export const RDS_CA_CONFIG_MAP = "airflow-rds-ca";
export const RDS_CA_VOLUME = "rds-ca";

/** AWS's global RDS bundle, shipped in data/rds (see its SOURCE.md), one certificate per element. */
export function rdsGlobalBundle(): readonly string[] {
  return readFileSync(dataFile("rds", RDS_CA_FILE_NAME), "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
}

/**
 * The region's root authorities from the global bundle (RSA2048, RSA4096 and ECC384 G1): what
 * AWS's region bundle holds, and all a database in that region can present. China and GovCloud
 * regions have bundles of their own, and a region newer than the shipped file has none in it.
 */
export function rdsCaBundle(region: string): string {
  const commonName = (pem: string) => new X509Certificate(pem).subject.split("\n").find((line) => line.startsWith("CN=")) ?? "";
  const ours = rdsGlobalBundle().filter((pem) => commonName(pem).startsWith(`CN=Amazon RDS ${region} Root CA `));
  if (ours.length === 0) {
    throw new Error(`no RDS certificate authority for region ${region} in data/rds/${RDS_CA_FILE_NAME}: TLS to the database could not be verified; add the region's bundle from AWS (see data/rds/SOURCE.md)`);
  }
  return ours.map((pem) => (pem.endsWith("\n") ? pem : `${pem}\n`)).join("");
}
