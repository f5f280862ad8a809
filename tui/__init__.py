"""The Textual app and the `nn-tui` command line (imports textual lazily)."""
