"""The book's common/ folder: functions, gradient, layers, optimizer, networks, trainer, util."""
