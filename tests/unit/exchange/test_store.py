from datetime import timedelta

import pytest
from ungp_hub.errors import AlreadyExists, BadName, DeadlinePassed, NotFound
from ungp_hub.exchange.store import digest

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def test_submissions_in_the_same_second_are_both_kept(store):
    store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines")
    first = store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB})
    second = store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB + b" "})
    assert first.id != second.id and first.submitted_at == second.submitted_at
    kept = store.submissions("c1", "ps1", "ana")
    assert [r.id for r in kept] == sorted([first.id, second.id])
    assert store.submission_files(kept[0])["ps1.ipynb"] in (NB, NB + b" ")
    assert {store.submission_files(r)["ps1.ipynb"] for r in kept} == {NB, NB + b" "}


def test_receipt_hash_and_time_come_from_the_server(store, clock):
    store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines")
    receipt = store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB, "data/x.csv": b"1,2\n"})
    assert receipt.submitted_at.startswith(clock.now.isoformat()[:19])
    assert receipt.sha256 == digest({"data/x.csv": b"1,2\n", "ps1.ipynb": NB})
    assert receipt.sha256 != digest({"ps1.ipynb": NB})
    assert receipt.size == len(NB) + 4


def test_release_twice_needs_force_and_keeps_the_old_version(store):
    store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines")
    # The same files again (release_assignment run twice): no new version, no refusal.
    assert store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines").version == 1
    with pytest.raises(AlreadyExists):
        store.release("c1", "ps1", {"ps1.ipynb": b"{}"}, "ines")
    second = store.release("c1", "ps1", {"ps1.ipynb": NB + b"\n"}, "ines", force=True)
    assert second.version == 2
    assert store.released_files("c1", "ps1")["ps1.ipynb"] == NB + b"\n"
    assert (store.root / "courses/c1/releases/ps1/v1/ps1.ipynb").read_bytes() == NB


def test_deadline_late_window_and_refusal(store, clock):
    deadline = clock.now + timedelta(hours=1)
    store.release(
        "c1",
        "ps1",
        {"ps1.ipynb": NB},
        "ines",
        deadline=deadline,
        late_until=deadline + timedelta(hours=1),
    )
    assert not store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB}).late
    clock.now = deadline + timedelta(minutes=5)
    assert store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB}).late
    clock.now = deadline + timedelta(hours=2)
    with pytest.raises(DeadlinePassed):
        store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB})
    assert len(store.submissions("c1", "ps1", "ana")) == 2


def test_bad_names_write_nothing(store):
    store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines")
    for name in ("../evil.ipynb", "/etc/passwd", "a/../../b", ".hidden", "a\\b"):
        with pytest.raises(BadName):
            store.submit("c1", "ps1", "ana", {name: NB})
    assert store.submissions("c1") == []
    assert not list((store.root / "courses/c1").glob("submissions/*/*/*"))


def test_feedback_is_per_student_and_re_release_keeps_both(store):
    store.release("c1", "ps1", {"ps1.ipynb": NB}, "ines")
    ana = store.submit("c1", "ps1", "ana", {"ps1.ipynb": NB})
    store.submit("c1", "ps1", "ben", {"ps1.ipynb": NB})
    first = store.release_feedback(ana, "ps1", b"<p>v1</p>", "ines")
    second = store.release_feedback(ana, "ps1", b"<p>v2</p>", "ines")
    (only,) = store.feedback("c1", "ana")
    assert only["id"] == str(second)
    assert store.feedback_file(first)[2] == b"<p>v1</p>"
    assert store.feedback("c1", "ben") == []
    with pytest.raises(NotFound):
        store.feedback_file(999)
