"""nn_tui.core must work with no UI library installed."""

import subprocess
import sys
import textwrap


def test_core_imports_without_ui_libraries():
    # A meta-path hook that makes textual, rich and plotext unimportable,
    # then every module of nn_tui.core is imported.
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
        names = [m.name for m in pkgutil.iter_modules(core.__path__)]
        for name in names:
            importlib.import_module(f"nn_tui.core.{name}")
        print(len(names))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 3
