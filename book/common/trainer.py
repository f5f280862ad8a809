"""The book's common/trainer.py: train a network with mini-batches and print as it goes (ch. 6).

``Trainer`` runs the book's loop with the book's printing: each step draws a
mini-batch with ``np.random.choice`` (with replacement, from the global
generator), updates the weights with one of the book's optimisers (those of
``nn_tui.book.common.optimizer``, i.e. ``nn_tui.core.optimizers``), then
records the mini-batch's loss after the update::

    train loss:2.2912...
    === epoch:1, train acc:0.12, test acc:0.11 ===
    ...
    =============== Final Test Accuracy ===============
    test acc:0.8761

The network is whatever is passed in (it needs ``params``, ``gradient``,
``loss`` and ``accuracy``): the book's ``MultiLayerNet``/``MultiLayerNetExtend``
or a student's own class.  nn-tui's own trainer (``nn_tui.core.trainer``,
behind lesson 6 and ``nn-tui train``) visits every sample once per epoch in a
shuffled order instead; this one keeps the book's sampling so a book script
behaves as the book describes.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from nn_tui.book.common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

__all__ = ["Trainer"]

# The book's names ("rmsprpo" is its spelling; "rmsprop" works as well).
OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad,
              "rmsprop": RMSprop, "rmsprpo": RMSprop, "adam": Adam}


class Trainer:
    """Train ``network`` for ``epochs`` epochs of ``train_size / mini_batch_size`` steps.

    ``optimizer`` is a name ('SGD', 'Momentum', 'Nesterov', 'AdaGrad',
    'RMSprop', 'Adam'; any case) and ``optimizer_param`` its arguments.
    The accuracies are measured at the first step of each epoch, on the first
    ``evaluate_sample_num_per_epoch`` samples of each set (None: all of them),
    and kept in ``train_acc_list`` / ``test_acc_list``; every loss is kept in
    ``train_loss_list``.  ``verbose=False`` prints nothing.
    """

    def __init__(self, network: Any, x_train: Any, t_train: Any, x_test: Any, t_test: Any,
                 epochs: int = 20, mini_batch_size: int = 100, optimizer: str = "SGD",
                 optimizer_param: Mapping[str, Any] = MappingProxyType({"lr": 0.01}),
                 evaluate_sample_num_per_epoch: int | None = None, verbose: bool = True) -> None:
        self.network = network
        self.verbose = verbose
        self.x_train, self.t_train = x_train, t_train
        self.x_test, self.t_test = x_test, t_test
        self.epochs = epochs
        self.batch_size = mini_batch_size
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch

        name = optimizer.lower() if isinstance(optimizer, str) else optimizer
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; choose one of "
                             "'SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'")
        self.optimizer = OPTIMIZERS[name](**dict(optimizer_param))

        self.train_size = x_train.shape[0]
        self.iter_per_epoch = max(self.train_size / mini_batch_size, 1)
        self.max_iter = int(epochs * self.iter_per_epoch)
        self.current_iter = 0
        self.current_epoch = 0

        self.train_loss_list: list[float] = []
        self.train_acc_list: list[float] = []
        self.test_acc_list: list[float] = []

    def train_step(self) -> None:
        """One mini-batch: gradient, update, loss; and the accuracies if an epoch begins."""
        batch_mask = np.random.choice(self.train_size, self.batch_size)
        x_batch = self.x_train[batch_mask]
        t_batch = self.t_train[batch_mask]

        grads = self.network.gradient(x_batch, t_batch)
        self.optimizer.update(self.network.params, grads)

        loss = self.network.loss(x_batch, t_batch)
        self.train_loss_list.append(loss)
        if self.verbose:
            print("train loss:" + str(loss))

        if self._epoch_begins():
            self.current_epoch += 1
            x_train_sample, t_train_sample = self.x_train, self.t_train
            x_test_sample, t_test_sample = self.x_test, self.t_test
            if self.evaluate_sample_num_per_epoch is not None:
                n = self.evaluate_sample_num_per_epoch
                x_train_sample, t_train_sample = self.x_train[:n], self.t_train[:n]
                x_test_sample, t_test_sample = self.x_test[:n], self.t_test[:n]

            train_acc = self.network.accuracy(x_train_sample, t_train_sample)
            test_acc = self.network.accuracy(x_test_sample, t_test_sample)
            self.train_acc_list.append(train_acc)
            self.test_acc_list.append(test_acc)
            if self.verbose:
                print("=== epoch:" + str(self.current_epoch) + ", train acc:" + str(train_acc)
                      + ", test acc:" + str(test_acc) + " ===")
        self.current_iter += 1

    def train(self) -> None:
        """Every step, then the accuracy on the whole test set."""
        for _ in range(self.max_iter):
            self.train_step()
        test_acc = self.network.accuracy(self.x_test, self.t_test)
        if self.verbose:
            print("=============== Final Test Accuracy ===============")
            print("test acc:" + str(test_acc))

    def _epoch_begins(self) -> bool:
        # The book tests current_iter % iter_per_epoch == 0, which is this when
        # mini_batch_size divides the training set (as in all of its scripts);
        # otherwise it would measure only once, at step 0.
        i, per = self.current_iter, self.iter_per_epoch
        return i == 0 or (i // per) != ((i - 1) // per)
