"""How the installed FAB provider turns an identity provider's answer into a user, for `provider: "oidc"`.

apache/airflow#50921 gave FabAirflowSecurityManagerOverride.get_oauth_user_info a generic branch:
a provider FAB has no special case for is asked for its OIDC userinfo (authlib's
`userinfo()`, from the discovery document's userinfo_endpoint). Without it, "oidc" gets `{}` and
the login fails. This calls the installed method itself with a stand-in remote app.
"""

from importlib.metadata import version


class _Remote:
    """An authlib OAuth client as FAB holds it, answering userinfo() with fixed claims."""

    def __init__(self, claims):
        self.claims = claims
        self.userinfo_calls = 0

    def userinfo(self, **_kwargs):
        self.userinfo_calls += 1
        return self.claims

    def get(self, *_args, **_kwargs):
        raise AssertionError("the generic OIDC path must use userinfo(), not a provider-specific URL")


class _SecurityManager:
    def __init__(self, remotes):
        self.oauth_remotes = remotes
        self.appbuilder = self


def fab_oidc_user_info(provider, claims):
    from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride

    remote = _Remote(claims)
    manager = _SecurityManager({provider: remote})
    manager.sm = manager
    user = FabAirflowSecurityManagerOverride.get_oauth_user_info(manager, provider, {"access_token": "t", "id_token": "i"})
    return {"fabVersion": version("apache-airflow-providers-fab"), "user": user, "userinfoCalls": remote.userinfo_calls}
