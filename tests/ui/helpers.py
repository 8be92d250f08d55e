"""Waiting for the app in Pilot tests: ``await settle(pilot)``, never a guess.

``pilot.pause()`` decides the app is idle from CPU time (it returns early on a
busy machine, and sleeps up to a second on a quiet one), and
``app.workers.wait_for_complete()`` only waits for workers that already exist,
not for the one a screen is about to start when its ``on_mount`` runs. So
``settle`` loops until, twice in a row, nothing at all is left to do:

- no worker is pending or running, and no database thread is still busy (a
  cancelled thread worker keeps running until its function returns);
- every message queue of the app, its screens and their widgets is empty, with
  no ``call_next`` callback waiting, and the current screen has handled all it
  was sent (``Pilot._wait_for_screen``);
- no update is held back (Textual holds them back for a moment when the
  screen switches, ``App.delay_update``), and no zero-delay timer is waiting
  to fire (a preview's delay is zero in tests),
  no new terminal size is held back (Textual waits 1/120 s before passing one
  on; ``settle`` passes it on at once), and no animation is running
  (scrolling; animations are off in tests, so one frame finishes it);
- the screen has laid itself out and, at the end of a thorough wait, painted
  what changed (``region``s and screenshots are up to date).

Painting is the costliest part of a headless run, and nobody sees it until a
test looks, so in tests a screen paints only when ``settle`` ends, not at every
step on the way (``paint_when_looked_at`` in ``tests/conftest.py``): the same
painting code runs on the same changes, coalesced, as a terminal's frame rate
coalesces them.

It never waits for a length of time, so it is as fast as the app and never
early. If the app keeps itself busy it fails with what is still busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from textual.app import App
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerState

__all__ = ["paint", "record_layouts", "settle", "settle_app"]

#: Rounds before giving up: a round ends as soon as the app has handled what
#: was queued, so thousands of rounds is far beyond any real screen.
MAX_ROUNDS = 5_000
QUIET_ROUNDS = 2
#: Looks (a millisecond apart at least) for a database thread to finish: two
#: minutes or more, far beyond any read or write a test makes.
THREAD_WAITS = 120_000


def _nodes(app: App) -> Iterator[DOMNode]:
    yield app
    yield from list(app._registry)


def _queue_busy(node: DOMNode) -> bool:
    if node._closed or node._closing:
        return False
    queue = node.__dict__.get("_message_queue")
    if queue is not None and not queue.empty():
        return True
    return node._pending_message is not None or bool(node._next_callbacks)


def _timer_due(node: DOMNode) -> bool:
    """A one-shot timer with no delay that has not fired yet (``set_timer(0, …)``)."""
    timers = node._timers
    if not timers:
        return False
    for timer in list(timers):
        task = timer._task
        if timer._repeat == 0 and timer._interval <= 0 and task is not None and not task.done():
            return True
    return False


def _screen_dirty(app: App) -> bool:
    try:
        screen = app.screen
    except Exception:
        return False
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    )


def _threads_busy() -> bool:
    """Database work still running in the event loop's thread pool (thread workers)."""
    executor = getattr(asyncio.get_running_loop(), "_default_executor", None)
    if executor is None:
        return False
    idle = executor._idle_semaphore._value
    return executor._work_queue.qsize() > 0 or len(executor._threads) > idle


class _Busy(str):
    """What keeps the app busy; the widget it names is described only when the
    text is shown (describing one is slower than the whole check)."""

    node: DOMNode | None = None

    def __new__(cls, what: str, node: DOMNode | None = None) -> _Busy:
        busy = super().__new__(cls, what)
        busy.node = node
        return busy

    def __str__(self) -> str:
        return f"{str.__str__(self)} {self.node!r}" if self.node is not None else self[:]


def _busy(app: App) -> _Busy | None:
    """What the app is still doing, or None when there is nothing left.

    The checks of the whole app come first; every widget's queue and timers
    are looked at only when those find nothing."""
    workers = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
    if workers:
        return _Busy(f"workers {[w.name for w in workers]}")
    if _threads_busy():
        return _Busy("a worker thread")
    if app._resize_event is not None:
        return _Busy("a resize")
    if app._batch_count:
        return _Busy("a delayed update")
    if app.animator._animations or app.animator._scheduled:
        return _Busy("an animation")
    if _screen_dirty(app):
        return _Busy("a screen refresh")
    for node in _nodes(app):
        if _queue_busy(node):
            return _Busy("messages for", node)
        if _timer_due(node):
            return _Busy("a timer of", node)
    return None


def record_layouts(monkeypatch) -> list[Screen]:  # type: ignore[no-untyped-def]
    """From now on, every screen Textual lays out again, in order (a test of
    what repaints without a layout expects none)."""
    layouts: list[Screen] = []
    refresh_layout = Screen._refresh_layout

    def counted(screen: Screen, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        layouts.append(screen)
        refresh_layout(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts


def paint(app: App) -> None:
    """Paint what changed on the current screen now (Textual's own painting;
    in tests it is otherwise held back until looked at)."""
    try:
        screen = app.screen
    except Exception:
        return
    if screen.is_attached and screen._compositor._dirty_regions:
        screen._compositor_refresh_now()  # type: ignore[attr-defined]


async def settle(pilot: Pilot) -> None:
    """Wait until the app has nothing left to do and the screen shows it."""
    await settle_app(pilot.app)


async def settle_app(app: App, *, thorough: bool = True) -> None:
    """``settle`` for an app without a pilot at hand (Textual's own waits use it in tests).

    Each round lets the event loop run, repaints a dirty screen and checks
    every queue, worker, thread and timer (``_busy``). When two rounds in a row
    find nothing, a thorough wait also asks every widget of the screen to
    confirm it has handled all it was sent (a handler may still be running
    with its queue already empty), and starts over if that woke anything.
    ``thorough=False`` skips that last question: it is what ``pilot.press``
    uses between keys (the press itself ends with it)."""
    pilot = Pilot(app)
    quiet = 0
    busy: str | None = None
    for _ in range(MAX_ROUNDS):
        if app._exit or app._exception is not None:
            return
        await asyncio.sleep(0)
        app.screen._on_timer_update()
        running = [w for w in app.workers if w.state is WorkerState.RUNNING]
        if running:
            await asyncio.gather(*(w.wait() for w in running), return_exceptions=True)
        busy = _busy(app)
        if busy is None:
            quiet += 1
            if quiet >= QUIET_ROUNDS:
                if not thorough:
                    return
                await pilot._wait_for_screen()
                if _busy(app) is None:
                    paint(app)
                    if _busy(app) is None:
                        return
                quiet = 0
        else:
            quiet = 0
            if busy == "a resize":
                # Textual holds a new terminal size back for 1/120 s, so that
                # a window being dragged is laid out once: pass it on now.
                app._check_resize()
            elif busy == "an animation":
                await app.animator.wait_until_complete()
            elif busy == "a delayed update":
                # Switching screens holds updates back for a moment
                # (``App.delay_update``, 50 ms, to hide the change); wait
                # until they are let go. Not a round, like a thread below.
                for _ in range(THREAD_WAITS):
                    await asyncio.sleep(0.001)
                    if not app._batch_count or app._exit or not app.is_running:
                        break
                else:
                    raise AssertionError("the app never settled: updates stayed held back")
            elif busy == "a worker thread":
                # Let the thread run until it is done (it may be waiting on
                # call_from_thread, which the loop answers meanwhile). Not a
                # round: a busy machine slows the thread, not the app.
                for _ in range(THREAD_WAITS):
                    await asyncio.sleep(0.001)
                    if not _threads_busy():
                        break
                else:
                    raise AssertionError("the app never settled: a worker thread never ended")
    raise AssertionError(f"the app never settled: still busy with {busy!s}")
