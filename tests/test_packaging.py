"""What `pip install .` ships: every package of the checkout, and the files the app reads."""

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SKIP = {"tests", "benchmarks", ".venv", ".git", ".ci", "build", "dist"}


def test_every_package_of_the_checkout_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("nn_tui", *init.parent.relative_to(REPO).parts)).rstrip(".")
        for init in REPO.rglob("__init__.py")
        if not SKIP & set(init.relative_to(REPO).parts)
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == set(), "these listed packages have no folder"


def test_the_files_a_lesson_reads_are_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["nn_tui.tui.lessons"]
    for lesson in (REPO / "tui" / "lessons").iterdir():
        if (lesson / "__init__.py").is_file():
            for name in ("screen.tcss", "script.json"):
                assert any((lesson / name).match(str(REPO / "tui" / "lessons" / p)) for p in patterns), (lesson, name)
