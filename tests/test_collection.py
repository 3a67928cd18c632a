"""The cyclic collector is held off while reading and scoring, and left as it was found."""

from __future__ import annotations

import gc

import pytest

from recotrack._collection import collection_paused


def test_the_collector_is_off_inside_and_back_on_after_even_on_error() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_load_and_score_run_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import recotrack
    from conftest import EXAMPLE
    from recotrack.evidence import builder

    seen: list[bool] = []
    start = builder.EvidenceBuilder.start_return
    monkeypatch.setattr(
        builder.EvidenceBuilder, "start_return", lambda *a, **k: seen.append(gc.isenabled()) or start(*a, **k)
    )
    tracker = recotrack.load(EXAMPLE)
    assert seen
    assert not any(seen)
    assert gc.isenabled()
    recotrack.score(tracker, "2019")
    assert gc.isenabled()
