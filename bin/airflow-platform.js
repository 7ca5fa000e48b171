#!/usr/bin/env node
// The package's command: synth, policy, capacity and promote-check on a project's own
// environments module. `airflow-platform --help` says how.
"use strict";
require("../dist/cli/main").main();
