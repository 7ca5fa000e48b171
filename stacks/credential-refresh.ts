import { PLATFORM_IDS, platformStackName, stackPath } from "../environments/derived/construct-paths";

// After RDS rotates the metadata database's master password, only two things in the cluster
// must change: PgBouncer's auth file (under the metadata connection) and the annotation that rolls
// PgBouncer. A scheduled refresh applies those and nothing else, so it never deploys what main
// holds but a reviewer has not yet let through.

interface SynthesizedResource {
  readonly "//"?: { readonly metadata?: { readonly path?: string } };
}

interface SynthesizedStack {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, SynthesizedResource>>>>;
}

/** Construct paths under which the resources carrying the master password live. */
export function credentialConstructPaths(environment: string): readonly string[] {
  const stack = stackPath(environment, platformStackName(environment));
  return [`${stack}/${PLATFORM_IDS.metadataConnection}/`, `${stack}/${PLATFORM_IDS.pgbouncerRollout}/`];
}

/**
 * Terraform addresses (`type.name`) of those resources in the synthesized platform stack, for
 * `terraform apply -target`. Fails when either construct is missing, rather than applying less.
 */
export function credentialRefreshTargets(environment: string, stack: SynthesizedStack): readonly string[] {
  const prefixes = credentialConstructPaths(environment);
  const matched = Object.entries(stack.resource ?? {}).flatMap(([type, resources]) =>
    Object.entries(resources).flatMap(([name, resource]) => {
      const path = resource["//"]?.metadata?.path ?? "";
      return prefixes.some((prefix) => path.startsWith(prefix)) ? [{ address: `${type}.${name}`, path }] : [];
    }),
  );
  for (const prefix of prefixes) {
    if (!matched.some((m) => m.path.startsWith(prefix))) {
      throw new Error(`${platformStackName(environment)}: no resource under ${prefix}; is this the synthesized platform stack?`);
    }
  }
  return matched.map((m) => m.address).sort();
}
