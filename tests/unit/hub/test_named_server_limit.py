"""The named-server limit JupyterHub asks for each new named server."""

from __future__ import annotations

from types import SimpleNamespace

from jupyterhub import orm
from jupyterhub.user import User
from ungp_hub.dashboards.registry import Audience, Dashboard, Registry
from ungp_hub.spawner.named_servers import NamedServerLimit


def hub_user(name: str, servers: list[str]) -> User:
    db = orm.new_session_factory("sqlite://")()
    record = orm.User(name=name)
    db.add(record)
    for server in ["", *servers]:
        db.add(orm.Spawner(name=server, user=record))
    db.commit()
    return User(record, settings={}, db=db)


def handler(user) -> SimpleNamespace:
    return SimpleNamespace(current_user=user)


def publish(root, slug: str, owner: str) -> None:
    Registry(root).save(
        Dashboard(slug=slug, owner=owner, title=slug, audience=Audience.parse("all"))
    )


def test_published_dashboards_do_not_use_up_a_persons_allowance(tmp_path):
    publish(tmp_path, "sales", "ana")
    publish(tmp_path, "costs", "ben")  # ben's: not ana's allowance
    ana = hub_user("ana", ["a", "dash-sales", "dash-costs", "dash-forged"])
    limit = NamedServerLimit(2, str(tmp_path))
    # 2 of her own plus her one published dashboard; a dash-* name alone raises nothing.
    assert limit(handler(ana)) == 3


def test_services_and_zero_mean_no_limit(tmp_path):
    ana = hub_user("ana", ["a", "b"])
    assert NamedServerLimit(0, str(tmp_path))(handler(ana)) == 0
    dashboards_service = SimpleNamespace(name="dashboards")  # an orm.Service, not a User
    assert NamedServerLimit(2, str(tmp_path))(handler(dashboards_service)) == 0
    assert NamedServerLimit(2, "")(handler(ana)) == 2  # dashboards off
