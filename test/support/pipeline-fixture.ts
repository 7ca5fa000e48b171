import { validateEnvironments } from "../../configuration/validation/validate";
import { shippedWith } from "./environments";

// Fixture environments of the tests' own for the pipeline and key-policy plans: a prod and a dev
// in one account, with their own repository, members and plan roles. The plan tests share them so
// the offline plans are made once (test/support/plan-cache.ts).

export const ACCOUNT = "333333333333";
export const MEMBERS = [4242, 777001];
export const OUTSIDER = 9_000_001;
const prodInput = shippedWith("prod", {
  ci: { repository: "fixture-org/fixture-platform", runnerActorIds: MEMBERS, planRoleArn: `arn:aws:iam::${ACCOUNT}:role/fixture-prod-plan` },
});
const devInput = shippedWith("dev", {
  account: { id: ACCOUNT },
  ci: {
    repository: "fixture-org/fixture-platform",
    runnerActorIds: [4242],
    planRoleArn: `arn:aws:iam::${ACCOUNT}:role/fixture-dev-plan`,
    connectionArn: `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/00000000-0000-0000-0000-000000000000`,
  },
});
export const [dev, prod] = validateEnvironments([devInput, prodInput]);

