import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rdsCaBundle } from "../../constructs/database/rds-ca";
import { entropy, findSecrets } from "../../lib/secret-scan";

describe("the secret scanner", () => {
  it("catches planted secrets: secret-named literals, known key formats, random strings", () => {
    const planted = {
      data: { password: "correct-horse" },
      env: [{ name: "X", value: "AKIAIOSFODNN7EXAMPLE" }],
      key: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
      note: "token Zx8Kq2Lm9Vb4Nc7Wd1Rt5Yp3Hs6Jf0Ga",
    };
    const paths = findSecrets(planted).map((f) => f.path);
    assert.deepEqual([...new Set(paths)].sort(), ["data.password", "env[0].value", "key", "note"]);
  });

  it("leaves alone what is not a secret: interpolations, names of Secrets, host keys, generated ids", () => {
    const clean = {
      data: { password: "${lookup(jsondecode(data.aws_secretsmanager_secret_version.x.secret_string), \"password\")}" },
      fernetKeySecretName: "airflow-fernet-key",
      apiKeyExistingSecret: "datadog-secret",
      knownHosts: "github.com ssh-ed25519\n  AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
      "//": { metadata: { uniqueId: "node-groups_node-role_AmazonSSMManagedInstanceCore_4F34214B" } },
      policy_arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      data_rds_ca: { "global-bundle.pem": rdsCaBundle("eu-west-1") },
    };
    assert.deepEqual(findSecrets(clean), []);
    // A certificate does not hide a secret written beside it.
    assert.equal(findSecrets({ note: `${rdsCaBundle("eu-west-1")}token Zx8Kq2Lm9Vb4Nc7Wd1Rt5Yp3Hs6Jf0Ga` }).length, 1);
  });

  it("measures entropy in bits per character", () => {
    assert.equal(entropy("aaaa"), 0);
    assert.equal(entropy("abcd"), 2);
  });
});
