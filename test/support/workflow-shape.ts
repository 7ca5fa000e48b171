// The GitHub Actions workflow as the tests read it (parsed YAML): the fields they look at.

export interface WorkflowStep {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

export interface WorkflowJob {
  readonly "runs-on": string;
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly env?: Record<string, string>;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix: Record<string, string[]> };
  readonly steps: WorkflowStep[];
}

export interface Workflow {
  readonly on: { pull_request?: unknown; push?: { branches: string[] }; schedule?: unknown };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, WorkflowJob>;
}
