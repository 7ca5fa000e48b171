import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { ConfigError } from "../../lib/config-error";
import { Construct, type ITerraformDependable } from "../core";
import type { Duration } from "../../lib/units";
import { AIRFLOW_CHART, AIRFLOW_RELEASE_NAME } from "./chart-versions";
import { chartValueProblems } from "./values-schema";

export interface AirflowReleaseProps {
  /** The environment, for error messages. */
  readonly environment: string;
  readonly namespace: string;
  /** Complete chart values (see airflowValues); validated against the chart's schema here. */
  readonly values: Record<string, unknown>;
  /**
   * Wait for every Deployment to be ready before the apply finishes. On: a release whose pods
   * crash-loop, or whose schema migration fails (every component waits for it in an init
   * container), fails the apply instead of reporting success.
   * @default true
   * @see https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release#wait-1
   */
  readonly wait?: boolean;
  /**
   * @default Duration.minutes(15): the migration job and first image pulls on fresh nodes
   * @see https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release#timeout-1
   */
  readonly timeout?: Duration;
  /**
   * Secrets and volumes the chart refers to by name. @default []
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The official Apache Airflow chart, version pinned, from its official repository. The values
 * are checked against the chart's own JSON schema before anything is synthesized, so a typo fails
 * here with its path rather than at `helm upgrade` time on a live cluster.
 */
export class AirflowRelease extends Construct {
  readonly releaseName = AIRFLOW_RELEASE_NAME;
  /** The Helm release, for what must wait for the chart's objects. */
  readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AirflowReleaseProps) {
    super(scope, id);
    const problems = chartValueProblems(props.environment, this.node.path, props.values);
    if (problems.length > 0) throw new ConfigError(problems);
    this.release = new Release(this, "release", {
      name: AIRFLOW_RELEASE_NAME,
      namespace: props.namespace,
      repository: AIRFLOW_CHART.repository,
      chart: AIRFLOW_CHART.chart,
      version: AIRFLOW_CHART.version,
      values: [stringify(props.values, { lineWidth: 0 })],
      wait: props.wait ?? true,
      // Never wait for Jobs: the migration Job deletes itself when it finishes
      // (ttlSecondsAfterFinished: 0, see airflow-values.ts), and Helm's wait looks every Job up
      // and fails on one that is gone. The Deployments' wait covers the migration.
      waitForJobs: false,
      timeout: props.timeout?.toSeconds() ?? 900,
      atomic: false,
      cleanupOnFail: true,
      maxHistory: 10,
      dependsOn: [...(props.dependsOn ?? [])],
    });
  }
}
