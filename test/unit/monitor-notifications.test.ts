import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseMonitors } from "../../constructs/datadog/database-monitors";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { checkMonitorSpec, type MonitorSpec } from "../../constructs/datadog/monitor-spec";
import { pipelineMonitors } from "../../constructs/datadog/pipeline-monitors";
import { missingDataSettings } from "../../constructs/datadog/platform-monitors";
import { monitorMessage, slackMention, type SlackRouting } from "../../constructs/datadog/slack-routing";
import { buildMetricCatalog } from "../../constructs/datadog/metric-catalog";
import { captureContext, capturedLines, capturedPoints } from "../support/captured-series";
import { evaluateMonitor } from "../support/monitor-evaluation";

// What a monitor sends to Slack and when: the text of each state, channel mentions as Slack reads
// them, recoveries of monitors that count events, and a delay for metrics that arrive late.
// A context and a routing of the tests' own (test/support/captured-series.ts).

const routing = (pageHandle?: string): SlackRouting => ({
  environment: "capture",
  account: "acme",
  channels: { critical: "airflow-critical", warning: "airflow-warnings" },
  pageHandle,
  team: "data",
});
const monitors = pipelineMonitors(captureContext());
const byKey = (key: string, specs: readonly MonitorSpec[] = monitors) => {
  const spec = specs.find((m) => m.key === key);
  assert.ok(spec, key);
  return spec;
};
const section = (message: string, state: string) => new RegExp(`\\{\\{#${state}\\}\\}([\\s\\S]*?)\\{\\{/${state}\\}\\}`).exec(message)?.[1];

describe("Slack mentions", () => {
  it("page a channel with Slack's own <!here> and <!channel>, never a raw @here", () => {
    const alert = section(monitorMessage(byKey("scheduler-heartbeat"), routing("@here")), "is_alert") ?? "";
    assert.match(alert, /@slack-acme-airflow-critical <!here>\n/);
    assert.doesNotMatch(alert, /\s@here\b/);
    assert.match(monitorMessage(byKey("scheduler-heartbeat"), routing("@channel")), /@slack-acme-airflow-critical <!channel>/);
  });

  it("leave Datadog's own handles as they are", () => {
    assert.equal(slackMention("@pagerduty-airflow"), "@pagerduty-airflow");
    assert.match(monitorMessage(byKey("scheduler-heartbeat"), routing("@pagerduty-airflow")), /@slack-acme-airflow-critical @pagerduty-airflow\n/);
  });

  it("page on a critical alert only, not on a warning or a recovery", () => {
    const message = monitorMessage(byKey("scheduler-heartbeat"), routing("@here"));
    assert.doesNotMatch(section(message, "is_recovery") ?? "", /<!here>/);
    assert.doesNotMatch(monitorMessage(byKey("pool-starvation"), routing("@here")), /<!here>/);
  });
});

describe("monitors that count events (a failed try, a failed run, a failed heartbeat)", () => {
  const eventLike = monitors.filter((m) => m.eventLike).map((m) => m.key).sort();

  it("are the failure counts", () => {
    assert.deepEqual(eventLike, ["dag-failed-capture_exception", "dag-failed-capture_long_task", "dag-failed-capture_paused", "dag-failed-capture_sigkill", "dag-failed-capture_success", "dag-runs-failed", "job-heartbeat-failures", "task-failures"]);
  });

  it("evaluate an empty window as 0, so they resolve and their recovery is sent, instead of going to NO DATA", () => {
    for (const key of eventLike) {
      const spec = byKey(key);
      const parsed = parseMonitorQuery(spec.query);
      assert.ok(isParsed(parsed));
      assert.deepEqual(missingDataSettings(spec, parsed.windowMinutes), { notifyNoData: undefined, onMissingData: "default", noDataTimeframe: undefined, evaluationDelay: undefined }, key);
      for (const term of parsed.terms) assert.equal(term.modifier, "as_count", `${key}: Datadog treats only a count's empty window as 0`);
    }
  });

  it("have a recovery text and no no-data text", () => {
    for (const key of eventLike) {
      const message = monitorMessage(byKey(key), routing("@here"));
      assert.match(section(message, "is_recovery") ?? "", /Recovered: .+nothing new in the last window/, key);
      assert.equal(section(message, "is_no_data"), undefined, key);
    }
  });

  it("are refused when they do not count", () => {
    const spec = { ...byKey("task-failures"), query: byKey("task-failures").query.replaceAll(".as_count()", "") };
    const problems = checkMonitorSpec(spec, buildMetricCatalogForCapture());
    assert.ok(problems.some((p) => /an event-like monitor counts/.test(p)), JSON.stringify(problems));
  });

  it("a critical DAG's failure count is 0, not missing, once its failure has left the window", () => {
    const lines = capturedLines();
    const failedAt = Math.max(...lines.filter((l) => /^airflow\.dagrun\.duration\.failed:.*dag_id:capture_exception/.test(l.line)).map((l) => l.atMs));
    const after = { fromMs: failedAt + 1000, toMs: Math.max(...lines.map((l) => l.atMs)) };
    const evaluation = evaluateMonitor(byKey("dag-failed-capture_exception").query, capturedPoints(lines), after);
    assert.deepEqual([...evaluation.values], [["*", 0]]);
  });
});

describe("monitors whose silence means something else", () => {
  it("keep the no-data alarm and the page for a heartbeat that stops", () => {
    const spec = byKey("scheduler-heartbeat");
    assert.deepEqual(missingDataSettings(spec, 5), { notifyNoData: true, onMissingData: undefined, noDataTimeframe: 10, evaluationDelay: undefined });
    assert.match(section(monitorMessage(spec, routing("@here")), "is_no_data") ?? "", /means trouble[\s\S]*<!here>/);
  });

  it("say nothing alarming and page nobody when a gauge merely stops", () => {
    const noData = section(monitorMessage(byKey("pool-starvation"), routing("@here")), "is_no_data") ?? "";
    assert.doesNotMatch(noData, /means trouble|<!here>/);
  });
});

describe("monitors of AWS metrics", () => {
  const database = databaseMonitors(captureContext());

  it("wait at least 900 s for the crawler before evaluating, and the others do not wait", () => {
    for (const spec of database) {
      const delay = missingDataSettings(spec, 15).evaluationDelay;
      if (spec.query.includes(":aws.")) assert.ok(delay !== undefined && delay >= 900, `${spec.key}: ${String(delay)}`);
      else assert.equal(delay, undefined, spec.key);
    }
    assert.ok(database.filter((m) => m.query.includes(":aws.")).length >= 4);
  });
});

function buildMetricCatalogForCapture() {
  return buildMetricCatalog({ airflowVersion: "3.1.8", metricsConfig: {}, mapperProfiles: [], dogstatsdTags: [], globalTags: [], nodeLabelTags: [], awsResourceTagKeys: [], declared: [] });
}
