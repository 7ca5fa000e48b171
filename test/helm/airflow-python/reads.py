"""Everything the Airflow tests ask the real Airflow about one environment, in one process.

Usage: python reads.py SPEC.json; prints one JSON object on the last line of stdout. Airflow
itself loads the environment's files at import, from AIRFLOW_HOME / AIRFLOW_CONFIG (set by the
caller, test/support/airflow-reads.ts): importing it costs seconds, so every check of one
environment shares this process.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main():
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    from airflow.configuration import conf
    from config_reads import config_problems, local_settings_problems, webserver_config_problems

    template = conf.get("kubernetes_executor", "pod_template_file")
    result = {
        "config": config_problems(spec["cfg"]),
        "webserverConfig": webserver_config_problems(spec["webserverConfig"], spec.get("secretFiles", {})),
        "localSettings": local_settings_problems(spec["localSettings"]),
        # Without its template the executor warns and builds pods from nothing: make that visible.
        "podTemplate": {"path": template, "exists": Path(template).is_file()},
    }
    if spec.get("probeCfg"):
        result["probe"] = config_problems(spec["probeCfg"])
    if spec.get("podCases"):
        from task_pods import build_pods

        result["pods"] = build_pods(spec["podCases"])
    if spec.get("oidcClaims"):
        from fab_oidc import fab_oidc_user_info

        result["fabOidc"] = fab_oidc_user_info("oidc", spec["oidcClaims"])
    sys.stdout.write("\n" + json.dumps(result) + "\n")


main()
