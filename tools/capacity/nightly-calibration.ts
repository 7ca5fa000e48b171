import type { DagExport, RunsExport } from "./airflow-export";
import { replayOnMachine, type MachineReserve } from "./baseline-machine";
import { ec2InstanceTypes, type Ec2InstanceType } from "../../sizing/instance-data";
import type { ReplaySettings } from "./replay";
import { buildWorkload, type Workload, type WorkloadOptions } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { formatTable } from "./capacity-report";
import type { NightlyAssumptions } from "./nightly-replay";
import { hoursMinutes } from "./nightly-report-format";

// The model checked against the record: each recorded run replayed on the machine it was recorded
// on, its finish against the run's own span. When they differ by more than 10 %, the assumptions
// that could explain it are tried one at a time (the machine's reserve, requests as the tasks'
// use, the start latency) and the one that brings the model back is named, with its corrected run.

export const CALIBRATION_TOLERANCE = 0.1;

export interface RecordedRun {
  readonly runId: string;
  /** From the first task's start to the last task's end. */
  readonly spanSeconds: number;
  /** The most task instances running at once. */
  readonly peakConcurrency: number;
  /** Median seconds from a task instance's queueing to its start (queued_when → start_date). */
  readonly startLatencySeconds: number | undefined;
  readonly workload: Workload;
}

export interface Correction {
  readonly assumption: string;
  readonly flags: string;
  readonly modelSeconds: readonly number[];
  readonly error: number;
}

export interface Calibration {
  readonly machine: string;
  readonly runs: readonly RecordedRun[];
  readonly modelSeconds: readonly (number | undefined)[];
  readonly error: number;
  readonly corrections: readonly Correction[];
  /** The correction that brings the model within the tolerance with the smallest error. */
  readonly explained: Correction | undefined;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};

/** Each run's record: span, peak concurrency and start latency from its timestamps. */
export function recordedRuns(dag: DagExport, runs: readonly RunsExport[], options: WorkloadOptions): RecordedRun[] {
  const runIds = [...new Set(runs.flatMap((r) => r.instances.map((ti) => ti.runId)))];
  return runIds.map((runId) => {
    const own = runs.map((r) => ({ ...r, instances: r.instances.filter((ti) => ti.runId === runId) })).filter((r) => r.instances.length > 0);
    const spans = own.flatMap((r) => r.instances).filter((ti) => ti.startMs !== null && ti.endMs !== null && ti.endMs > (ti.startMs ?? 0)) as { taskId: string; startMs: number; endMs: number; queuedMs: number | null }[];
    const events = spans.flatMap((s) => [[s.startMs, 1], [s.endMs, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let peak = 0;
    for (const [, step] of events) peak = Math.max(peak, (running += step));
    const latencies = spans.flatMap((s) => (s.queuedMs === null ? [] : [Math.max(0, (s.startMs - s.queuedMs) / 1000)]));
    const start = Math.min(...spans.map((s) => s.startMs));
    const end = Math.max(...spans.map((s) => s.endMs));
    return { runId, spanSeconds: (end - start) / 1000, peakConcurrency: peak, startLatencySeconds: median(latencies), workload: buildWorkload(dag, own, options) };
  });
}

const relativeError = (model: readonly (number | undefined)[], runs: readonly RecordedRun[]) =>
  Math.max(...runs.map((r, i) => Math.abs((model[i] ?? Infinity) - r.spanSeconds) / r.spanSeconds));

/** Every unit's requests a 1/n share of the machine's room: the machine ran n tasks at once whatever they requested. */
function asRecordedConcurrency(workload: Workload, instance: Ec2InstanceType, reserve: MachineReserve, n: number): Workload {
  const share = { cpuMillicores: Math.floor((instance.vcpu * 1000 - reserve.cpuMillicores) / n), memoryMiB: Math.floor((instance.memoryMiB - reserve.memoryMiB) / n) };
  return { ...workload, tasks: workload.tasks.map((t) => ({ ...t, units: t.units.map((u) => ({ ...u, requests: share })) })) };
}

export function calibrate(instance: Ec2InstanceType, runs: readonly RecordedRun[], reserve: MachineReserve, settings: ReplaySettings): Calibration {
  const model = (w: (r: RecordedRun) => Workload, res: MachineReserve, s: ReplaySettings) => runs.map((r) => replayOnMachine(w(r), instance, res, s).finishSeconds);
  const modelSeconds = model((r) => r.workload, reserve, settings);
  const error = relativeError(modelSeconds, runs);
  const corrections: Correction[] = [];
  const tryOne = (assumption: string, flags: string, seconds: (number | undefined)[]) => {
    if (seconds.every((s): s is number => s !== undefined)) corrections.push({ assumption, flags, modelSeconds: seconds, error: relativeError(seconds, runs) });
  };
  tryOne("reserve: Airflow, the OS and the database take less of the machine than assumed", "--machine-reserve-cpu 0 --machine-reserve-memory 0", model((r) => r.workload, { cpuMillicores: 0, memoryMiB: 0 }, settings));
  const peak = Math.max(1, ...runs.map((r) => r.peakConcurrency));
  tryOne(`requests vs usage: the record ran ${peak} tasks at once whatever they requested; each as a 1/${peak} share of the machine`, `each task as a 1/${peak} share of the machine`, model((r) => asRecordedConcurrency(r.workload, instance, reserve, peak), reserve, settings));
  const latency = median(runs.map((r) => r.startLatencySeconds).filter((l): l is number => l !== undefined));
  if (latency !== undefined) tryOne(`start latency: the record shows ${Math.round(latency)} s from queued to running, the model ${settings.podStartSeconds} s`, `--pod-start-seconds ${Math.round(latency)}`, model((r) => r.workload, reserve, { ...settings, podStartSeconds: Math.round(latency) }));
  tryOne("task order: the record ran ready tasks in the order they became ready, not by priority_weight as the model's scheduler does", "ready tasks first come, first served", model((r) => ({ ...r.workload, tasks: r.workload.tasks.map((t) => ({ ...t, units: t.units.map((u) => ({ ...u, priority: 0 })) })) }), reserve, settings));
  const within = corrections.filter((c) => c.error <= CALIBRATION_TOLERANCE).sort((a, b) => a.error - b.error);
  return { machine: instance.type, runs, modelSeconds, error, corrections, explained: error > CALIBRATION_TOLERANCE ? within[0] : undefined };
}

export function formatCalibration(config: EnvironmentConfig, dag: DagExport, runs: readonly RunsExport[], options: WorkloadOptions, assumptions: NightlyAssumptions): string {
  if (assumptions.machine === undefined) return "\n  calibration (--calibrate): name the machine the runs were recorded on with --machine\n";
  const instance = ec2InstanceTypes(config.extraInstanceTypes).get(assumptions.machine);
  if (!instance) return "";
  const recorded = recordedRuns(dag, runs, options);
  const result = calibrate(instance, recorded, assumptions.machineReserve, assumptions.replay);
  const show = (s: number | undefined) => (s === undefined ? "never" : hoursMinutes(s));
  const rows = [["run", "recorded", "model", "model − record", "recorded at once"]];
  recorded.forEach((r, i) => rows.push([r.runId, hoursMinutes(r.spanSeconds), show(result.modelSeconds[i]), `${Math.round((100 * ((result.modelSeconds[i] ?? Infinity) - r.spanSeconds)) / r.spanSeconds)} %`, String(r.peakConcurrency)]));
  const lines = [`\n  calibration: the recorded runs replayed on ${instance.type}, the machine they ran on (--machine)\n`, formatTable(rows, "    ")];
  if (result.error <= CALIBRATION_TOLERANCE) lines.push(`    model and record agree within ${CALIBRATION_TOLERANCE * 100} %\n`);
  else {
    lines.push(`    model and record differ by up to ${Math.round(result.error * 100)} %; each assumption alone:\n`);
    lines.push(formatTable(result.corrections.map((c) => [c.assumption, c.flags, c.modelSeconds.map(show).join(", "), `${Math.round(c.error * 100)} %`]), "      "));
    const faster = [result.modelSeconds, ...result.corrections.map((c) => c.modelSeconds)].every((seconds) => seconds.every((s, i) => s !== undefined && s < recorded[i].spanSeconds));
    lines.push(
      result.explained
        ? `    explained by ${result.explained.assumption.slice(0, result.explained.assumption.indexOf(":"))}; the corrected run: ${result.explained.modelSeconds.map(show).join(", ")} (${result.explained.flags})\n`
        : faster
          ? "    no single assumption explains it: the model is faster than the record under every one, so the record holds waits the model does not (its scheduler leaving slots idle, sensors, external systems)\n"
          : "    no single assumption explains it: the record may include waits the model does not know (sensors, external systems)\n",
    );
  }
  return lines.join("");
}
