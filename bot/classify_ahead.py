"""Classifying posts in a worker process while the main process reads and writes them.

Why: classification is over half of an import's CPU, and one Python process uses one core.
A worker process classifies the next chunks of posts while the main process parses the
file and plans rows and SQLite's thread writes them (the GIL released); when the worker
falls behind, the main process classifies the next chunk itself, so both cores share the
work (bench/archive.py: about 10,000 instead of 6,000 posts/s on two cores). The worker
returns each verdict as plain values (`Verdict.__reduce__`: the row's columns, region codes
and `fields` JSON), not pickled Classification objects, which would cost the main process
more to unpickle than the rest of the post's trip. On a re-import the pipeline skips stored
posts without classifying them; the planner marks the verdicts it uses (`Verdict.used`),
and while they go unused the pool stops judging ahead but for a probe now and then.

The worker is a plain child interpreter (`python -c`, pickles over its stdin and stdout),
not `multiprocessing`: spawn would re-run the caller's `__main__` script in the child, and
fork is unsafe in a process that already has threads (aiosqlite's).

Nothing changes in what is stored: the worker runs the pipeline's own classifier through
the same `verdict_of` as the in-process path, the batch re-checks home region and version
(`JudgedPost`), and a chunk the worker fails on (it died, or the classifier raised) goes
to the pipeline unjudged, so it is classified in-process exactly as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import struct
import sys
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from types import TracebackType
from typing import BinaryIO

from bot.models import Classification, NewPost, Post
from bot.storage.ingest import JudgedPost
from bot.storage.planner import Verdict, verdict_of

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

Classifier = Callable[..., Classification]
Item = tuple[str, datetime]  # (text, posted_at)

log = logging.getLogger(__name__)

# Posts per task: big enough that the hop to the worker and back (~0.5 ms) is a few percent
# of the ~25 ms the worker spends on them, small enough that the first ones arrive quickly.
CHUNK = 250
# Tasks in flight: the worker always has the next ones queued while the main process plans
# and writes; a few hundred KB of texts and verdicts at a time.
DEPTH = 4
# Chunks read ahead at most (the worker's and this process's): bounds memory, and is long
# enough that parsing them outlasts the worker's answer to one chunk.
MAX_PENDING = 16
# A chunk shows whether its verdicts were used once this many chunks were released after
# it: by then the pipeline has planned it (its batches are 1,000 posts, 4 chunks).
SETTLED_AFTER = 8
# While verdicts go unused (a re-import: the posts are stored already, the pipeline skips
# them without classifying), only every PROBE_EVERY-th chunk is judged ahead, to notice
# when new posts begin.
PROBE_EVERY = 8
# Turn the event loop this often while reading posts, so the write of the previous batch
# (a background task on aiosqlite's thread) can hand over its next statement.
YIELD_EVERY = 64
LOCAL_YIELD_EVERY = 16  # ... and while classifying here (~100 us a post)
# How long a worker may take to exit once told to (it is idle by then).
EXIT_TIMEOUT_S = 5.0
_WARM_TEXT = "Ночью над областью ПВО уничтожили 3 БПЛА; пострадавших нет."
_FRAME = struct.Struct("!Q")
# A chunk's task or answer is ~100 KB; Linux allows unprivileged pipes up to 1 MiB.
PIPE_BYTES = 1 << 20
# The child: the parent's import path first (it may run from a checkout), then the server.
_BOOTSTRAP = (
    "import pickle, sys; sys.path[:0] = pickle.load(sys.stdin.buffer); "
    "from bot.classify_ahead import serve; serve(sys.stdin.buffer, sys.stdout.buffer)"
)


def usable_cpus() -> int:
    """CPUs this process may run on (the affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_run(classify: Classifier) -> bool:
    """Only a classifier pickled by name (a module-level function) reaches another process."""
    try:
        pickle.dumps(classify)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


# ---------------------------------------------------------------- the worker's side


def judge_chunk(
    classify: Classifier, version: str, home_region: str | None, items: list[Item]
) -> list[Verdict]:
    """The verdicts of (text, posted_at) pairs, in order: what `Batch.judge` would give."""
    return [
        verdict_of(classify(text, home_region=home_region, posted_at=posted_at), version)
        for text, posted_at in items
    ]


def _frame(obj: object) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _FRAME.pack(len(data)) + data


def _read_frame(stream: BinaryIO) -> object | None:
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    return pickle.loads(stream.read(size))


def _widen_pipe(fd: int) -> None:
    """Let a pipe hold a few whole tasks or answers (Linux; elsewhere the default stays):
    with the default 64 KiB, an answer bigger than that blocks the worker until the parent's
    event loop next turns to read it."""
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # not a pipe, or over /proc/sys/fs/pipe-max-size
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    """The worker's loop: a classifier, then tasks (version, home region, items) until EOF;
    one answer per task, in order: ("ok", verdicts) or ("error", what went wrong)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    sys.stdout = sys.stderr  # a stray print() must not land in the answers
    for stream in (inp, out):
        _widen_pipe(stream.fileno())
    classify = _read_frame(inp)
    assert callable(classify)
    classify(_WARM_TEXT)  # the classifier's lazy setup, while the parent checks the input
    out.write(_frame(("ready", None)))
    out.flush()
    while (task := _read_frame(inp)) is not None:
        assert isinstance(task, tuple)
        try:
            answer: tuple[str, object] = ("ok", judge_chunk(classify, *task))
        except Exception as exc:  # the parent classifies this chunk itself and sees it
            answer = ("error", f"{type(exc).__name__}: {exc}")
        out.write(_frame(answer))
        out.flush()


# ---------------------------------------------------------------- the parent's side


class ClassifierPool:
    """One worker process that classifies chunks of posts ahead of the pipeline.

    `async with ClassifierPool(classify, version) as pool:` starts it (it warms up at once)
    and stops it on leaving; `pool.events(posts, home_region)` turns posts into events in
    the same order, `JudgedPost` where the worker judged them. `classify` must pass
    `can_run`. Until the worker has warmed up, and after it failed, chunks go unjudged
    (the pipeline classifies them in-process), so the worker never makes an import slower
    by more than the cost of starting it.
    """

    def __init__(self, classify: Classifier, version: str, *, chunk: int = CHUNK) -> None:
        self._classify = classify
        self._version = version
        self._chunk = chunk
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._warm = False  # the worker said it is ready
        self._alive = False  # started and not ended
        self._settled = asyncio.Event()  # ready, or known not to become ready
        self._answers: deque[asyncio.Future[list[Verdict] | None]] = deque()
        self._chunks = 0  # chunks judged or passed on so far
        self._releases = 0  # chunks handed to the pipeline so far
        # The verdicts of the last judged chunks, with the release count when they went.
        self._recent: deque[tuple[int, list[Verdict]]] = deque(maxlen=SETTLED_AFTER + 2)

    @property
    def working(self) -> bool:
        """True while the worker takes tasks (started, warmed up, not failed)."""
        return self._alive and self._warm

    async def wait_ready(self) -> bool:
        """Wait until the worker has warmed up (or failed to); True if it works."""
        await self._settled.wait()
        return self.working

    async def __aenter__(self) -> ClassifierPool:
        try:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", _BOOTSTRAP,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        except OSError as exc:
            log.warning("no classification worker (%s): classifying in-process", exc)
            self._settled.set()
            return self
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(pickle.dumps(sys.path) + _frame(self._classify))
        self._alive = True
        self._reader = asyncio.create_task(self._read_answers(self._proc.stdout))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None
        self._alive = False
        proc.stdin.close()  # the worker ends at EOF, once its queue is done
        try:
            await asyncio.wait_for(proc.wait(), EXIT_TIMEOUT_S if exc is None else 0.1)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        if self._reader is not None:
            await self._reader

    async def _read_answers(self, stdout: asyncio.StreamReader) -> None:
        """Hand each answer to the oldest task; when the worker ends, fail what is left."""
        try:
            while True:
                head = await stdout.readexactly(_FRAME.size)
                body = await stdout.readexactly(_FRAME.unpack(head)[0])
                kind, value = pickle.loads(body)
                if kind == "ready":
                    self._warm = True
                    self._settled.set()
                elif self._answers:
                    if kind == "error":
                        log.warning("classification worker: %s; classifying in-process", value)
                    _settle(self._answers.popleft(), value if kind == "ok" else None)
        except asyncio.IncompleteReadError:
            pass  # the worker ended (told to, or it died)
        except Exception as exc:  # a broken answer: stop using the worker
            log.warning("classification worker failed (%r): classifying in-process", exc)
        finally:
            self._alive = False
            self._settled.set()
            while self._answers:
                _settle(self._answers.popleft(), None)

    def _submit(
        self, chunk: list[Post], home_region: str | None
    ) -> asyncio.Future[list[Verdict] | None] | None:
        """Send a chunk to the worker; None when it cannot take it (classify in-process)."""
        if not self.working or self._proc is None or self._proc.stdin is None:
            return None
        items = [(p.text, p.date) for p in chunk]
        self._proc.stdin.write(_frame((self._version, home_region, items)))
        answer: asyncio.Future[list[Verdict] | None] = asyncio.get_running_loop().create_future()
        self._answers.append(answer)
        return answer

    async def events(
        self, posts: Iterable[Post], home_region: str | None
    ) -> AsyncIterator[NewPost]:
        """`posts` as events in the same order, each judged by the worker when it could be.

        While the worker is behind (DEPTH chunks queued), this process judges the next
        chunks itself instead of waiting: the two cores share the classifying.
        """
        pending: deque[tuple[list[Post], asyncio.Future[list[Verdict] | None] | None]] = deque()
        chunk: list[Post] = []
        for post in posts:
            chunk.append(post)
            if len(chunk) % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            if len(chunk) < self._chunk:
                continue
            pending.append((chunk, await self._judge(chunk, home_region)))
            chunk = []
            while pending and (len(pending) >= MAX_PENDING or _done(pending[0][1])):
                for event in await self._release(*pending.popleft(), home_region):
                    yield event
        if chunk:
            pending.append((chunk, await self._judge(chunk, home_region)))
        while pending:
            for event in await self._release(*pending.popleft(), home_region):
                yield event

    async def _judge(
        self, chunk: list[Post], home_region: str | None
    ) -> asyncio.Future[list[Verdict] | None] | None:
        """The chunk's verdicts to come: from the worker, or judged here while the worker
        is behind. None (the pipeline judges, or skips repeats) before the worker is ready,
        after it failed, and while verdicts go unused (except every PROBE_EVERY-th chunk,
        which the worker judges, to notice new posts)."""
        self._chunks += 1
        if not self.working:
            return None
        worthwhile = self._worthwhile()
        if worthwhile is False and self._chunks % PROBE_EVERY:
            return None
        if len(self._answers) < DEPTH or worthwhile is False:  # probes: the worker's
            return self._submit(chunk, home_region)
        verdicts = []
        for i, post in enumerate(chunk, 1):
            verdicts.extend(
                judge_chunk(self._classify, self._version, home_region, [(post.text, post.date)])
            )
            if i % LOCAL_YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the worker's answers and the writes through
        done: asyncio.Future[list[Verdict] | None] = asyncio.get_running_loop().create_future()
        done.set_result(verdicts)
        return done

    def _worthwhile(self) -> bool | None:
        """Were at least half the verdicts of the last settled judged chunks used? None
        until there is evidence (a fresh import will use every one, a re-import none)."""
        settled = [v for n, v in self._recent if self._releases - n >= SETTLED_AFTER][-2:]
        if not settled:
            return None
        used = sum(v.used for chunk in settled for v in chunk)
        return 2 * used >= sum(len(chunk) for chunk in settled)

    async def _release(
        self,
        chunk: list[Post],
        answer: asyncio.Future[list[Verdict] | None] | None,
        home_region: str | None,
    ) -> list[NewPost]:
        verdicts = None if answer is None else await answer
        self._releases += 1
        if verdicts is None or len(verdicts) != len(chunk):
            return [NewPost(p) for p in chunk]
        self._recent.append((self._releases, verdicts))
        version = self._version
        return [
            JudgedPost(p, v, home_region, version) for p, v in zip(chunk, verdicts, strict=True)
        ]


def _settle(future: asyncio.Future[list[Verdict] | None], value: object) -> None:
    if not future.done():
        future.set_result(value if isinstance(value, list) else None)


def _done(future: asyncio.Future[list[Verdict] | None] | None) -> bool:
    return future is None or future.done()
