"""Sub-commands of `nn-tui` (train, data): each module has add_parser() and run()."""
