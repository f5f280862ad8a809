"""A following student's app gives back the memory of each lesson it leaves."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import weakref

import pytest

from nn_tui.tui import app as app_module
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.memory import give_back_memory
from nn_tui.tui import cli


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_give_back_memory_frees_cycles_at_once():
    gc.disable()
    try:
        node = Node()
        ref = weakref.ref(node)
        del node
        assert ref() is not None
        give_back_memory()
        assert ref() is None
    finally:
        gc.enable()


async def test_a_lesson_left_is_thrown_away_and_given_back_once_the_app_is_quiet(monkeypatch):
    given = []
    monkeypatch.setattr(app_module, "give_back_memory", lambda: given.append(1))
    monkeypatch.setattr(app_module, "GIVE_BACK_QUIET", 0.3)
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        old = weakref.ref(app.screen)
        await app.switch_mode("home")
        app.forget_lesson("perceptron")
        for _ in range(4):  # the teacher's next steps keep coming: not yet
            await pilot.pause(0.2)
            app.note_change()
        assert given == []
        assert app.get_screen_stack("perceptron")[0] is old()  # still there, as it was
        await pilot.pause(0.6)
        assert given == [1]
        gc.collect()
        assert old() is None
        # A lesson the teacher came back to before the app was quiet is kept.
        await app.switch_mode("perceptron")
        await pilot.pause(0.2)
        again = app.screen
        await app.switch_mode("home")
        app.forget_lesson("perceptron")
        await app.switch_mode("perceptron")
        await pilot.pause(0.6)
        assert given == [1, 1] and app.screen is again


async def test_a_lesson_left_with_work_not_saved_is_kept(monkeypatch):
    monkeypatch.setattr(app_module, "GIVE_BACK_QUIET", 0.2)
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        monkeypatch.setattr(screen, "unsaved_work", lambda: "quit.unsaved")  # as lesson 6 with a network trained
        await app.switch_mode("home")
        app.forget_lesson("perceptron")
        await pilot.pause(0.5)
        assert app.get_screen_stack("perceptron")[0] is screen


# A thread that allocates, then counts the large reserved (PROT_NONE) mappings
# that appeared: glibc reserves 64 MB for each new per-thread heap.
THREAD_HEAP = textwrap.dedent("""
    import sys, threading
    import numpy as np
    from nn_tui.tui.memory import one_heap_for_all_threads
    def reserves():
        count = 0
        for line in open("/proc/self/maps"):
            span, perms = line.split()[:2]
            low, high = (int(x, 16) for x in span.split("-"))
            count += perms == "---p" and high - low >= 2**20
        return count
    took = one_heap_for_all_threads() if sys.argv[1] == "one" else None
    before = reserves()
    def work():
        kept = [np.ones(1000) for _ in range(2000)]
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    print(took, reserves() - before)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heaps, seen in /proc/self/maps")
def test_with_one_heap_a_thread_that_allocates_gets_no_heap_of_its_own():
    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", THREAD_HEAP, mode], capture_output=True, text=True,
                              check=True).stdout.split()

    assert run("default") == ["None", "1"]  # what the test looks for is there without the setting
    assert run("one") == ["True", "0"]


def test_the_app_is_run_with_one_heap(monkeypatch):
    calls = []
    monkeypatch.setattr("nn_tui.tui.memory.one_heap_for_all_threads", lambda: calls.append("heap"))
    monkeypatch.setattr(NNTuiApp, "run", lambda self: calls.append("run"))
    assert cli.main(["--lesson", "1"]) == 0
    assert calls == ["heap", "run"]
