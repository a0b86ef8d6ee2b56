"""Put the certification parts together from paths (service and CLI share this)."""

from __future__ import annotations

from pathlib import Path

from .exams import exam_secret
from .issuing import Certifier
from .modules import ModuleCheck
from .office import ExamOffice, Runner
from .service import Context
from .tracks import load_programme


def certifier_for(root: Path, public_url: str, issuer_name: str) -> Certifier:
    return Certifier(Path(root), public_url, issuer_name)


def build_context(
    root: Path,
    tracks: Path,
    public_url: str,
    issuer_name: str,
    module_check: ModuleCheck,
    runner: Runner | None,
    admins: frozenset[str] = frozenset(),
) -> Context:
    certifier = certifier_for(root, public_url, issuer_name)
    certifier.install()
    office = ExamOffice(
        programme=load_programme(tracks),
        registry=certifier.registry,
        secret=exam_secret(root),
        module_check=module_check,
        submissions_dir=root / "submissions",
    )
    return Context(certifier, office, runner, admins)
