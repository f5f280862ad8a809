"""Follow the teacher: the transport that carries the teacher's lesson to the class.

`nn-tui --broadcast PATH` (the teacher) publishes the lesson it shows, the
teacher-mode step and the lesson's state document over a Unix domain socket
at PATH; `nn-tui --follow PATH` (a student) shows the same. This package is
that channel only, with no Textual in it (asyncio only), so it is tested on
its own with real processes:

- `protocol`: one message, its JSON line, and `ProtocolError` codes;
- `framing`: cutting a byte stream into lines of bounded size;
- `socket_file`: creating the socket file safely, and removing only ours;
- `broadcaster`: `Broadcaster`, the teacher's side: latest message to every
  follower, never waiting for one, never reading anything from one;
- `follower`: `Follower`, a student's side: newest valid message, statuses,
  reconnecting by itself;
- `__main__`: `python -m nn_tui.tui.classroom broadcast|follow PATH`, both
  sides as JSON lines on stdin/stdout (for trying it out, and for the tests).

Nothing here has display text: errors and statuses are codes that the UI
turns into sentences.
"""

from nn_tui.tui.classroom.broadcaster import Broadcaster
from nn_tui.tui.classroom.follower import Follower
from nn_tui.tui.classroom.protocol import VERSION, Message, ProtocolError
from nn_tui.tui.classroom.socket_file import SocketFileError

__all__ = ["VERSION", "Broadcaster", "Follower", "Message", "ProtocolError", "SocketFileError"]
