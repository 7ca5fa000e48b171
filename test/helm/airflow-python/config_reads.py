"""What Airflow itself makes of the rendered airflow.cfg, webserver_config.py and airflow_local_settings.py.

Run inside the Airflow venv by reads.py, in a process whose AIRFLOW_HOME holds the rendered files,
so `airflow.configuration.conf` and `airflow.settings` are what a scheduler started with them has.
"""

import ast
import configparser
import inspect
import warnings
from pathlib import Path


def _raw_options(cfg_path):
    """(section, option) pairs as written in the file, without Airflow's defaults."""
    raw = configparser.ConfigParser(interpolation=None, strict=False)
    raw.optionxform = str
    raw.read(cfg_path)
    return [(section, option) for section in raw.sections() for option in raw.options(section)]


def config_problems(cfg_path):
    """Every option of the file Airflow does not know, has deprecated, renamed or removed, and the warnings reading it raises."""
    from airflow.cli.commands.config_command import CONFIGS_CHANGES
    from airflow.configuration import conf
    from airflow.providers_manager import ProvidersManager

    # What `airflow config list` and every CLI command that reads config do first.
    ProvidersManager().initialize_providers_configuration()
    conf.load_providers_configuration()
    described = conf.configuration_description
    renamed = conf.inversed_deprecated_options
    changes = {(c.config.section, c.config.option): c for c in CONFIGS_CHANGES}
    options = _raw_options(cfg_path)
    unknown, deprecated, removed = [], [], []
    for section, option in options:
        name = f"[{section}] {option}"
        change = changes.get((section, option))
        gone = change is not None and (change.renamed_to is not None or (change.was_removed and not change.remove_if_equals))
        if gone:
            removed.append(f"{name}: {change.message}")
        if (section, option) in renamed:
            deprecated.append(f"{name}: read as [{renamed[(section, option)][0]}] {renamed[(section, option)][1]}")
        elif section in conf.inversed_deprecated_sections:
            deprecated.append(f"{name}: section renamed to [{conf.inversed_deprecated_sections[section]}]")
        description = described.get(section, {}).get("options", {}).get(option)
        if description is None:
            if not gone and (section, option) not in renamed:
                unknown.append(f"{name}: not an option of Airflow or its installed providers")
        elif description.get("version_deprecated"):
            deprecated.append(f"{name}: deprecated in {description['version_deprecated']}: {description.get('deprecation_reason', '').strip()}")
    # `airflow config list` reads every option through conf.get, which warns on deprecated ones.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for section, option in options:
            conf.get(section, option, fallback=None)
        conf.as_dict(display_source=True, display_sensitive=False)
    config_warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught if _from_config(w)})
    # Airflow 3's lint table also holds changed defaults: reported, not failures (the executor is a choice).
    default_changes = [change.message for (section, option), change in changes.items() if change.default_change and conf.has_option(section, option, lookup_from_deprecated=False) and change.message]
    return {
        "lint": _lint_issues(),
        "options": [f"[{s}] {o}" for s, o in options],
        "unknown": unknown,
        "deprecated": deprecated,
        "removed": removed,
        "warnings": config_warnings,
        "defaultChanges": default_changes,
    }


def _lint_issues():
    """`airflow config lint` itself, on the loaded airflow.cfg: the issues it prints."""
    import argparse
    import contextlib
    import io

    from airflow.cli.commands.config_command import lint_config

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lint_config(argparse.Namespace(section=None, option=None, ignore_section=None, ignore_option=None, verbose=False))
    text = out.getvalue()
    if "No issues found" in text:
        return []
    return [line.strip()[2:].strip() for line in text.splitlines() if line.strip().startswith("- ")]


def _from_config(warning):
    return "configuration" in str(warning.filename) or "config" in str(warning.message).lower()


def _assigned_names(tree):
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.If):
            names += _assigned_names(ast.Module(body=node.body + node.orelse, type_ignores=[]))
    return names


def _package_sources(packages):
    import importlib

    texts = []
    for package in packages:
        root = Path(inspect.getfile(importlib.import_module(package))).parent
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*.py")]
    return "\n".join(texts)


# Where the API server's Flask app reads webserver_config.py's names: Flask, FAB (the library and
# Airflow's provider), Flask-WTF, authlib (OAuth clients), Flask-Limiter and Flask-Session.
FLASK_READERS = ["flask", "flask_appbuilder", "airflow.providers.fab", "flask_wtf", "authlib", "flask_limiter", "flask_session"]


def _load_webserver_config(text, path, secret_files, environ):
    """Flask's from_pyfile: exec the file. Files it opens are looked up in secret_files first (the mounted Secret)."""
    import builtins
    import os

    def mounted_open(file, *args, **kwargs):
        return builtins.open(secret_files.get(str(file), file), *args, **kwargs)

    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            namespace = {"__file__": str(path), "open": mounted_open}
            exec(compile(text, str(path), "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return namespace, [f"{w.category.__name__}: {w.message}" for w in caught]


def webserver_config_problems(path, secret_files):
    """Upper-case settings of webserver_config.py that neither the file itself nor Flask/FAB reads, and what loading it gives."""
    from flask_appbuilder.const import AUTH_DB

    text = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    used_in_file = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    imported = {alias.asname or alias.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for alias in n.names}
    settings = [n for n in dict.fromkeys(_assigned_names(tree)) if n.isupper() and n not in imported]
    sources = _package_sources(FLASK_READERS)
    unread = [n for n in settings if n not in used_in_file and f'"{n}"' not in sources and f"'{n}'" not in sources]
    loaded, load_warnings = _load_webserver_config(text, path, secret_files, {})
    # The break-glass switch: password login whatever the identity provider does.
    glass, _ = _load_webserver_config(text, path, {}, {"AIRFLOW_PLATFORM_PASSWORD_LOGIN": "true"})
    providers = loaded.get("OAUTH_PROVIDERS", [])
    return {
        "settings": settings,
        "unread": unread,
        "authType": loaded.get("AUTH_TYPE"),
        "breakGlassAuthType": glass.get("AUTH_TYPE"),
        "authDb": AUTH_DB,
        "oauthProviders": [p.get("name") for p in providers],
        "clientSecretRead": [p.get("remote_app", {}).get("client_secret") for p in providers],
        "warnings": load_warnings,
    }


def local_settings_problems(expected_path):
    """Whether Airflow loaded the rendered airflow_local_settings.py at start-up, its policies, and names it clobbers in airflow.settings."""
    import airflow_local_settings
    from airflow import settings

    names = {n for n in airflow_local_settings.__dict__ if not n.startswith("__")}
    settings_source = ast.parse(Path(inspect.getfile(settings)).read_text(encoding="utf-8"))
    settings_names = set(_assigned_names(settings_source)) | {n.name for n in settings_source.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    policies = [name for name in ("pod_mutation_hook", "task_policy", "dag_policy", "task_instance_mutation_hook") if settings.POLICY_PLUGIN_MANAGER.hook.__dict__[name].get_hookimpls() and name in names]
    return {
        "loadedFrom": str(Path(airflow_local_settings.__file__).resolve()),
        "expected": str(Path(expected_path).resolve()),
        "policies": policies,
        "clobbers": sorted((names & settings_names) - set(policies)),
    }
