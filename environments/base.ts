import type { EnvironmentOverrides } from "./merge";

/**
 * What every environment shares unless it says otherwise. Versions live here so that staging and
 * prod run what dev ran; sizes, counts and names are what environment files override.
 */
export const baseEnvironment: EnvironmentOverrides = {
  account: { region: "eu-west-1" },
  cluster: {
    version: "1.35",
    publicEndpointCidrs: [],
    serviceIpv4Cidr: "172.20.0.0/16",
    controlPlaneLogRetentionDays: 90,
  },
  network: { flowLogRetentionDays: 90 },
  nodeGroups: {
    system: { instanceTypes: ["m6i.xlarge"], capacityType: "ON_DEMAND", diskSizeGiB: 50 },
    // Tasks run for up to 8 hours: spot reclaims would kill them mid-run, so on-demand.
    tasks: { instanceTypes: ["m6i.2xlarge"], capacityType: "ON_DEMAND", diskSizeGiB: 100 },
  },
  database: {
    engineVersion: "17.9",
    performanceInsightsRetentionDays: 7,
    backupWindow: "01:00-02:00",
    maintenanceWindow: "sun:10:00-sun:11:00",
  },
  logStorage: { transitionToInfrequentAccessDays: 30 },
  taskImages: { repositories: ["airflow-tasks"], keepTaggedImages: 50, expireUntaggedAfterDays: 14 },
  tags: { project: "airflow-platform", "managed-by": "cdktf" },
};
