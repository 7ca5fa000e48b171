import { airflowImageFor } from "../../configuration/derived/airflow-image";
import { validateEnvironments } from "../../configuration/validation/validate";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

/** What `airflow-image` prints of an environment's Airflow image, one thing per call, for scripts. */
const WHAT = ["dockerfile", "tag", "repository", "reference", "source"] as const;
type What = (typeof WHAT)[number];

function isWhat(value: string | undefined): value is What {
  return (WHAT as readonly (string | undefined)[]).includes(value);
}

/**
 * `airflow-image <dockerfile|tag|repository|reference|source> <env>`: the environment's Airflow
 * image as its chart values name it, and the Dockerfile the pipeline builds it from, so the
 * workflow restates nothing the code says. `source` is `platform` (the pipeline builds it) or
 * `prebuilt` (a team's own: there is no Dockerfile, and `dockerfile` exits 1 saying so).
 */
export function airflowImageCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const [what, name] = argv;
  if (!isWhat(what) || !name || argv.length > 2) {
    io.stderr(`usage: airflow-image <${WHAT.join("|")}> <env>   e.g. tag dev\n`);
    return 2;
  }
  const [config] = validateEnvironments(selectFrom(environments, name, "environment selection"));
  const image = airflowImageFor(config);
  const printed: Record<What, string | undefined> = {
    dockerfile: image.dockerfile,
    tag: `${image.tag}\n`,
    repository: `${image.repository}\n`,
    reference: `${image.repository}:${image.tag}\n`,
    source: `${config.airflow.image.source}\n`,
  };
  const text = printed[what];
  if (text === undefined) {
    io.stderr(`${name} runs a prebuilt Airflow image (${image.repository}:${image.tag}, airflow.image): the platform builds none, so there is no Dockerfile\n`);
    return 1;
  }
  io.stdout(text);
  return 0;
}
