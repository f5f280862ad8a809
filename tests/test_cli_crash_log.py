"""The crash log goes inside the folder NN_TUI_CACHE_DIR names, never beside it (a real process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CRASHING = textwrap.dedent(
    """
    import sys
    from nn_tui.tui.cli import main
    from nn_tui.tui.commands import data

    def broken(args, out):
        raise KeyError("a bug")

    data._COMMANDS["path"] = broken
    sys.exit(main(["data", "path"]))
    """
)


def test_the_crash_log_is_inside_the_cache_folder(tmp_path: Path) -> None:
    parent = tmp_path / "shared"
    cache = parent / "nn-tui-cache"
    parent.mkdir()
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-c", CRASHING], capture_output=True, text=True, env=env, timeout=60)
    log = cache / "nn-tui-crash.log"
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"nn-tui stopped on an unexpected error (KeyError: 'a bug'); the details are in "
                             f"{log}, please report it.\n")
    assert "Traceback" in log.read_text() and "KeyError: 'a bug'" in log.read_text()
    assert [p.name for p in parent.iterdir()] == ["nn-tui-cache"]  # nothing written beside it
