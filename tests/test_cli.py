import subprocess
import sys

from nn_tui.tui.cli import build_parser, main


def test_help_prints_usage_without_starting_the_ui():
    result = subprocess.run(
        [sys.executable, "-m", "nn_tui", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nn-tui")
    assert "--lesson" in result.stdout


def test_help_does_not_import_textual():
    script = "import sys; from nn_tui.tui.cli import build_parser; build_parser(); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_the_app_does_not_load_the_downloader():
    """Only `nn-tui data download` fetches: urllib.request and its kin cost every student's app memory for nothing."""
    script = ("import sys; from nn_tui.tui.cli import build_parser; import nn_tui.tui.app; build_parser(); "
              "print([m for m in ('urllib.request', 'http.client', 'nn_tui.core.data.download') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_bad_lesson_number_is_an_argparse_error(capsys):
    try:
        main(["--lesson", "9"])
    except SystemExit as exit:
        assert exit.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_app_options_parse():
    args = build_parser().parse_args(["--lang", "zh", "--lesson", "3"])
    assert (args.lang, args.lesson, args.command) == ("zh", 3, None)


def test_theme_names_match_the_app_themes():
    from nn_tui.tui import cli
    from nn_tui.tui.themes import THEMES

    assert tuple(THEMES) == cli.THEMES
