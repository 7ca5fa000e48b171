import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { after, before, describe, it } from "node:test";
import { airflowDatagrams, SAMPLE_VALUES } from "../../constructs/datadog/airflow-metric-trace";
import { datadogAgentValues } from "../../constructs/datadog/datadog-agent-release";
import { agentReceive, type DatadogSeries } from "../../constructs/datadog/dogstatsd-agent";
import type { MapperProfile } from "../../constructs/datadog/mapper-profiles";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { airflowTraceOptionsFor, mapperProfilesFor } from "../../configuration/derived/metric-catalog";
import { monitorSpecsFor } from "../../configuration/derived/monitors";
import { shippedWith } from "../support/environments";

// Airflow's datagrams, byte for byte as its client writes them for the environment's [metrics]
// section, sent over UDP to a loopback socket standing in for the node agent's DogStatsD port;
// what arrives goes through the agent's pipeline as the agent's chart values configure it
// (mapper profiles from DD_DOGSTATSD_MAPPER_PROFILES, DD_DOGSTATSD_TAGS), and every Airflow
// monitor's query must find its metric with the tags it filters and groups by.

interface AgentStandIn {
  readonly socket: Socket;
  readonly port: number;
  readonly received: string[];
}

function listen(): Promise<AgentStandIn> {
  const socket = createSocket("udp4");
  const received: string[] = [];
  socket.on("message", (message) => received.push(message.toString("utf8")));
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve({ socket, port: socket.address().port, received })));
}

async function sendAll(datagrams: readonly string[], agent: AgentStandIn): Promise<void> {
  const client = createSocket("udp4");
  for (const datagram of datagrams) {
    await new Promise<void>((resolve, reject) => client.send(Buffer.from(datagram, "utf8"), agent.port, "127.0.0.1", (error) => (error ? reject(error) : resolve())));
  }
  client.close();
  const deadline = Date.now() + 5000;
  while (agent.received.length < datagrams.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The agent's DogStatsD settings as its Helm values carry them for the environment. */
function agentSettings(env: EnvironmentConfig): { mapperProfiles: MapperProfile[]; dogstatsdTags: string[] } {
  const values = datadogAgentValues({
    environment: env.name,
    clusterName: env.clusterName,
    site: env.observability.datadogSite,
    apiKeySecretName: env.observability.apiKeySecretName,
    mapperProfiles: mapperProfilesFor(env),
  }) as { datadog: { env: { name: string; value: string }[]; dogstatsd: { tags: string[] } } };
  const profiles = values.datadog.env.find((e) => e.name === "DD_DOGSTATSD_MAPPER_PROFILES");
  assert.ok(profiles, "DD_DOGSTATSD_MAPPER_PROFILES in the agent's values");
  return { mapperProfiles: JSON.parse(profiles.value) as MapperProfile[], dogstatsdTags: values.datadog.dogstatsd.tags };
}

/** Every datagram Airflow sends for the traced calls, once per critical DAG. */
function datagramsOf(env: EnvironmentConfig): string[] {
  const options = airflowTraceOptionsFor(env);
  return env.observability.criticalDags.flatMap((dag) =>
    airflowDatagrams({ ...options, sample: { ...SAMPLE_VALUES, dag_id: dag.dagId } }).flatMap((d) => (d.datagram ? [d.datagram] : [])),
  );
}

/** Problems of each Airflow monitor term against what the stand-in agent stored. */
function unmatchedTerms(env: EnvironmentConfig, stored: readonly DatadogSeries[]): string[] {
  return monitorSpecsFor(env).flatMap((spec) => {
    const parsed = parseMonitorQuery(spec.query);
    assert.ok(isParsed(parsed), spec.key);
    return parsed.terms
      .filter((term) => term.metric.startsWith("airflow."))
      .flatMap((term) => {
        const named = stored.filter((s) => s.name === term.metric);
        if (named.length === 0) return [`${spec.key}: no ${term.metric} arrived`];
        const matches = named.filter((s) => term.scope.every((filter) => s.tags.includes(filter)) && term.groupBy.every((key) => s.tags.some((t) => t.startsWith(`${key}:`))));
        return matches.length > 0 ? [] : [`${spec.key}: ${term.metric} arrived without ${[...term.scope, ...term.groupBy].join(",")}: ${JSON.stringify(named[0].tags)}`];
      });
  });
}

describe("Airflow's DogStatsD datagrams over UDP to a stand-in agent", () => {
  const environments = loadEnvironments(undefined);
  let agent: AgentStandIn;

  before(async () => {
    agent = await listen();
  });
  after(() => agent.socket.close());

  for (const env of environments) {
    it(`${env.name}: every Airflow monitor finds its metric, filters and groups in what arrives`, async () => {
      agent.received.length = 0;
      const datagrams = datagramsOf(env);
      await sendAll(datagrams, agent);
      assert.equal(agent.received.length, datagrams.length, "every datagram arrived");
      const settings = agentSettings(env);
      const stored = agent.received.flatMap((datagram) => agentReceive(datagram, settings));
      assert.deepEqual(unmatchedTerms(env, stored), []);
      assert.ok(!stored.some((s) => s.name.startsWith("airflow.ti.finish")), "3.1.7 sends no ti.finish");
      assert.ok(!stored.some((s) => s.name.startsWith("airflow.ti.running.")), "the legacy ti.running.<queue>.<dag>.<task> is blocked");
    });
  }

  it("sends ti_failures as datadogpy writes it, with Airflow's tags, and the agent adds env and service", async () => {
    const [prod] = loadEnvironments("prod");
    const datagram = datagramsOf(prod).find((d) => d.startsWith("airflow.ti_failures:"));
    assert.equal(datagram, "airflow.ti_failures:1|c|#dag_id:high_priorities,task_id:load_orders\n");
    agent.received.length = 0;
    await sendAll([`${datagram?.trimEnd()}|c:3f2b9c0e1d\n`], agent);
    const [series] = agentReceive(agent.received[0], agentSettings(prod));
    assert.deepEqual(series, { name: "airflow.ti_failures", type: "c", tags: ["dag_id:high_priorities", "task_id:load_orders", "env:prod", "service:airflow"] });
  });

  it("turns a timing into the histogram aggregates the monitors query, with '-' made '_' by the intake", async () => {
    const [dev] = loadEnvironments("dev");
    const datagram = datagramsOf(dev).find((d) => d.startsWith("airflow.dagrun.dependency-check:"));
    assert.equal(datagram, "airflow.dagrun.dependency-check:28800000.0|ms|#dag_id:high_priorities,run_type:scheduled\n");
    const names = agentReceive(datagram ?? "", agentSettings(dev)).map((s) => s.name);
    assert.deepEqual(names, ["max", "median", "avg", "count", "95percentile"].map((s) => `airflow.dagrun.dependency_check.${s}`));
  });

  it("with plain StatsD, ti_failures arrives without dag_id and task_id, and the monitors stop asking for them", async () => {
    const [dev] = loadEnvironments("dev", { dev: shippedWith("dev", { observability: { statsdClient: "statsd" } }) });
    const datagrams = datagramsOf(dev);
    assert.ok(datagrams.includes("airflow.ti_failures:1|c"), "pystatsd's form: no tags, no newline");
    assert.ok(datagrams.includes("airflow.dagrun.duration.failed.high_priorities:28800000.000000|ms"));
    agent.received.length = 0;
    await sendAll(datagrams, agent);
    const stored = agent.received.flatMap((datagram) => agentReceive(datagram, agentSettings(dev)));
    const failures = stored.find((s) => s.name === "airflow.ti_failures");
    assert.deepEqual(failures?.tags, ["env:dev", "service:airflow"]);
    // The legacy dotted names come back through Datadog's mapper with dag_id.
    assert.ok(stored.some((s) => s.name === "airflow.dagrun.duration.failed.count" && s.tags.includes("dag_id:high_priorities")));
    assert.deepEqual(unmatchedTerms(dev, stored), []);
  });
});
