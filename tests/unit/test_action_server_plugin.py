"""rasa_sdk_plugins: rasa-sdk finds it (a failed import would silently drop the authentication),
and the shared secret is checked strictly."""

from rasa_sdk.plugin import plugin_manager

from rasa_sdk_plugins import ActionServerExtensions, token_accepted


def test_rasa_sdk_loads_the_extensions():
    assert any(isinstance(p, ActionServerExtensions) for p in plugin_manager().get_plugins())


def test_only_the_exact_secret_is_accepted():
    assert token_accepted("s3cret-value", "s3cret-value")
    assert not token_accepted("s3cret-valuE", "s3cret-value")
    assert not token_accepted("", "s3cret-value")
    assert not token_accepted(None, "s3cret-value")
    assert not token_accepted("", "")  # no secret configured: nobody gets in
