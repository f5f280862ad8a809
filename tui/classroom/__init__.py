"""Follow the teacher: the transport that carries the teacher's lesson to the class.

`nn-tui --broadcast PATH` (the teacher) publishes the lesson it shows, the
teacher-mode step and the lesson's state document over a Unix domain socket
at PATH; `nn-tui --follow PATH` (a student) shows the same. The channel has
no Textual in it (asyncio only), so it is tested on its own with real processes:

- `protocol`: one message, its JSON line, and `ProtocolError` codes;
- `framing`: cutting a byte stream into lines of bounded size;
- `socket_file`: creating the socket file safely, and removing only ours;
- `broadcaster`: `Broadcaster`, the teacher's side: latest message to every
  follower, never waiting for one, never reading anything from one;
- `follower`: `Follower`, a student's side: newest valid message, statuses,
  reconnecting by itself;
- `__main__`: `python -m nn_tui.tui.classroom broadcast|follow PATH`, both
  sides as JSON lines on stdin/stdout (for trying it out, and for the tests).

A student's terminal does not build the lesson itself: it watches a picture
of it drawn once for every terminal alike (same language, size, colours):

- `picture`: what a student asks for, and where it is served;
- `painters`: the teacher's side, a painter process per picture asked for;
- `painter`: an nn-tui following the teacher whose terminal is the students';
- `viewer`: a student's terminal copying the painter's bytes (no Textual).

Nothing in the channel has display text: errors and statuses are codes that
the UI turns into sentences. The app's side, with Textual:

- `app_keys`: `ClassroomKeys`, mixed into the app: --open, F2 (save the
  lesson's state, see `nn_tui.tui.state_file`), F7 / F8, palette entries;
- `teaching`: `Broadcasting`, what the teacher's app shows, published on change;
- `following`: `Following`, a student's app showing the teacher's messages,
  holding the student's keys until F7, rejoining with F8;
- `shown`, `banner`, `save_dialog`, `text`: what those share and show.
"""

from nn_tui.tui.classroom.broadcaster import Broadcaster
from nn_tui.tui.classroom.follower import Follower
from nn_tui.tui.classroom.protocol import VERSION, Message, ProtocolError
from nn_tui.tui.classroom.socket_file import SocketFileError

__all__ = ["VERSION", "Broadcaster", "Follower", "Message", "ProtocolError", "SocketFileError"]
