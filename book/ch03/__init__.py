"""Chapter 3: the trained network's forward pass (``neuralnet_mnist.py``)."""
