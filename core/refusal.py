"""Why the core would not do what was asked, as a code and its values.

The core has no display text in any language. When a student's request
cannot be done (a step past the end of the graph, a learning rate that makes
the run diverge, a state document with a missing field) the core raises a
`Refusal`: a short code such as ``"stepper.at_end"`` and the numbers or names
that go with it. The UI turns the code into one sentence in the student's
language from its catalogue, so no message is parsed back from English.
"""

from __future__ import annotations


class Refusal(ValueError):
    """A request refused, with nothing changed: `code` names why, `values` fill in the sentence.

    `sentence`, if given, is what the exception says (``str(error)``): the
    English the command line and logs print. A lesson never shows it.
    """

    def __init__(self, code: str, sentence: str | None = None, /, **values: object) -> None:
        self.code = code
        self.values = values
        details = ", ".join(f"{name}={value!r}" for name, value in values.items())
        super().__init__(sentence or (f"{code}({details})" if details else code))
