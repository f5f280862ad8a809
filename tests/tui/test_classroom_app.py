"""The classroom in the app (Pilot): --open, F2 saves, a teacher broadcasting, a student following.

The other side of the socket is the transport itself in this process (a
`Broadcaster` the test publishes with, or a `Follower` the test reads with);
real processes in terminals are in test_classroom_terminals.py.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Input

from nn_tui.tui import app as app_module
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.classroom import Broadcaster, Follower, Message
from nn_tui.tui.classroom.banner import FollowBanner
from nn_tui.tui.classroom.save_dialog import SaveStateDialog
from nn_tui.tui.classroom.shown import RUN_KEY, STEP_KEY
from nn_tui.tui.lessons import all_lessons, lesson
from nn_tui.tui.state_file import MAX_STATE_BYTES, save_state
from nn_tui.tui.teacher.panel import TeacherPanel

from tests.helpers import json_round_trip, notifications, wait_until

SIZE = (80, 24)
LONG_RUNNING = {"classroom-follow", "classroom-broadcast"}
LESSONS = [pytest.param(item, id=item.mode) for item in all_lessons()]


@pytest.fixture
def socket_path():
    folder = tempfile.mkdtemp(prefix="nnc", dir="/tmp")  # short: a socket path has at most 107 bytes
    yield os.path.join(folder, "class.sock")
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    os.rmdir(folder)


async def settled(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: all(w.is_finished for w in app.workers if w.group not in LONG_RUNNING | {"teacher"}))
    await pilot.pause(0.1)


def lesson_document(app: NNTuiApp) -> dict:
    return json_round_trip(app.screen.document())


def banner_text(app: NNTuiApp) -> str:
    banners = app.screen.query(FollowBanner)
    return str(banners.first().content) if banners else ""


# --- --open and F2 -------------------------------------------------------------------------


async def a_changed_document(item) -> dict:
    """The lesson's document after the first three steps of its shipped script (not its defaults)."""
    app = NNTuiApp(teach=item.number)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await app.teacher.wait()
        for _ in range(2):
            await pilot.press("enter")
            await pilot.pause()
            await app.teacher.wait()
        await settled(pilot)
        return lesson_document(app)


@pytest.mark.parametrize("item", LESSONS)
async def test_open_shows_a_saved_lesson_state(item, tmp_path):
    document = await a_changed_document(item)
    if document["state"].get("running"):  # the playground goes on training after opening: compare it paused
        document["state"]["running"] = False
    path = save_state(tmp_path / "state.json", document)
    app = NNTuiApp(open_file=path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.current_mode == item.mode)
        await settled(pilot)
        assert lesson_document(app) == document
        assert notifications(app) == []


def bad_files(tmp_path: Path):
    yield "missing", tmp_path / "missing.json", "There is no file"
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(MAX_STATE_BYTES + 1)
    yield "too large", big, "more than a state file can be"
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    yield "deep", deep, "is not a JSON state file"
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"nn_tui": 1, "lesson": "../../etc", "state": {}}))
    yield "unknown lesson", other, "which this nn-tui does not have"
    bad = tmp_path / "bad-state.json"
    bad.write_text(json.dumps({"nn_tui": 1, "lesson": "perceptron", "state": {"gate": "and", "w": "x"}}))
    yield "bad state", bad, "saved state"
    version = tmp_path / "version.json"
    version.write_text(json.dumps({"nn_tui": 99, "lesson": "perceptron", "state": {}}))
    yield "other version", version, "format 99"


async def test_a_bad_state_file_says_one_sentence_and_changes_nothing(tmp_path):
    for name, path, words in bad_files(tmp_path):
        app = NNTuiApp(open_file=path)
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            await pilot.pause(0.2)
            said = notifications(app)
            assert len(said) == 1 and words in said[0], f"{name}: {said}"
            assert "Traceback" not in said[0]
            assert app.current_mode == "home", name


async def test_f2_saves_the_lesson_state_where_the_student_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("b", "n", "n")
        expected = lesson_document(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveStateDialog))
        field = app.screen.query_one(Input)
        assert field.value == "perceptron.nnstate.json"  # the lesson's name, in the current folder
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "perceptron.nnstate.json").exists())
        assert json.loads((tmp_path / "perceptron.nnstate.json").read_text()) == expected
        # Esc saves nothing; a path in a missing folder is one sentence.
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveStateDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SaveStateDialog))
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveStateDialog))
        app.screen.query_one(Input).value = str(tmp_path / "no" / "such.json")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Cannot save" in text for text in notifications(app)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["perceptron.nnstate.json"]
    assert stat.S_ISREG((tmp_path / "perceptron.nnstate.json").stat().st_mode)


async def test_enter_and_escape_typed_at_once_close_the_save_dialog_once(tmp_path, monkeypatch):
    """Found by the monkey: the Esc queued behind Enter closed the lesson under the dialog (ScreenStackError)."""
    from nn_tui.tui.textual_private import key_event

    monkeypatch.chdir(tmp_path)
    app = NNTuiApp(start_lesson=2)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        lesson_screen = app.screen
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveStateDialog))
        await pilot.pause()
        for key in ("enter", "escape", "escape"):  # queued together, as a fast typist's keys arrive
            event = key_event(key)
            event.set_sender(app)
            app._driver.send_message(event)
        await wait_until(pilot, lambda: (tmp_path / "activations.nnstate.json").exists())
        await pilot.pause(0.3)
        assert app.screen is lesson_screen and app.is_running
    assert app._exception is None


async def test_f2_on_the_home_screen_says_open_a_lesson_first():
    app = NNTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, SaveStateDialog)
        assert any("Open a lesson first" in text for text in notifications(app))


# --- a student following ---------------------------------------------------------------------


async def test_a_student_shows_the_teachers_lesson_and_state_and_holds_its_keys(socket_path):
    async with Broadcaster(socket_path) as teacher:
        app = NNTuiApp(follow=socket_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Following the teacher" in banner_text(app))
            start = await a_document(pilot, app, 1)
            state = {**start["state"], "x1": 1, "x2": 1}
            teacher.publish("perceptron", None, {**start, "state": state})
            await wait_until(pilot, lambda: app.current_mode == "perceptron" and lesson_document(app)["state"] == state)
            assert "Following the teacher" in banner_text(app)
            # A student's key would change the teacher's state: held back, with one hint.
            await pilot.press("n", "a", "2")
            assert lesson_document(app)["state"] == state and app.current_mode == "perceptron"
            assert sum("press F7" in text for text in notifications(app)) == 1
            # F7: on their own, keys work; messages still arrive but are not shown.
            await pilot.press("f7")
            assert "On your own" in banner_text(app)
            await pilot.press("a")
            own = lesson_document(app)["state"]
            assert own != state
            newer = {**state, "x1": 0, "x2": 1}
            teacher.publish("perceptron", None, {**start, "state": newer})
            await pilot.pause(0.3)
            assert lesson_document(app)["state"] == own
            # F8: back to the teacher's latest state.
            await pilot.press("f8")
            await wait_until(pilot, lambda: lesson_document(app)["state"] == newer)
            assert "Following the teacher" in banner_text(app)
            # The teacher moves to another lesson, then to the home screen.
            teacher.publish("activations", None, await a_document(pilot, app, 2, leave=False))
            await wait_until(pilot, lambda: app.current_mode == "activations")
            teacher.publish("", None, {})
            await wait_until(pilot, lambda: app.current_mode == "home")
            assert "Following the teacher" in banner_text(app)


async def a_document(pilot, app: NNTuiApp, number: int, leave: bool = True) -> dict:
    """Lesson `number`'s default document, read from a fresh screen of that lesson (then back home)."""
    item = lesson(number)
    screen = item.load_screen()()
    await app.push_screen(screen)
    await pilot.pause(0.2)
    document = json_round_trip(screen.document())
    await app.pop_screen()
    return document


async def test_a_student_shows_the_teachers_step_and_a_bad_message_is_dropped_with_one_notice(socket_path):
    async with Broadcaster(socket_path) as teacher:
        app = NNTuiApp(follow=socket_path)
        async with app.run_test(size=SIZE) as pilot:
            start = await a_document(pilot, app, 1)
            step = {"lesson": 1, "total": 13, "step": {"title": {"en": "Input (1, 1)", "zh": "输入 (1, 1)"},
                                                      "text": {"en": "b sets x2 = 1.", "zh": "按 b：x2 = 1。"},
                                                      "keys": ["b"], "type": []}}
            teacher.publish("perceptron", 2, {**start, STEP_KEY: step})
            await wait_until(pilot, lambda: bool(app.screen.query(TeacherPanel)))
            await pilot.pause(0.2)
            head, text = (str(app.screen.query_one(f"#teach-{part}").render()) for part in ("head", "text"))
            assert "Step 3 / 13" in head and "Input (1, 1)" in head and "b sets x2 = 1." in text
            # Garbage on the wire: one notice, the last good state stays.
            for connection in list(teacher._connections):
                connection.transport.write(b"not json\n" * 3 + b'{"nn_tui_class": 2}\n')
            await wait_until(pilot, lambda: any("damaged" in text for text in notifications(app)))
            await pilot.pause(0.2)
            assert sum("damaged" in text for text in notifications(app)) == 1
            assert lesson_document(app) == start
            # The next good message is shown; a message without a step takes the panel away.
            teacher.publish("perceptron", None, {**start, "state": {**start["state"], "x1": 1, "x2": 0}})
            await wait_until(pilot, lambda: lesson_document(app)["state"]["x1"] == 1)
            await wait_until(pilot, lambda: not app.screen.query(TeacherPanel))


async def test_a_document_the_lesson_refuses_is_said_once_however_often_it_comes(socket_path):
    async with Broadcaster(socket_path) as teacher:
        app = NNTuiApp(follow=socket_path)
        async with app.run_test(size=SIZE) as pilot:
            start = await a_document(pilot, app, 1)
            teacher.publish("perceptron", None, start)
            await wait_until(pilot, lambda: app.current_mode == "perceptron")
            await pilot.pause(0.2)
            bad = {**start, "state": {**start["state"], "x1": "abc"}}
            for n in range(3):  # the teacher's app keeps sending it (each a new message)
                teacher.publish("perceptron", None, {**bad, "state": {**bad["state"], "seed": n}})
                await pilot.pause(0.2)
            refusals = [text for text in notifications(app) if "x1" in text]
            assert len(refusals) == 1, notifications(app)
            assert lesson_document(app) == start  # nothing changed
            teacher.publish("perceptron", None, {**start, "state": {**start["state"], "x1": 1}})
            await wait_until(pilot, lambda: lesson_document(app)["state"]["x1"] == 1)
            teacher.publish("perceptron", None, bad)  # refused again after a good one: said again
            await wait_until(pilot, lambda: len([t for t in notifications(app) if "x1" in t]) == 2)


async def test_a_student_whose_teacher_restarts_says_so_and_follows_the_new_one(socket_path):
    app = NNTuiApp(follow=socket_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Waiting for the teacher" in banner_text(app))
        start = await a_document(pilot, app, 1)
        async with Broadcaster(socket_path) as teacher:
            teacher.publish("perceptron", None, start)
            await wait_until(pilot, lambda: app.current_mode == "perceptron")
        await wait_until(pilot, lambda: "The teacher stopped" in banner_text(app))
        assert any("reconnects by itself" in text for text in notifications(app))
        async with Broadcaster(socket_path) as teacher:
            moved = {**start, "state": {**start["state"], "x1": 1, "x2": 1}}
            teacher.publish("perceptron", None, moved)
            await wait_until(pilot, lambda: lesson_document(app)["state"]["x2"] == 1, timeout=10)
            assert "Following the teacher" in banner_text(app)


# A fresh process (the test process has imported the lessons long ago): which
# lesson modules a student's app has read before the teacher opens any.
READ_IN_ADVANCE = textwrap.dedent("""
    import asyncio, sys
    from nn_tui.tui.app import NNTuiApp
    from nn_tui.tui.lessons import all_lessons

    async def main():
        app = NNTuiApp(follow=sys.argv[1])
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if "Waiting for the teacher" in str(app.screen.query_one("FollowBanner").render()):
                    break
            print(sorted(item.mode for item in all_lessons() if f"{item.package}.screen" in sys.modules))

    asyncio.run(main())
""")


def test_a_student_reads_every_lesson_as_it_joins_not_when_the_teacher_opens_it(socket_path):
    shown = subprocess.run([sys.executable, "-c", READ_IN_ADVANCE, socket_path], capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert shown.strip() == str(sorted(item.mode for item in all_lessons()))


# --- a teacher broadcasting ----------------------------------------------------------------


def without_step(document) -> dict:
    """The lesson's document, without what the teacher adds for its class (the step, the run's status)."""
    return json_round_trip({key: value for key, value in document.items() if key not in (STEP_KEY, RUN_KEY)})


def steady(document: dict) -> dict:
    """The document without what a running playground changes every frame."""
    state = document["state"]
    if not state.get("running"):
        return document
    moving = {"iteration", "losses", "weights", "moments"}
    playground = {key: value for key, value in state["playground"].items() if key not in moving}
    return {**document, "state": {**state, "playground": playground}}


@pytest.mark.parametrize("item", LESSONS)
async def test_a_teacher_publishes_every_step_and_a_student_restores_the_same_state(item, socket_path):
    """Every lesson: the teacher's steps arrive (lesson, step, state), and a student's lesson shows that state."""
    received: list[Message] = []
    app = NNTuiApp(teach=item.number, broadcast=socket_path)
    async with app.run_test(size=SIZE) as pilot:
        follower = Follower(socket_path, received.append, lambda status, detail: None)
        follower.start()
        try:
            await settled(pilot)
            await app.teacher.wait()
            for index in (1, 2):
                await pilot.press("enter")
                await app.teacher.wait()
                await settled(pilot)
                expected = steady(lesson_document(app))
                await wait_until(pilot, lambda: received and received[-1].step == index
                                 and steady(without_step(received[-1].document)) == expected,
                                 timeout=10, what=lambda: f"step {index}: {str(received[-1])[:300] if received else None}")
            message = received[-1]
            assert message.lesson == item.mode
            assert message.document[STEP_KEY]["total"] == len(app.teacher.script)
        finally:
            await follower.stop()
    document = without_step(message.document)
    student = NNTuiApp(start_lesson=item.number)
    async with student.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert student.screen.open_document(json_round_trip(document))
        assert steady(lesson_document(student)) == steady(json_round_trip(document))
    assert not os.path.exists(socket_path)  # the teacher's socket is gone with the teacher


async def test_a_teacher_that_cannot_broadcast_says_why_and_teaches_on(socket_path):
    Path(socket_path).write_text("not a socket")
    app = NNTuiApp(start_lesson=1, broadcast=socket_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("Cannot broadcast" in text for text in notifications(app)))
        await pilot.press("b")
        assert lesson_document(app)["state"]["x2"] == 1
    assert Path(socket_path).read_text() == "not a socket"


async def test_a_student_shows_the_teachers_training_run_and_may_run_its_own_on_its_own(socket_path):
    teacher_app = NNTuiApp(start_lesson=6)
    async with teacher_app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: teacher_app.screen.data is not None)
        for _ in range(3):
            await pilot.press("n")
            await wait_until(pilot, lambda: not teacher_app.screen.busy)
        run = lesson_document(teacher_app)
    assert run["state"]["run"]["last"]["iteration"] == 3
    async with Broadcaster(socket_path) as teacher:
        app = NNTuiApp(follow=socket_path)
        async with app.run_test(size=SIZE) as pilot:
            teacher.publish("training", None, {**run, RUN_KEY: "running"})
            await wait_until(pilot, lambda: app.current_mode == "training" and app.screen.data is not None)
            screen = app.screen
            await wait_until(pilot, lambda: lesson_document(app)["state"]["run"] == run["state"]["run"])
            assert screen.run_status == "running" and "RUNNING" in str(screen.query_one("#t-status").render())
            assert not screen.busy  # the teacher's run, shown: nothing trains here
            await pilot.press("s")
            assert not screen.busy
            await pilot.press("f7")
            assert screen.run_status == "stopped"
            assert screen.trainer is None  # the teacher's run came as numbers: no network here
            await pilot.press("s")  # on its own: a run of its own (on the subset it may be over within a poll)
            await wait_until(pilot, lambda: screen.trainer is not None and screen.trainer.iteration > 0)
            await pilot.press("f8")  # stops the student's run, then shows the teacher's
            await wait_until(pilot, lambda: lesson_document(app)["state"]["run"] == run["state"]["run"])
            assert screen.run_status == "running" and not screen.busy


async def test_a_student_keeps_one_lesson_at_a_time_and_frees_the_ones_the_teacher_left(socket_path, monkeypatch):
    """Memory per student: a lesson left while following is thrown away (built afresh if the teacher returns)."""
    import gc
    import weakref

    monkeypatch.setattr(app_module, "GIVE_BACK_QUIET", 0.3)
    async with Broadcaster(socket_path) as teacher:
        app = NNTuiApp(follow=socket_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Following the teacher" in banner_text(app))
            teacher.publish("perceptron", None, await a_document(pilot, app, 1))
            await wait_until(pilot, lambda: app.current_mode == "perceptron")
            first = weakref.ref(app.screen)
            teacher.publish("activations", None, await a_document(pilot, app, 2, leave=False))
            await wait_until(pilot, lambda: app.current_mode == "activations")
            await settled(pilot)
            await pilot.pause(0.5)  # the class is quiet: the lesson left is thrown away
            gc.collect()
            assert first() is None
            # The teacher comes back: lesson 1 is built again and shows the teacher's state.
            state = {**(await a_document(pilot, app, 1, leave=False))["state"], "x1": 1}
            teacher.publish("perceptron", None, {"nn_tui": 1, "lesson": "perceptron", "state": state})
            await wait_until(pilot, lambda: app.current_mode == "perceptron" and lesson_document(app)["state"] == state)
