import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";

// Every action the pipeline uses is pinned by full commit SHA (a tag can be moved; a commit
// cannot), with its release tag beside it for the reader. The pins are data
// (data/github-actions/pinned-actions.json, with each pinned commit's input names), so an update
// is a data change and the generated workflow follows it.

interface PinnedAction {
  readonly commit: string;
  readonly tag: string;
}

let pins: Readonly<Record<string, PinnedAction>> | undefined;

function pinnedActions(): Readonly<Record<string, PinnedAction>> {
  pins ??= JSON.parse(readFileSync(dataFile("github-actions", "pinned-actions.json"), "utf8")) as Record<string, PinnedAction>;
  return pins;
}

/** `- uses: <action>@<commit> # <tag>`, as a step's first line; an action without a pin is a bug here. */
export function usesPinned(action: string): string {
  const pin = pinnedActions()[action];
  if (pin === undefined) throw new Error(`${action} has no pin in data/github-actions/pinned-actions.json: add its commit, tag and inputs there`);
  return `      - uses: ${action}@${pin.commit} # ${pin.tag}\n`;
}
