"""README's fresh-machine commands stay true: CI runs exactly README's test command."""

from __future__ import annotations

from conftest import ROOT

TEST_COMMAND = "python -m pytest"


def test_readme_gives_both_commands_and_ci_runs_the_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python -m pip install -e '.[test]' && {TEST_COMMAND}" in readme
    assert "recotrack" in readme.split("Run the main job")[1].split("Run the tests")[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert TEST_COMMAND in ci
