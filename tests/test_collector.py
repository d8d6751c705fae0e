"""The cycle collector paused for bulk work (`review.collector`) comes back as it was: on after the
block, even when the block fails; off if it was off; on only when the last of several threads
inside at once has left (the server's sessions writing workbooks together)."""

import gc
import threading

import pytest

from review import collector


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_off_inside_on_after_even_when_the_block_fails():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a failed load")
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_threads_inside_at_once_turn_it_on_when_the_last_leaves():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector.paused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with collector.paused():
            second_in.set()
            first_out.wait(10)
            seen["after the first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first left": False} and gc.isenabled()
