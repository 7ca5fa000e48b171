import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp";

// Python's name resolution, pointed for given host:port pairs at loopback ports: the login tests'
// stand-in for DNS, which they cannot change, as Chromium's --host-resolver-rules is the browser's.
// FAB fetches Microsoft's signing keys from a fixed address (login.microsoftonline.com), so the
// test identity provider must be reachable under that name. Everything else resolves as usual.

const SITECUSTOMIZE = `# Written by the login tests (test/support/python-host-map.ts): resolves the host:port pairs in
# AIRFLOW_PLATFORM_TEST_HOST_MAP ("host:port=127.0.0.1:port,...") to loopback, and nothing else.
import os
import socket

_MAP = {}
for _entry in filter(None, os.environ.get("AIRFLOW_PLATFORM_TEST_HOST_MAP", "").split(",")):
    _source, _target = _entry.split("=")
    _host, _port = _source.rsplit(":", 1)
    _target_host, _target_port = _target.rsplit(":", 1)
    _MAP[(_host, int(_port))] = (_target_host, int(_target_port))

_getaddrinfo = socket.getaddrinfo


def _mapped_getaddrinfo(host, port, *args, **kwargs):
    target = _MAP.get((host, int(port) if port is not None else None))
    if target is not None:
        return _getaddrinfo(target[0], target[1], *args, **kwargs)
    return _getaddrinfo(host, port, *args, **kwargs)


if _MAP:
    socket.getaddrinfo = _mapped_getaddrinfo
`;

/** A folder for PYTHONPATH and the variable that maps `host:443` pairs to loopback ports. */
export function pythonHostMap(map: Readonly<Record<string, number>>): { readonly path: string; readonly env: Readonly<Record<string, string>> } {
  const path = tempDir("python-host-map");
  writeFileSync(join(path, "sitecustomize.py"), SITECUSTOMIZE);
  const value = Object.entries(map).map(([source, port]) => `${source}=127.0.0.1:${port}`).join(",");
  return { path, env: { AIRFLOW_PLATFORM_TEST_HOST_MAP: value } };
}
