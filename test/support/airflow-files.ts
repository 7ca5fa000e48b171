import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { dataFile } from "../../constructs/data-files";
import type { EnvironmentConfig } from "../../environments";
import { airflowValuesFor } from "../../environments/derived/airflow-values";
import { chartCopy, helmTemplate, type Manifest } from "./helm";
import { tempDir } from "./temp";

// The files Airflow itself reads, as the real Helm (3.17.2) renders them from the pinned chart
// and an environment's chart values: what the scheduler, API server and task pods mount. Shared
// by the Airflow config, login and alert tests; copy it byte for byte, don't edit a copy.

/** The files the chart renders for Airflow to read, and every object of that render. */
export interface AirflowFiles {
  /** `airflow.cfg` from the `<release>-config` ConfigMap. */
  readonly airflowCfg: string;
  /** `webserver_config.py` from the API server's config ConfigMap (FAB's Flask config). */
  readonly webserverConfig: string;
  /** `airflow_local_settings.py` from the config ConfigMap (the project's `pod_mutation_hook`). */
  readonly localSettings: string;
  /** `pod_template_file.yaml` from the config ConfigMap: the KubernetesExecutor's task pod template. */
  readonly podTemplate: string;
  /** Everything `helm template` rendered, for checks on other objects. */
  readonly manifests: readonly Manifest[];
}

/** Where {@link writeAirflowHome} put the files, and the environment that points Airflow at them. */
export interface AirflowHome {
  readonly home: string;
  readonly podTemplateFile: string;
  /** `AIRFLOW_HOME`, `AIRFLOW_CONFIG` and the pod template's path (airflow.cfg names the chart's mount path). */
  readonly env: Readonly<Record<string, string>>;
}

interface ConfigMap extends Manifest {
  readonly data?: Readonly<Record<string, string>>;
}

let chart: string | undefined;

/** The Airflow chart's files rendered by real Helm for a validated environment config. */
export function airflowFiles(config: EnvironmentConfig): AirflowFiles {
  chart ??= chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]);
  const manifests = helmTemplate(chart, AIRFLOW_RELEASE_NAME, config.airflow.namespace, airflowValuesFor(config));
  const file = (configMap: string, key: string): string => {
    const found = manifests.find((m): m is ConfigMap => m.kind === "ConfigMap" && m.metadata.name === configMap);
    const text = found?.data?.[key];
    if (text === undefined) throw new Error(`${config.name}: the Airflow chart rendered no ${key} in ConfigMap ${configMap}`);
    return text;
  };
  const configMap = `${AIRFLOW_RELEASE_NAME}-config`;
  return {
    airflowCfg: file(configMap, "airflow.cfg"),
    webserverConfig: file(`${AIRFLOW_RELEASE_NAME}-api-server-config`, "webserver_config.py"),
    localSettings: file(configMap, "airflow_local_settings.py"),
    podTemplate: file(configMap, "pod_template_file.yaml"),
    manifests,
  };
}

/**
 * The files laid out as Airflow finds them: `airflow.cfg` and `webserver_config.py` in
 * AIRFLOW_HOME, `airflow_local_settings.py` in `$AIRFLOW_HOME/config` (which Airflow puts on
 * sys.path), the pod template in `$AIRFLOW_HOME/pod_templates`. A new temporary directory unless
 * `dir` is given.
 */
export function writeAirflowHome(files: AirflowFiles, dir: string = tempDir("airflow-home")): AirflowHome {
  mkdirSync(join(dir, "config"), { recursive: true });
  mkdirSync(join(dir, "pod_templates"), { recursive: true });
  const podTemplateFile = join(dir, "pod_templates", "pod_template_file.yaml");
  writeFileSync(join(dir, "airflow.cfg"), files.airflowCfg);
  writeFileSync(join(dir, "webserver_config.py"), files.webserverConfig);
  writeFileSync(join(dir, "config", "airflow_local_settings.py"), files.localSettings);
  writeFileSync(podTemplateFile, files.podTemplate);
  return {
    home: dir,
    podTemplateFile,
    env: {
      AIRFLOW_HOME: dir,
      AIRFLOW_CONFIG: join(dir, "airflow.cfg"),
      AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE: podTemplateFile,
    },
  };
}
