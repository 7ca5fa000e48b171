// IAM policy documents as typed data. They are built by pure functions (so tests read them without
// synthesizing) and serialized with JSON.stringify: cdktf resolves the tokens embedded in the
// resulting string, including in keys such as an OIDC issuer's `<host>:sub` condition.

export type Principal =
  | { readonly AWS: string | readonly string[] }
  | { readonly Service: string | readonly string[] }
  | { readonly Federated: string };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function toPolicyJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/** The trust policy that lets one AWS service assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
  });
}

export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
