"""The layering the project stands on, checked from the source: core is maths only.

- nn_tui.core works with no UI library installed, and imports nothing from
  nn_tui.tui or nn_tui.assets (a caller passes the path of a shipped file);
- core holds no display text in Chinese (the UI's catalogue has the words);
- Textual's private API is used in one module, tui/textual_private.py.
"""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"
TUI = REPO / "tui"
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def test_core_imports_without_ui_libraries():
    # A meta-path hook that makes textual, rich and plotext unimportable,
    # then every module of nn_tui.core, subpackages included, is imported.
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"textual", "rich", "plotext", "textual_plotext"}:
                    raise ImportError(f"{name} is blocked in this test")
                return None

        sys.meta_path.insert(0, Block())
        import nn_tui.core as core
        from nn_tui.core import gates, functions, gradient
        names = [m.name for m in pkgutil.walk_packages(core.__path__, prefix="nn_tui.core.")]
        for name in names:
            importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m.startswith(("nn_tui.tui", "nn_tui.assets")))
        print(len(names), loaded)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) >= 25  # the flat book modules, graph/, data/ and labs/
    assert loaded.strip() == "[]", f"core imported {loaded}"


def test_core_source_names_no_tui_or_assets_module():
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in python_files(CORE)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bnn_tui(\.tui|\.assets|\s+import\s+assets)\b", line)
    ]
    assert offenders == []


def test_core_holds_no_chinese_text():
    offenders = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in python_files(CORE)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if CJK.search(line)
    ]
    assert offenders == []


# Private names of Textual that nn-tui uses; any of them outside textual_private.py is a leak.
PRIVATE_TEXTUAL = re.compile(
    r"\._bindings\b|\._modes\b|\._animator\b|\._notifications\b|\._driver\b|_exit_renderables"
    r"|_print_error_renderables|_action_command_list|\b_move_page\b|_character_to_key|_get_unicode_name_from_key"
    r"|REPLACED_KEYS|from textual\.\w+(\.\w+)* import .*\b_[a-z]\w*"
)


def test_textual_private_api_is_used_in_one_module_only():
    allowed = TUI / "textual_private.py"
    offenders = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in python_files(TUI)
        if path != allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PRIVATE_TEXTUAL.search(line)
    ]
    assert offenders == []
    assert PRIVATE_TEXTUAL.search(allowed.read_text(encoding="utf-8"))  # the pattern still finds them
