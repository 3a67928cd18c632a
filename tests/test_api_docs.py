"""docs/api.md stays true: every field of every public result type is listed with its type and, when it
can be None, when; every example runs and passes ``mypy --strict``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

import api_fields
import recotrack.results
from conftest import ROOT

GUIDE = ROOT / "docs" / "api.md"
EXAMPLES = re.findall(r"^```python\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def table_of(model: type[BaseModel]) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    heading = f"### `{model.__name__}`\n"
    assert heading in text, f"docs/api.md has no section {heading.strip()}"
    return text.split(heading, 1)[1].split("\n### ", 1)[0]


def test_field_tables_are_up_to_date() -> None:
    assert api_fields.current() == api_fields.section(), "run `python tests/api_fields.py` and review the diff"


def test_every_public_results_model_is_listed() -> None:
    public = {
        name
        for name in recotrack.results.__all__
        if isinstance(value := getattr(recotrack.results, name), type) and issubclass(value, BaseModel)
    }
    assert public <= {model.__name__ for model in api_fields.MODELS}


@pytest.mark.parametrize("model", api_fields.MODELS, ids=lambda model: model.__name__)
def test_every_field_is_in_the_guide_with_its_type(model: type[BaseModel]) -> None:
    table = table_of(model)
    for name, kind, _ in api_fields.rows(model):
        escaped = kind.replace("|", "\\|")
        assert f"| `{name}` | `{escaped}` |" in table, f"{model.__name__}.{name} ({kind}) is missing from docs/api.md"


@pytest.mark.parametrize("model", api_fields.MODELS, ids=lambda model: model.__name__)
def test_every_field_that_can_be_none_says_when(model: type[BaseModel]) -> None:
    hints = __import__("typing").get_type_hints(model)
    silent = [
        name for name, _, what in api_fields.rows(model) if api_fields.optional(hints[name]) and "None" not in what
    ]
    assert not silent, f"{model.__name__}: say when {silent} can be None (NONE_WHEN in tests/api_fields.py)"


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Each example as a file, in a folder where `examples/` is the repository's."""
    folder = tmp_path_factory.mktemp("api-examples")
    (folder / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    files = []
    for index, code in enumerate(EXAMPLES, 1):
        path = folder / f"example_{index}.py"
        path.write_text(code, encoding="utf-8")
        files.append(path)
    return files


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(examples: list[Path], index: int) -> None:
    path = examples[index]
    env = {**os.environ, "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD": "1", "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run(
        [sys.executable, path.name], cwd=path.parent, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, f"example {index + 1} of docs/api.md:\n{EXAMPLES[index]}\n{result.stderr}"


def test_examples_pass_mypy_strict(examples: list[Path]) -> None:
    folder = examples[0].parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            *(path.name for path in examples),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
