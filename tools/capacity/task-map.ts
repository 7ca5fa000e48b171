import { ExportError, type ExportProblem } from "./airflow-export";
import type { TaskMap } from "./workload";

// The capacity command's optional map from task to node pool and size: what the exports cannot
// say (they record Airflow's slot pools, not where a pod ran or what it requested).

/** The optional map file: `{ "tasks": { "<task id or prefix*>": { "pool": "memory", "size": "bigmem" } } }`. */
export function parseTaskMap(file: string, text: string): TaskMap {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ExportError([{ file, path: "/", expected: `JSON (${(error as Error).message})` }]);
  }
  const tasks = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as { tasks?: unknown }).tasks : undefined;
  if (typeof tasks !== "object" || tasks === null || Array.isArray(tasks)) throw new ExportError([{ file, path: "/tasks", expected: 'an object of task id to { "pool"?, "size"? }' }]);
  const problems: ExportProblem[] = [];
  for (const [id, entry] of Object.entries(tasks as Record<string, unknown>)) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push({ file, path: `/tasks/${id}`, expected: '{ "pool"?: a task pool, "size"?: a named size or { "cpuMillicores": n, "memoryMiB": n } }' });
      continue;
    }
    const e = entry as { pool?: unknown; size?: unknown };
    const size = e.size as { cpuMillicores?: unknown; memoryMiB?: unknown } | string | undefined;
    const sizeOk = size === undefined || typeof size === "string" || (typeof size === "object" && size !== null && Number(size.cpuMillicores) > 0 && Number(size.memoryMiB) > 0);
    if (typeof entry !== "object" || entry === null || (e.pool !== undefined && typeof e.pool !== "string") || !sizeOk) {
      problems.push({ file, path: `/tasks/${id}`, expected: '{ "pool"?: a task pool, "size"?: a named size or { "cpuMillicores": n, "memoryMiB": n } }' });
    }
  }
  if (problems.length > 0) throw new ExportError(problems);
  return { file, tasks: tasks as TaskMap["tasks"] };
}
