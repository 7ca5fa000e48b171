// A deliberately simple model of one night: a DAG of N tasks in L dependency layers (each layer
// waits for the one before), task durations drawn from a log-normal distribution with a fixed
// seed, tasks packed onto slots in order. It answers "how many nodes at peak, how long, how many
// node-hours", not "exactly when": good enough to size a node group, not to promise a deadline.

export interface NightlyModelInput {
  readonly tasks: number;
  readonly layers: number;
  readonly medianTaskMinutes: number;
  /** Log-normal sigma: 0 makes every task the median; 0.8 gives a long tail. */
  readonly spread: number;
  readonly podsPerNode: number;
  readonly maxNodes: number;
  readonly minNodes: number;
  readonly parallelism: number;
  /** Minutes for a new node to join, paid once per scale-up. @default 4 */
  readonly nodeStartMinutes?: number;
  /** Minutes an empty node lingers before scale-down (the autoscaler's unneeded time). @default 15 */
  readonly scaleDownMinutes?: number;
  /** @default 42 */
  readonly seed?: number;
}

export interface NightlyModelResult {
  readonly peakNodes: number;
  readonly finishMinutes: number;
  readonly nodeHours: number;
}

/** mulberry32: a tiny seeded generator, so the model prints the same figures every run. */
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

function durations(input: NightlyModelInput): number[] {
  const next = random(input.seed ?? 42);
  return Array.from({ length: input.tasks }, () => {
    // Box-Muller: a standard normal from two uniforms.
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return input.medianTaskMinutes * Math.exp(input.spread * normal);
  });
}

/** Greedy list scheduling of one layer onto `slots`: its makespan in minutes. */
function layerMakespan(taskMinutes: readonly number[], slots: number): number {
  const finish = new Array<number>(Math.max(1, slots)).fill(0);
  for (const minutes of taskMinutes) {
    let earliest = 0;
    for (let i = 1; i < finish.length; i++) if (finish[i] < finish[earliest]) earliest = i;
    finish[earliest] += minutes;
  }
  return Math.max(...finish);
}

export function nightlyModel(input: NightlyModelInput): NightlyModelResult {
  if (input.podsPerNode < 1 || input.maxNodes < 1) throw new RangeError("nightlyModel: no task pod fits on the tasks group");
  const all = durations(input);
  const width = Math.ceil(input.tasks / input.layers);
  const slotCap = Math.min(input.parallelism, input.podsPerNode * input.maxNodes);
  const start = input.nodeStartMinutes ?? 4;
  let finishMinutes = 0;
  let nodeMinutes = 0;
  let peakNodes = input.minNodes;
  let previousNodes = input.minNodes;
  for (let layer = 0; layer < input.layers; layer++) {
    const tasks = all.slice(layer * width, (layer + 1) * width);
    if (tasks.length === 0) break;
    const slots = Math.min(slotCap, tasks.length);
    const nodes = Math.max(input.minNodes, Math.min(input.maxNodes, Math.ceil(slots / input.podsPerNode)));
    const wait = nodes > previousNodes ? start : 0;
    const span = wait + layerMakespan(tasks, slots);
    finishMinutes += span;
    nodeMinutes += nodes * span;
    peakNodes = Math.max(peakNodes, nodes);
    previousNodes = nodes;
  }
  // After the last task the extra nodes linger for the scale-down delay; min nodes run all day.
  nodeMinutes += (previousNodes - input.minNodes) * (input.scaleDownMinutes ?? 15);
  nodeMinutes += input.minNodes * Math.max(0, 24 * 60 - finishMinutes);
  return { peakNodes, finishMinutes: Math.round(finishMinutes), nodeHours: Math.round((nodeMinutes / 60) * 10) / 10 };
}
