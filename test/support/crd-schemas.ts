import Ajv from "ajv";
import type { Manifest } from "./helm";

// kubernetes-validate knows only Kubernetes' own kinds: a custom resource (the Load Balancer
// Controller's IngressClassParams) gets a warning, not a check. The release renders the CRD that
// defines it, so the object is checked against that CRD's schema, as the API server would.

interface CrdVersion {
  readonly name: string;
  readonly served?: boolean;
  readonly schema?: { readonly openAPIV3Schema?: Record<string, unknown> };
}

interface Crd {
  readonly spec: { readonly group: string; readonly names: { readonly kind: string }; readonly versions: readonly CrdVersion[] };
}

/** `group/version` and kind of an object, as a CRD names them. */
const typeOf = (object: Manifest) => ({ apiVersion: String(object.apiVersion), kind: object.kind });

/** Every served version of every CRD among the objects, by `apiVersion kind`. */
export function crdSchemas(objects: readonly Manifest[]): Map<string, Record<string, unknown>> {
  const schemas = new Map<string, Record<string, unknown>>();
  for (const crd of objects.filter((o) => o.kind === "CustomResourceDefinition") as unknown as Crd[]) {
    for (const version of crd.spec.versions.filter((v) => v.served !== false)) {
      schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema?.openAPIV3Schema ?? {});
    }
  }
  return schemas;
}

/**
 * The problems of each custom resource against its CRD's schema (`x-kubernetes-*` keywords are
 * the API server's own and not JSON Schema's, so ajv ignores unknown keywords; formats such as
 * int32 are not checked); an object whose kind no rendered CRD defines is a problem too.
 */
export function customResourceProblems(objects: readonly Manifest[], kinds: readonly { apiVersion: string; kind: string }[]): string[] {
  const schemas = crdSchemas(objects);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const problems: string[] = [];
  for (const { apiVersion, kind } of kinds) {
    const schema = schemas.get(`${apiVersion} ${kind}`);
    if (!schema) {
      problems.push(`${apiVersion} ${kind}: no schema from Kubernetes or from a rendered CRD`);
      continue;
    }
    const validate = ajv.compile(schema);
    for (const object of objects.filter((o) => typeOf(o).apiVersion === apiVersion && o.kind === kind)) {
      const name = object.metadata.name;
      if (!validate(object)) problems.push(`${kind}/${name}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  return problems;
}
