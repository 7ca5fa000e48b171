import type { ResourceView } from "./types";

type Block = Record<string, unknown>;
interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly variable?: Record<string, Block>;
  readonly output?: Record<string, Block>;
}
interface PlanJson {
  readonly planned_values?: { readonly root_module?: { readonly resources?: { address: string; type: string; values: Block }[] } };
}

/** Views of a stack's resources, variables and outputs from its synthesized JSON alone. */
export function viewsFromSynth(stack: string, synthesized: SynthesizedStack): ResourceView[] {
  const resources = Object.entries(synthesized.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, config]) => ({ address: `${type}.${name}`, type, stack, values: config, config })),
  );
  const named = (type: "variable" | "output", blocks: Record<string, Block> | undefined) =>
    Object.entries(blocks ?? {}).map(([name, config]) => ({ address: `${type}.${name}`, type, stack, values: config, config }));
  return [...resources, ...named("variable", synthesized.variable), ...named("output", synthesized.output)];
}

/** Views that prefer the plan's values and keep the synthesized configuration beside them. */
export function viewsFromPlan(stack: string, synthesized: SynthesizedStack, plan: PlanJson): ResourceView[] {
  const planned = new Map((plan.planned_values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
  return viewsFromSynth(stack, synthesized).map((view) => ({ ...view, values: planned.get(view.address) ?? view.config }));
}
