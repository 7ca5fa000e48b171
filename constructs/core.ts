// The only module that imports the cdktf core. Everything else imports from here, so a move to
// the community fork (CDK Terrain) is a change to this file and to the provider package scopes.
export {
  App,
  DataResource,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  Fn,
  LocalBackend,
  S3Backend,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
} from "cdktf";
export type { AppConfig, ITerraformDependable, Precondition, S3BackendConfig, TerraformResource, TerraformResourceLifecycle } from "cdktf";
export { Construct } from "constructs";
