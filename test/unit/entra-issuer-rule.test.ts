import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loginEnvironment } from "../login/login-environment";

// FAB verifies an Entra ID id token against the tenant it finds in its configuration: an entra-id
// issuer that names no tenant would pass validation and then refuse every login.

describe("an entra-id issuer", () => {
  it("is the tenant's v2.0 issuer on a Microsoft sign-in host", () => {
    const config = loginEnvironment({ provider: "entra-id", issuerUrl: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", clientId: "airflow" });
    assert.equal(config.airflow.auth.sso?.provider, "entra-id");
  });

  for (const issuerUrl of ["https://example.okta.com/oauth2/default", "https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47"]) {
    it(`is rejected, naming the field and the form wanted: ${issuerUrl}`, () => {
      assert.throws(() => loginEnvironment({ provider: "entra-id", issuerUrl, clientId: "airflow" }), (error: Error) => {
        assert.match(error.message, /airflow\.auth\.sso\.issuerUrl|"issuerUrl"/);
        assert.match(error.message, /login\.microsoftonline\.com\/<tenant id>\/v2\.0/);
        return true;
      });
    });
  }

  it("of an oidc provider may be any https issuer", () => {
    assert.equal(loginEnvironment({ provider: "oidc", issuerUrl: "https://example.okta.com/oauth2/default", clientId: "airflow" }).airflow.auth.sso?.issuerUrl, "https://example.okta.com/oauth2/default");
  });
});
