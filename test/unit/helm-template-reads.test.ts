import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartFromSources, unreadLeaves } from "../support/helm-reads/chart-reads";

// The walk behind the dead-value checks, on templates small enough to read: what counts as read,
// and which branches are followed.

const unread = (templates: Record<string, string>, values: Record<string, unknown>, defaults: Record<string, unknown> = {}) =>
  unreadLeaves(chartFromSources(templates, defaults), values).map((p) => p.join("."));

describe("the template walk", () => {
  it("follows only the branch the values choose", () => {
    const t = { "templates/a.yaml": "{{- if .Values.a.enabled }}x: {{ .Values.a.x }}{{- else if .Values.b }}{{ .Values.c }}{{- end }}" };
    assert.deepEqual(unread(t, { a: { enabled: false, x: 1 }, b: false, c: 1 }), ["a.x", "c"]);
    assert.deepEqual(unread(t, { a: { enabled: true, x: 1 }, b: true, c: 1 }), ["b", "c"]);
    assert.deepEqual(unread(t, { a: { enabled: false, x: 1 }, b: true, c: 1 }), ["a.x"]);
  });

  it("counts a value printed whole by its parent block, and a field of a with block", () => {
    const t = { "templates/a.yaml": "r: {{ toYaml .Values.res | nindent 2 }}\n{{ with .Values.w }}p: {{ .port }}{{ end }}" };
    assert.deepEqual(unread(t, { res: { requests: { cpu: "1" } }, w: { port: 1, other: 2 } }), ["w.other"]);
  });

  it("counts what a helper reads only where its output is used", () => {
    const helpers = { "templates/_h.tpl": '{{- define "h" }}{{ .x }}{{ end }}' };
    assert.deepEqual(unread({ ...helpers, "templates/a.yaml": '{{ include "h" .Values.g }}' }, { g: { x: 1 } }), []);
    assert.deepEqual(unread({ ...helpers, "templates/a.yaml": '{{- $unused := include "h" .Values.g }}' }, { g: { x: 1 } }), ["g.x"]);
  });

  it("knows a helper's output when the values settle it", () => {
    const t = {
      "templates/_h.tpl": '{{- define "on" -}}\n{{- if .Values.on -}}\ntrue\n{{- else -}}\nfalse\n{{- end -}}\n{{- end -}}',
      "templates/a.yaml": '{{- if eq (include "on" .) "true" }}{{ .Values.b }}{{ end }}',
    };
    assert.deepEqual(unread(t, { on: false, b: 1 }), ["b"]);
    assert.deepEqual(unread(t, { on: true, b: 1 }), []);
  });

  it("walks a helper over a list of contexts, with break and a redeclared $", () => {
    const t = {
      "templates/_h.tpl":
        '{{- define "sc" }}{{- $ := last . }}{{- $r := dict }}{{- range . }}{{- if .sc }}{{- $r = .sc }}{{- break }}{{- end }}{{- end }}' +
        "{{- if $r }}{{ toYaml $r }}{{- else }}{{ $.uid }}{{- end }}{{- end }}",
      "templates/a.yaml": '{{ include "sc" (list .Values.comp .Values) }}',
    };
    assert.deepEqual(unread(t, { comp: { sc: {} }, sc: { user: 1 }, uid: 5 }), ["uid"]);
    assert.deepEqual(unread(t, { comp: { sc: {} }, uid: 5 }), []);
  });

  it("merges the chart's defaults under the values before deciding", () => {
    const t = { "templates/a.yaml": "{{- if .Values.feature.enabled }}{{ .Values.feature.size }}{{ end }}" };
    assert.deepEqual(unread(t, { feature: { size: 1 } }, { feature: { enabled: false } }), ["feature.size"]);
    assert.deepEqual(unread(t, { feature: { size: 1 } }, { feature: { enabled: true } }), []);
  });
});
