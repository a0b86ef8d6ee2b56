"""`ungp dashboards`: parameters, and errors as a message with exit code 1."""

import pytest
from click.testing import CliRunner
from ungp_hub.cli.dashboards import parse_parameters
from ungp_hub.cli.main import main
from ungp_hub.dashboards.client import DashboardsClient
from ungp_hub.dashboards.errors import DashboardError


def test_parameters_are_read_as_yaml_values():
    assert parse_parameters(("week=2024-W10", "ports=[NLRTM, BEANR]", "scale=2")) == {
        "week": "2024-W10",
        "ports": ["NLRTM", "BEANR"],
        "scale": 2,
    }
    with pytest.raises(DashboardError, match="NAME=VALUE"):
        parse_parameters(("week",))
    with pytest.raises(DashboardError):
        parse_parameters(("2bad=1",))


def test_without_a_service_the_message_says_where_to_run_it(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    result = CliRunner().invoke(
        main,
        ["dashboards", "publish", str(notebook), "--to", "all"],
        env={"UNGP_DASHBOARDS_URL": "", "JUPYTERHUB_API_TOKEN": "", "UNGP_TOKEN": ""},
    )
    assert result.exit_code == 1
    assert "terminal of your JupyterLab" in result.output


def test_the_services_refusal_is_shown(tmp_path, monkeypatch):
    notebook = tmp_path / "ports.ipynb"
    notebook.write_text("{}")
    sent = {}

    def refuse(self, method, path, **kwargs):
        sent.update(method=method, path=path, body=kwargs.get("json"))
        raise DashboardError("the notebook raised an error:\nKeyError: 'week'")

    monkeypatch.setattr(DashboardsClient, "_call", refuse)
    result = CliRunner().invoke(
        main,
        [
            "dashboards",
            "publish",
            str(notebook),
            "--to",
            "ports",
            "-p",
            "week=3",
            "--url",
            "http://hub/services/dashboards/",
            "--token",
            "t",
        ],
    )
    assert result.exit_code == 1
    assert "KeyError: 'week'" in result.output
    assert sent["body"]["parameters"] == {"week": 3}
    assert sent["body"]["title"] == "Ports" and sent["body"]["to"] == "ports"


def test_unreachable_service(tmp_path):
    client = DashboardsClient("http://127.0.0.1:9/services/dashboards/", "t", timeout=2)
    with pytest.raises(DashboardError, match="does not answer"):
        client.list()


def test_examples_are_copied_and_never_overwritten(tmp_path):
    (tmp_path / "ais-weekly-ports.ipynb").write_text("mine")
    result = CliRunner().invoke(main, ["dashboards", "examples", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ais-weekly-ports.ipynb").read_text() == "mine"
    assert '"cells"' in (tmp_path / "scanner-monthly-cpi.ipynb").read_text()
    assert "left as it is" in result.output
