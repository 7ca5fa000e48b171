import { airflowClientConnections, rdsDefaultMaxConnections } from "../../sizing/database-capacity";
import { rdsInstanceMemoryGiB } from "../../sizing/instance-data";
import { fitsPool, podsPerPoolNode } from "../../sizing/pool-fit";
import { hourlyPrice, type PriceSource } from "./prices";
import { DATABASE_CONNECTION_RESERVE, pgbouncerServerConnections } from "../../configuration/rules/airflow-rules";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPoolFits, taskPools, taskQuotaFor, taskSizes } from "../../configuration/derived/task-pools";

// What an environment's nodes and database hold, as a table: every pool's room per node (the
// largest task it runs), where each task size fits, the task namespace's quota, and the
// database's connections. The same numbers the rules check when the environment is loaded.

export type Table = readonly (readonly string[])[];

export interface CapacityTables {
  readonly pools: Table;
  readonly rows: readonly (readonly [string, string])[];
}

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;
const usd = (value: number | undefined) => (value === undefined ? "no price" : `$${value.toFixed(3)}`);

export function capacityTables(config: EnvironmentConfig, prices: PriceSource): CapacityTables {
  const fits = taskPoolFits(config);
  const defaultPod = config.airflow.taskPod;
  const system = config.nodeGroups.system;
  const pools: string[][] = [
    ["pool", "instance types", "capacity", "nodes", "room per node (largest task)", "default pods/node", "per node-hour"],
    ["system", system.instanceTypes.join(", "), system.capacityType, `${system.minSize}–${system.maxSize}`, "Airflow, the autoscaler (no tasks)", "—", usd(hourlyPrice(prices, system.instanceTypes[0]))],
  ];
  for (const pool of taskPools(config)) {
    const fit = fits.find((f) => f.pool === pool.name);
    const s = pool.settings;
    pools.push([
      pool.name,
      s.instanceTypes.join(", "),
      s.capacityType,
      `${s.minSize}–${s.maxSize}`,
      fit ? `${fit.room.cpuMillicores}m CPU, ${gib(fit.room.memoryMiB)}, ${fit.room.pods} pods` : "no capacity data",
      fit ? String(podsPerPoolNode(fit, defaultPod)) : "—",
      usd(hourlyPrice(prices, s.instanceTypes[0])),
    ]);
  }
  const rows: [string, string][] = taskSizes(config).map((size) => {
    const r = size.resources;
    const where = fits.filter((f) => fitsPool(f, r)).map((f) => f.pool);
    return [`task size ${size.name}`, `${r.cpuMillicores}m CPU, ${r.memoryMiB} MiB requested; fits ${where.length > 0 ? where.join(", ") : "no pool"}`];
  });
  const quota = taskQuotaFor(config);
  rows.push([
    "task namespace quota",
    `${quota.cpuMillicores}m CPU, ${quota.memoryMiB} MiB requested (limits ${quota.limitsCpuMillicores}m, ${quota.limitsMemoryMiB} MiB), ${quota.pods} pods${config.airflow.taskQuota ? "" : ": every pool at its maximum"}`,
  ]);
  const memory = rdsInstanceMemoryGiB(config.extraDbInstanceClasses).get(config.database.instanceClass) ?? 0;
  const pooled = pgbouncerServerConnections(config.airflow.pgbouncer);
  const clients = airflowClientConnections({ schedulers: config.airflow.schedulerReplicas, apiServers: config.airflow.apiServerReplicas });
  rows.push(
    ["Airflow parallelism", `${config.airflow.parallelism} per scheduler × ${config.airflow.schedulerReplicas} scheduler${config.airflow.schedulerReplicas === 1 ? "" : "s"}`],
    ["database max_connections", `${config.database.maxConnections} (RDS formula for ${config.database.instanceClass}: ${rdsDefaultMaxConnections(memory)})`],
    [
      "PgBouncer server pools + reserve",
      `${config.airflow.pgbouncer.replicas} replicas × ${config.airflow.pgbouncer.metadataPoolSize} + ${DATABASE_CONNECTION_RESERVE} = ${pooled + DATABASE_CONNECTION_RESERVE}`,
    ],
    ["Airflow client connections", `${clients} (PgBouncer max_client_conn ${config.airflow.pgbouncer.maxClientConnections})`],
  );
  return { pools, rows };
}

/** Columns padded to their widest cell. */
export function formatTable(table: Table, indent = "  "): string {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
  return table.map((row) => `${indent}${row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()}\n`).join("");
}
