import type { EnvironmentConfig } from "../config";

// Names that more than one stack must agree on: the infrastructure stack creates the resources,
// the observability stack's monitors find them by name in Datadog's AWS integration tags.

export function metadataDatabaseIdentifier(config: EnvironmentConfig): string {
  return `${config.resourcePrefix}-metadata`;
}

export function logFileSystemName(config: EnvironmentConfig): string {
  return `${config.resourcePrefix}-task-logs`;
}
