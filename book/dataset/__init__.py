"""The book's dataset/ folder: ``dataset.mnist.load_mnist``, reading nn-tui's MNIST."""
