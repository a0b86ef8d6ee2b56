"""The page_config_hook that hides nbgrader's grading menus where no formgrader runs."""

from __future__ import annotations

from ungp_hub.exchange.client.grading_menus import GRADING_PLUGINS, disabling_hook


def test_adds_the_grading_plugins_once_after_an_earlier_hook():
    def earlier(handler, page_config):  # noqa: ANN001
        return {**page_config, "seen": handler}

    hook = disabling_hook(GRADING_PLUGINS, earlier)
    config = hook("h", {"disabledExtensions": ["a", "@jupyter/nbgrader:formgrader"]})
    assert config["seen"] == "h"
    assert config["disabledExtensions"] == ["a", *GRADING_PLUGINS]
    assert "@jupyter/nbgrader:assignment-list" not in config["disabledExtensions"]
    assert disabling_hook(GRADING_PLUGINS, None)(None, {})["disabledExtensions"] == list(
        GRADING_PLUGINS
    )
