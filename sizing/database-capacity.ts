/** RDS PostgreSQL's default: LEAST({DBInstanceClassMemory/9531392}, 5000). */
export function rdsDefaultMaxConnections(memoryGiB: number): number {
  return Math.min(Math.floor((memoryGiB * 1024 ** 3) / 9531392), 5000);
}

/**
 * SQLAlchemy's default pool per Airflow process ([database] sql_alchemy_pool_size 5 +
 * max_overflow 10). Task pods do not count: in Airflow 3 they talk to the API server, not the
 * database.
 */
export const CONNECTIONS_PER_PROCESS = 15;

/** Airflow processes that hold database connections: one scheduler, four API server workers, a DAG processor with two parsers, a triggerer. */
export function airflowClientConnections(replicas: { readonly schedulers: number; readonly apiServers: number }): number {
  const processes = replicas.schedulers * 1 + replicas.apiServers * 4 + 3 + 1;
  return processes * CONNECTIONS_PER_PROCESS;
}
