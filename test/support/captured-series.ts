import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { airflowMapperProfilesInUse } from "../../constructs/datadog/airflow-metric-trace";
import { airflowMetricsConfig } from "../../constructs/datadog/airflow-metrics-config";
import { airflowMetricsSettings, airflowSendsStat } from "../../constructs/datadog/airflow-statsd-client";
import { agentDogstatsdTags } from "../../constructs/datadog/datadog-agent-release";
import type { DogstatsdAgentConfig } from "../../constructs/datadog/dogstatsd-agent";
import { airflowMapperProfiles } from "../../constructs/datadog/mapper-profiles";
import type { CriticalDag, MonitorContext } from "../../constructs/datadog/monitor-context";
import { captureLines, readCapture } from "./airflow-capture";
import { storedPoints, type CapturedLine } from "./monitor-evaluation";

// The recorded capture as Datadog would store it: Airflow's datagrams, less what the platform's
// `[metrics] metrics_block_list` stops in Airflow (the capture was taken without one), through
// the agent as the platform configures it (mapper profiles in use, DogStatsD tags), for a
// monitor context of the tests' own: environment `capture`, its critical DAGs the test DAGs.

export const CAPTURE_ENVIRONMENT = "capture";

/** `airflow.<stat>:…` → `<stat>`; undefined for what does not come through Airflow's Stats. */
export function statOf(line: string): string | undefined {
  const name = line.slice(0, line.indexOf(":"));
  return name.startsWith("airflow.") ? name.slice("airflow.".length) : undefined;
}

/** The captured lines the platform's Airflow would send: its block list applied. */
export function sentLines(lines: readonly CapturedLine[], metricsConfig = airflowMetricsConfig("dogstatsd")): CapturedLine[] {
  const settings = airflowMetricsSettings(metricsConfig);
  return lines.filter(({ line }) => {
    const stat = statOf(line);
    return stat === undefined || airflowSendsStat(stat, settings);
  });
}

export function captureAgent(metricsConfig = airflowMetricsConfig("dogstatsd")): DogstatsdAgentConfig {
  const dogstatsdTags = agentDogstatsdTags(CAPTURE_ENVIRONMENT);
  return {
    dogstatsdTags,
    mapperProfiles: airflowMapperProfilesInUse({ airflowVersion: AIRFLOW_CHART.airflowVersion, metricsConfig, mapperProfiles: airflowMapperProfiles(), dogstatsdTags }),
  };
}

export const capturedLines = (): CapturedLine[] => captureLines(readCapture());

/** The recorded capture as stored by Datadog on this platform. */
export function capturedPoints(lines = capturedLines()) {
  return storedPoints(sentLines(lines), captureAgent());
}

const dag = (dagId: string, deadlineHours: number, times: Partial<CriticalDag> = {}): CriticalDag => ({ dagId, deadlineHours, timezone: "UTC", ...times });

/** A budget of 3.6 ms: every run of the DAG misses it. */
export const MISSED_BUDGET_HOURS = 0.000001;

export function captureContext(overrides: Partial<MonitorContext> = {}): MonitorContext {
  return {
    environment: CAPTURE_ENVIRONMENT,
    clusterName: "capture-cluster",
    airflowNamespace: "airflow",
    taskNamespace: "airflow-tasks",
    tasksMaxNodes: 10,
    database: { identifier: "capture-db", maxConnections: 100, allocatedStorageGiB: 20 },
    logFileSystemName: "capture-logs",
    criticalDags: [
      dag("capture_success", 1, { finishBy: "06:00", startBy: "05:00" }),
      dag("capture_exception", 1),
      dag("capture_sigkill", 1),
      dag("capture_long_task", MISSED_BUDGET_HOURS),
      dag("capture_paused", 1, { finishBy: "06:00", startBy: "05:00" }),
    ],
    longTaskHours: 1,
    airflowTags: true,
    ...overrides,
  };
}
