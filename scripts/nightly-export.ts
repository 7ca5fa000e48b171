// Writes examples/nightly-export: a synthetic but realistically shaped export of Airflow's stable
// REST API (/api/v2) for a nightly DAG like the seed workload: ~200 tasks (extract and load per
// source, validation per domain, transforms, two 48 GiB jobs, aggregates, reports, checks, a mapped
// export), three runs as the team's one machine ran them (about 8 hours each, five tasks at a
// time), each run paged 100 task instances at a time as the API returns them.
//   npx tsx scripts/nightly-export.ts [--tasks 200] [--out examples/nightly-export]
// The bench imports nightlyExport() for its 200- and 2,000-task replays.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

interface TaskShape {
  readonly id: string;
  readonly operator: "KubernetesPodOperator" | "PythonOperator" | "EmptyOperator" | "ShortCircuitOperator";
  readonly medianMinutes: number;
  readonly upstream: readonly string[];
  /** Instances of a mapped task. */
  readonly mapped?: number;
  readonly skipped?: boolean;
}

export interface NightlyExport {
  readonly dagId: string;
  readonly tasks: Record<string, unknown>;
  /** Pages of each run's task instances, in run order. */
  readonly runs: readonly { readonly runId: string; readonly pages: readonly Record<string, unknown>[] }[];
  readonly taskMap: Record<string, unknown>;
}

/** mulberry32: the same export on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lognormal(next: () => number, median: number, sigma: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return median * Math.exp(sigma * normal);
}

/** The DAG's shape for about `total` tasks, scaled from the 200-task original. */
function dagShape(total: number, next: () => number): TaskShape[] {
  const scale = total / 200;
  const sources = Math.round(40 * scale);
  const domains = Math.max(2, Math.round(10 * scale));
  const fan = Math.round(20 * scale);
  const tasks: TaskShape[] = [{ id: "start", operator: "EmptyOperator", medianMinutes: 0.2, upstream: [] }];
  for (let s = 0; s < sources; s++) {
    tasks.push({ id: `extract_source_${s}`, operator: "KubernetesPodOperator", medianMinutes: 7, upstream: ["start"] });
    tasks.push({ id: `load_source_${s}`, operator: "KubernetesPodOperator", medianMinutes: 3, upstream: [`extract_source_${s}`] });
  }
  const pick = (prefix: string, count: number) => `${prefix}${Math.floor(next() * count)}`;
  for (let d = 0; d < domains; d++) {
    const loads = Array.from({ length: sources }, (_, s) => s).filter((s) => s % domains === d).map((s) => `load_source_${s}`);
    tasks.push({ id: `validate_domain_${d}`, operator: "PythonOperator", medianMinutes: 2, upstream: loads });
    const t = (k: number) => `transform_domain_${d}_${k}`;
    tasks.push({ id: t(1), operator: "KubernetesPodOperator", medianMinutes: 12, upstream: [`validate_domain_${d}`] });
    tasks.push({ id: t(2), operator: "KubernetesPodOperator", medianMinutes: 10, upstream: [`validate_domain_${d}`] });
    tasks.push({ id: t(3), operator: "KubernetesPodOperator", medianMinutes: 16, upstream: [t(1), t(2)] });
    tasks.push({ id: t(4), operator: "KubernetesPodOperator", medianMinutes: 12, upstream: [t(3)] });
    tasks.push({ id: t(5), operator: "KubernetesPodOperator", medianMinutes: 8, upstream: [t(3)] });
  }
  const half = Math.max(1, Math.floor(domains / 2));
  tasks.push({ id: "build_customer_360", operator: "KubernetesPodOperator", medianMinutes: 75, upstream: Array.from({ length: half }, (_, d) => `transform_domain_${d}_4`) });
  tasks.push({ id: "train_churn_model", operator: "KubernetesPodOperator", medianMinutes: 50, upstream: ["build_customer_360", `transform_domain_${half}_5`] });
  for (let a = 0; a < fan; a++) {
    tasks.push({ id: `aggregate_${a}`, operator: "KubernetesPodOperator", medianMinutes: 9, upstream: [...new Set([`${pick("transform_domain_", domains)}_4`, `${pick("transform_domain_", domains)}_5`])] });
  }
  for (let r = 0; r < fan; r++) {
    tasks.push({ id: `report_${r}`, operator: "PythonOperator", medianMinutes: 5, upstream: r % 4 === 0 ? [`aggregate_${r}`, "build_customer_360"] : [`aggregate_${r}`] });
  }
  const checks = Math.max(1, Math.round(13 * scale));
  for (let q = 0; q < checks; q++) tasks.push({ id: `quality_check_${q}`, operator: "PythonOperator", medianMinutes: 3, upstream: [pick("aggregate_", fan)] });
  tasks.push({ id: "weekend_summary", operator: "ShortCircuitOperator", medianMinutes: 0, upstream: ["start"], skipped: true });
  tasks.push({ id: "export_partner_feeds", operator: "KubernetesPodOperator", medianMinutes: 6, upstream: ["train_churn_model"], mapped: 6 });
  const reports = Array.from({ length: fan }, (_, r) => `report_${r}`);
  tasks.push({ id: "publish", operator: "PythonOperator", medianMinutes: 4, upstream: [...reports, "export_partner_feeds", ...Array.from({ length: checks }, (_, q) => `quality_check_${q}`)] });
  tasks.push({ id: "notify", operator: "PythonOperator", medianMinutes: 0.5, upstream: ["publish"] });
  return tasks;
}

const delta = (seconds: number) => ({ __type: "TimeDelta", days: 0, seconds, microseconds: 0 });
const MODULES = { KubernetesPodOperator: "airflow.providers.cncf.kubernetes.operators.pod", PythonOperator: "airflow.providers.standard.operators.python", EmptyOperator: "airflow.providers.standard.operators.empty", ShortCircuitOperator: "airflow.providers.standard.operators.python" } as const;

function taskResponse(task: TaskShape, downstream: readonly string[]): Record<string, unknown> {
  return {
    task_id: task.id, task_display_name: task.id, owner: "data-platform", start_date: "2026-01-05T00:00:00Z", end_date: null,
    trigger_rule: "all_success", depends_on_past: false, wait_for_downstream: false, retries: 2, queue: "default", pool: "default_pool", pool_slots: 1,
    execution_timeout: task.operator === "KubernetesPodOperator" ? delta(4 * 3600) : null, retry_delay: delta(300), retry_exponential_backoff: 0,
    priority_weight: 1, weight_rule: "downstream", ui_color: "#fff", ui_fgcolor: "#000",
    template_fields: task.operator === "KubernetesPodOperator" ? ["image", "cmds", "arguments", "env_vars"] : [],
    downstream_task_ids: [...downstream], doc_md: null, operator_name: task.operator, params: {},
    class_ref: { module_path: MODULES[task.operator], class_name: task.operator }, is_mapped: task.mapped !== undefined, extra_links: [],
  };
}

/** A list schedule of one run on one machine running `slots` tasks at once, in the DAG's order. */
function runOnOneMachine(tasks: readonly TaskShape[], minutes: ReadonlyMap<string, number[]>, slots: number): Map<string, { start: number; end: number }[]> {
  const done = new Map<string, number>();
  const times = new Map<string, { start: number; end: number }[]>();
  const free = Array.from({ length: slots }, () => 0);
  const left = [...tasks];
  while (left.length > 0) {
    const i = left.findIndex((t) => t.upstream.every((u) => done.has(u)));
    const task = left.splice(i, 1)[0];
    const readyAt = Math.max(0, ...task.upstream.map((u) => done.get(u) ?? 0));
    const spans = (minutes.get(task.id) ?? []).map((m) => {
      const slot = free.indexOf(Math.min(...free));
      const start = Math.max(readyAt, free[slot]);
      free[slot] = start + m * 60;
      return { start, end: free[slot] };
    });
    times.set(task.id, spans.length > 0 ? spans : [{ start: readyAt, end: readyAt }]);
    done.set(task.id, Math.max(readyAt, ...spans.map((s) => s.end)));
  }
  return times;
}

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function nightlyExport(options: { readonly tasks?: number; readonly runs?: number; readonly seed?: number } = {}): NightlyExport {
  const next = random(options.seed ?? 17);
  const dagId = "high_priorities";
  const shape = dagShape(options.tasks ?? 200, next);
  const downstream = new Map<string, string[]>(shape.map((t) => [t.id, []]));
  for (const task of shape) for (const up of task.upstream) downstream.get(up)?.push(task.id);
  // Airflow records each task instance's effective weight: with the default `downstream` rule, one
  // for the task and one for every task downstream of it.
  const weight = new Map<string, number>();
  const weightOf = (id: string): number => {
    const known = weight.get(id);
    if (known !== undefined) return known;
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(downstream.get(next) ?? []));
    }
    weight.set(id, seen.size);
    return seen.size;
  };
  const base = new Map(shape.map((t) => [t.id, Array.from({ length: t.mapped ?? 1 }, () => lognormal(next, t.medianMinutes * 0.82, 0.5))]));
  const version = { id: uuid(next), version_number: 14, dag_id: dagId, bundle_name: "dags-folder", bundle_version: null, created_at: "2026-11-02T09:12:44.118Z", dag_display_name: dagId, bundle_url: null };
  const runs = Array.from({ length: options.runs ?? 3 }, (_, r) => {
    const day = `2026-11-${String(16 + r).padStart(2, "0")}`;
    const runAfter = Date.parse(`${day}T01:00:00Z`);
    const runId = `scheduled__${day}T01:00:00+00:00`;
    const minutes = new Map(shape.map((t) => [t.id, t.skipped ? [] : (base.get(t.id) ?? []).map((m) => m * Math.exp(0.1 * (next() * 2 - 1)))]));
    const schedule = runOnOneMachine(shape, minutes, 5);
    const iso = (seconds: number) => new Date(runAfter + seconds * 1000).toISOString();
    const instances = shape.flatMap((task) =>
      (schedule.get(task.id) ?? []).map((span, i) => ({
        id: uuid(next), task_id: task.id, dag_id: dagId, dag_run_id: runId, map_index: task.mapped ? i : -1,
        logical_date: `${day}T01:00:00Z`, run_after: `${day}T01:00:00Z`, start_date: iso(span.start), end_date: iso(span.end),
        duration: task.skipped ? null : Math.round((span.end - span.start) * 1000) / 1000, state: task.skipped ? "skipped" : "success",
        try_number: 1, max_tries: 2, task_display_name: task.id, dag_display_name: dagId, hostname: "airflow-worker-1", unixname: "airflow",
        pool: "default_pool", pool_slots: 1, queue: "default", priority_weight: weightOf(task.id), operator: task.operator, operator_name: task.operator,
        queued_when: iso(Math.max(0, span.start - 2)), scheduled_when: iso(Math.max(0, span.start - 3)), pid: 1000 + Math.floor(next() * 60000),
        executor: null, executor_config: "{}", note: null, rendered_map_index: task.mapped ? `partner_${i}` : null, rendered_fields: {},
        trigger: null, triggerer_job: null, dag_version: version,
      })),
    );
    const pages = [];
    for (let offset = 0; offset < instances.length; offset += 100) pages.push({ task_instances: instances.slice(offset, offset + 100), total_entries: instances.length });
    return { runId, pages };
  });
  return {
    dagId,
    tasks: { tasks: shape.map((t) => taskResponse(t, downstream.get(t.id) ?? [])), total_entries: shape.length },
    runs,
    taskMap: {
      tasks: {
        build_customer_360: { pool: "memory", size: "bigmem" },
        train_churn_model: { pool: "memory", size: "bigmem" },
        "transform_domain_*": { size: { cpuMillicores: 1000, memoryMiB: 4096 } },
      },
    },
  };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { tasks: { type: "string" }, out: { type: "string" } } });
  const out = resolve(values.out ?? join(__dirname, "..", "examples", "nightly-export"));
  const exported = nightlyExport({ tasks: Number(values.tasks ?? 200) });
  mkdirSync(join(out, "runs"), { recursive: true });
  writeFileSync(join(out, "tasks.json"), JSON.stringify(exported.tasks));
  for (const run of exported.runs) {
    run.pages.forEach((page, i) => writeFileSync(join(out, "runs", `${run.runId.slice(11, 21)}-page-${i + 1}.json`), JSON.stringify(page)));
  }
  writeFileSync(join(out, "task-map.json"), `${JSON.stringify(exported.taskMap, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
