"""A terminal that is not set up for UTF-8: nn-tui says once how to fix it, and keeps working.

Was: under a non-UTF-8 locale every line, arrow and Chinese character showed
as `\\uXXXX` (Python writes what the locale can hold), with no word why; and
`nn-tui train --help` (λ, Σ) stopped on a UnicodeEncodeError.

Every case runs nn-tui in its own process, with the locale in its
environment and PYTHONIOENCODING unset, as a student's shell would start it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.hardening.conftest import PtyProcess


def environment(tmp_path, **variables: str) -> dict[str, str]:
    dropped = ("PYTEST", "TEXTUAL", "LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update({"TERM": "xterm-256color", "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)})
    env.update(variables)
    return env


def warning_under(tmp_path, **variables: str) -> str:
    script = "from nn_tui.tui.cli import locale_warning; print(locale_warning())"
    result = subprocess.run([sys.executable, "-c", script], env=environment(tmp_path, **variables),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "variables",
    [{"LANG": "C", "LC_ALL": "C"}, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}],
    ids=["C", "C-ascii-output"],
)
def test_nn_tui_under_the_c_locale_says_how_to_fix_it_and_works(tmp_path, variables):
    """C: Python writes UTF-8 anyway (its UTF-8 mode); C-ascii-output: it writes `\\uXXXX` codes."""
    columns, rows = 100, 30
    env = environment(tmp_path, COLUMNS=str(columns), LINES=str(rows), **variables)
    tui = PtyProcess([sys.executable, "-m", "nn_tui"], env, (columns, rows))
    try:
        tui.wait_for("Perceptron", timeout=20)  # the home screen is drawn
        tui.wait_for("C.UTF-8", timeout=5)  # the warning inside the app
        tui.send("q")
        code = tui.exit_code(timeout=10)
        output = tui.text()
    finally:
        tui.close()
    sentence = (
        "nn-tui: the terminal is not set up for UTF-8 (LC_ALL=C), so lines and symbols may show as \\uXXXX "
        "codes or garbage; to fix it, run `export LC_ALL=C.UTF-8` (or use another UTF-8 locale) and start nn-tui again."
    )
    assert code == 0, output[-1500:]
    assert output.count(sentence) == 1, output[:1500]  # on standard error, once
    assert "Traceback" not in output


def test_the_warning_names_the_variable_that_decides(tmp_path):
    assert "`export LC_ALL=C.UTF-8`" in warning_under(tmp_path, LANG="C", LC_ALL="C")
    assert "`export LC_CTYPE=C.UTF-8`" in warning_under(tmp_path, LANG="C.UTF-8", LC_CTYPE="C", PYTHONCOERCECLOCALE="0")
    assert "`unset PYTHONIOENCODING`" in warning_under(tmp_path, LANG="C.UTF-8", PYTHONIOENCODING="latin-1")


def test_no_warning_where_the_output_is_utf8(tmp_path):
    assert warning_under(tmp_path, LANG="C.UTF-8") == "None"
    # LANG=C alone: Python switches the locale to C.UTF-8 itself (PEP 538) and writes UTF-8.
    assert warning_under(tmp_path, LANG="C") == "None"
    # Served to a browser (nn-tui serve): the web driver always writes UTF-8.
    web = "textual.drivers.web_driver:WebDriver"
    assert warning_under(tmp_path, LANG="C", LC_ALL="C", TEXTUAL_DRIVER=web) == "None"


def test_help_with_greek_letters_under_an_ascii_locale(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "nn_tui", "train", "--help"],
        env=environment(tmp_path, LANG="C", LC_ALL="C", PYTHONUTF8="0"),
        capture_output=True, timeout=60,
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert b"weight decay \\u03bb" in result.stdout
