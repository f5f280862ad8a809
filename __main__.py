"""`python -m nn_tui` does what the `nn-tui` command does."""

from nn_tui.tui.cli import main

raise SystemExit(main())
