import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { validateEnvironments } from "../../configuration/validation/validate";
import { shippedWith } from "./environments";

// The database suite's own environment: prod's shape with a pool of its own size, so the suite
// does not follow the shipped example's numbers, and a full pool is quick to reach (PgBouncer
// logs server connections in one after another, each a TLS handshake and a SCRAM exchange).

export const TEST_POOL_SIZE = 12;

export function databaseTestEnvironment(): EnvironmentConfig {
  const [config] = validateEnvironments([
    shippedWith("prod", { name: "dbtest", example: "dbtest", airflow: { pgbouncer: { metadataPoolSize: TEST_POOL_SIZE } } } as Parameters<typeof shippedWith>[1]),
  ]);
  return config;
}
