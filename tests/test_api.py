"""The public API: one obvious entry point, typed results, a complete and sorted ``__all__``."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE, MINIMAL


def test_every_public_name_resolves() -> None:
    """Names load lazily (for a quick `recotrack --help`); each must still be there."""
    for name in recotrack.__all__:
        assert getattr(recotrack, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = recotrack.nonsense  # type: ignore[attr-defined]


def _type_checking_imports() -> dict[str, str]:
    """Name → module of every import in ``recotrack/__init__.py``'s ``if TYPE_CHECKING:`` block."""
    tree = ast.parse(Path(recotrack.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        alias.asname or alias.name: node.module or ""
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_public_names_are_one_list() -> None:
    """``__all__``, the lazy table and the type checkers' imports name the same things from the same modules."""
    where = recotrack._WHERE  # type: ignore[attr-defined]
    assert sorted(recotrack.__all__) == sorted([*where, "__version__"])
    assert len(set(recotrack.__all__)) == len(recotrack.__all__)
    assert _type_checking_imports() == where


def test_each_public_name_comes_from_the_module_that_defines_it() -> None:
    for name, module in recotrack._WHERE.items():  # type: ignore[attr-defined]
        value = getattr(recotrack, name)
        assert value is getattr(importlib.import_module(module), name), name
        if inspect.isclass(value) or inspect.isfunction(value):
            defined = value.__module__
            assert defined == module or defined.startswith(f"{module}."), f"{name} is from {defined}, not {module}"


def test_package_is_typed() -> None:
    assert (Path(recotrack.__file__).parent / "py.typed").exists()


def test_load_gives_typed_objects() -> None:
    tracker = recotrack.load(MINIMAL)
    catalog = tracker.catalog
    assert [level.id for level in catalog.levels] == ["national", "local"]
    assert catalog.recommendation("L1.1").parent == "L1"
    assert [r.id for r in catalog.children("L1")] == ["L1.1"]
    assert list(catalog.questions) == ["1.1", "1.2", "1.8/nhs-commissioners", "1.8/the-police", "2.2"]
    assert catalog.questions["1.8/the-police"].label == "The Police"
    assert tracker.units.invited_in("2019") == ("b1", "b2", "b3")
    assert tracker.units.invited_in("2030") == ()


def test_options_resolve_by_id_or_label_ignoring_case_and_space() -> None:
    scale = recotrack.load(MINIMAL).catalog.scale("frequency")
    assert scale.resolve("always") == "always"
    assert scale.resolve("  yes,ALWAYS ") == "always"
    assert scale.resolve("Don\u2019t know") == "dont-know"
    assert scale.resolve("DONT-KNOW") == "dont-know"
    assert scale.resolve("maybe") is None


def test_models_are_immutable_and_json_serialisable() -> None:
    catalog = recotrack.load(MINIMAL).catalog
    with pytest.raises(Exception, match="frozen"):
        catalog.levels[0].id = "x"  # type: ignore[misc]
    again = recotrack.Catalog.model_validate_json(catalog.model_dump_json(by_alias=True))
    assert again == catalog


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("NHS commissioners", "nhs-commissioners"),
        ("Design of service", "design-of-service"),
        ("Local authorities", "local-authorities"),
        ("Children's services (LA)", "children-s-services-la"),
        ("  --Schools, FE colleges--  ", "schools-fe-colleges"),
        (
            "Acute secondary (physical) healthcare services, including emergency departments",
            "acute-secondary-physical-healthcare-services-including-emergency-departments",
        ),
    ],
)
def test_grid_item_slugs(label: str, slug: str) -> None:
    assert recotrack.slugify(label) == slug


def test_every_input_file_has_the_digest_of_its_bytes() -> None:
    """Digests are taken while files are read, so reports need no second pass over the inputs."""
    tracker = recotrack.load(EXAMPLE, strict=False)
    assert set(tracker.digests) == set(tracker.files)
    for path, digest in tracker.digests.items():
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest(), path


def test_a_copied_catalog_works_out_its_look_ups_again() -> None:
    """``model_copy(update=...)`` must not keep the cached question table of the catalog it came from."""
    catalog = recotrack.load(MINIMAL).catalog
    assert "1.1" in catalog.questions
    fewer = catalog.model_copy(update={"indicators": catalog.indicators[1:]})
    assert "1.1" not in fewer.questions
    assert "1.1" in catalog.questions
