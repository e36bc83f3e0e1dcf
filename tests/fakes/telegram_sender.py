"""The transport seam: a duck-typed ``MTProtoSender`` that talks to an in-process fake server.

Why: everything above the sender stays real Telethon (``_call`` with its FloodWait and entity
caching, the MessageBox with pts/gaps/differences, event builders, ``iter_messages`` paging),
so tests exercise the code paths production runs. Requests and results make a real wire
round trip (``bytes()`` then ``BinaryReader``): malformed TL fails here rather than in
production, and every client gets fresh objects (Telethon mutates the messages it receives).

``HOOKS`` lists every Telethon internal this module and ``attach()`` rely on; ``missing_hooks()``
is what the harness test calls so that an upgrade that moves one fails loudly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import inspect
import logging
import struct
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import telethon
from telethon import errors, utils
from telethon.crypto import AuthKey
from telethon.extensions import BinaryReader
from telethon.network.mtprotosender import MTProtoSender
from telethon.network.requeststate import RequestState
from telethon.tl import types
from telethon.tl.tlobject import TLObject

if TYPE_CHECKING:
    from telethon import TelegramClient

#: Telethon (major, minor) range this harness accepts: the pyproject pin. The suite was run
#: on 1.45.0 only; widen the range after running it on the new version.
SUPPORTED_TELETHON = ((1, 40), (1, 45))

#: (object, attribute) pairs the fake relies on; a Telethon bump that moves one must fail loudly.
HOOKS: tuple[tuple[str, str], ...] = (
    ("telethon.client.telegrambaseclient", "MTProtoSender"),
    ("telethon.network.mtprotosender.MTProtoSender", "_store_own_updates"),
    ("telethon.network.requeststate.RequestState", "__init__"),
    ("telethon.TelegramClient", "_handle_auto_reconnect"),
    ("telethon.TelegramClient", "_auth_key_callback"),
    ("telethon.TelegramClient", "_update_loop"),
    ("telethon.errors", "rpc_message_to_error"),
    ("telethon.errors.rpcerrorlist", "rpc_errors_dict"),
    ("telethon._updates.messagebox", "POSSIBLE_GAP_TIMEOUT"),
    ("telethon._updates.messagebox", "NO_UPDATES_TIMEOUT"),
    ("telethon.extensions.BinaryReader", "tgread_object"),
    ("telethon.tl.tlobject.TLRequest", "read_result"),
    ("telethon.network.connection.connection.Connection", "connect"),
)
#: Attributes set on every TelegramClient instance that ``attach()`` reads.
CLIENT_ATTRS = (
    "_sender",
    "_updates_queue",
    "_log",
    "_auto_reconnect",
    "_flood_waited_requests",
    "_mb_entity_cache",
)

_VECTOR = 0x1CB5C415
_BOOL_TRUE = 0x997275B5
_BOOL_FALSE = 0xBC799737
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_log = logging.getLogger(__name__)


class RpcFail(Exception):
    """Raised by a fake handler: becomes the same RPCError subclass Telegram's answer would."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


class NotFaked(AssertionError):
    """A request the fake has no handler for: an AssertionError so no RPCError catch hides it."""


class Server(Protocol):
    """What the sender needs from the world (``FakeTelegram`` implements it)."""

    decode_requests: bool
    #: Seconds from a request to its answer (0: the loop's next turn).
    latency: float

    def handle(self, sender: FakeSender, request: TLObject) -> object: ...
    def answered(self, request: TLObject) -> None: ...
    def new_auth_key(self) -> bytes: ...
    def register(self, sender: FakeSender) -> None: ...
    def unregister(self, sender: FakeSender) -> None: ...
    def is_reachable(self, sender: FakeSender) -> bool: ...


def telethon_version() -> tuple[int, int]:
    """The installed Telethon's (major, minor)."""
    major, minor = telethon.__version__.split(".")[:2]
    return int(major), int(minor)


def _resolve(dotted: str) -> Any:
    """Import the longest module prefix of ``dotted``, then walk the remaining attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name, None)
        return obj
    return None


def missing_hooks() -> list[str]:
    """Every hook that no longer exists, phrased so a failing test says what moved."""
    problems = [
        f"{owner}.{attr} is gone in Telethon {telethon.__version__}"
        for owner, attr in HOOKS
        if not hasattr(_resolve(owner), attr)
    ]
    params = inspect.signature(MTProtoSender.__init__).parameters
    for kw in (
        "auth_key",
        "loggers",
        "updates_queue",
        "auth_key_callback",
        "auto_reconnect_callback",
    ):
        if kw not in params:
            problems.append(f"MTProtoSender.__init__ lost its {kw!r} parameter")
    surface = {n for n in vars(MTProtoSender) if not n.startswith("_")}
    problems += [
        f"MTProtoSender.{name} is new in Telethon {telethon.__version__}: FakeSender lacks it"
        for name in sorted(surface - set(dir(FakeSender)))
    ]
    return problems


def missing_client_attrs(client: TelegramClient) -> list[str]:
    """Client instance attributes ``attach()`` and the tests touch that no longer exist."""
    return [
        f"TelegramClient instance has no {name} in Telethon {telethon.__version__}"
        for name in CLIENT_ATTRS
        if not hasattr(client, name)
    ]


def make(cls: type, **kwargs: Any) -> Any:
    """Build a TL object, zero-filling required scalar/list/date fields the layer added.

    Why: constructors such as ``Config`` and ``Dialog`` gain required fields between layers;
    naming only what matters keeps the fake working across Telethon bumps.
    """
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or name in kwargs or param.default is not inspect.Parameter.empty:
            continue
        text = str(param.annotation)
        if param.annotation is int:
            kwargs[name] = 0
        elif param.annotation is str:
            kwargs[name] = ""
        elif param.annotation is bool:
            kwargs[name] = False
        elif param.annotation is bytes:
            kwargs[name] = b""
        elif text.startswith("typing.List") or text.startswith("list"):
            kwargs[name] = []
        elif "datetime" in text:
            kwargs[name] = _EPOCH
        else:
            raise TypeError(f"make({cls.__name__}): required field {name!r} ({text}) not given")
    return cls(**kwargs)


def encode(result: object) -> bytes:
    """Serialize a handler's answer as it would travel on the wire."""
    if isinstance(result, bool):
        return struct.pack("<I", _BOOL_TRUE if result else _BOOL_FALSE)
    if isinstance(result, TLObject):
        return bytes(result)
    if isinstance(result, list):
        if not all(isinstance(item, TLObject) for item in result):
            raise TypeError(f"fake answered a vector of non-TL items: {result!r}")
        return struct.pack("<Ii", _VECTOR, len(result)) + b"".join(bytes(x) for x in result)
    raise TypeError(f"fake handler answered {type(result).__name__}, not a TL object")


def clone(obj: TLObject) -> Any:
    """A fresh copy through the wire format, so no two parties share a mutable object."""
    return BinaryReader(bytes(obj)).tgread_object()


def _maybe_await(value: object) -> Awaitable[object] | None:
    """``auth_key_callback`` is sync up to Telethon 1.37 and async from 1.40."""
    return value if inspect.isawaitable(value) else None


class FakeSender:
    """Stands in for ``MTProtoSender``: same constructor, same surface the client calls."""

    def __init__(
        self,
        server: Server,
        auth_key: AuthKey | None = None,
        *,
        loggers: object = None,
        updates_queue: asyncio.Queue[Any] | None = None,
        auth_key_callback: Callable[[AuthKey], object] | None = None,
        auto_reconnect_callback: Callable[[], Awaitable[None]] | None = None,
        auto_reconnect: bool = True,
        **_: object,
    ) -> None:
        self._server = server
        self.auth_key = auth_key or AuthKey(None)
        self._updates_queue = updates_queue
        self._auth_key_callback = auth_key_callback
        self._auto_reconnect_callback = auto_reconnect_callback
        self._auto_reconnect = auto_reconnect
        self._user_connected = False
        self._link = asyncio.Event()
        self._disconnected_future: asyncio.Future[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: set[asyncio.Future[Any]] = set()
        self._connection: object = None
        self.receives_updates = True
        self.dc_id = 2

    # -- the surface TelegramClient calls -------------------------------------------------
    async def connect(self, connection: object) -> bool:
        """Like the real one: False if already connected; makes an auth key if there is none."""
        if self._user_connected:
            return False
        if not self._server.is_reachable(self):
            raise ConnectionError(
                "Connection to Telegram failed: the fake says this account is offline"
            )
        self._connection = connection
        if not self.auth_key:
            self.auth_key.key = self._server.new_auth_key()
            if self._auth_key_callback is not None:
                pending = _maybe_await(self._auth_key_callback(self.auth_key))
                if pending is not None:
                    await pending
        self._user_connected = True
        self._disconnected_future = asyncio.get_running_loop().create_future()
        self._link.set()
        self._server.register(self)
        return True

    def is_connected(self) -> bool:
        return self._user_connected

    def _transport_connected(self) -> bool:
        return self._user_connected and self._link.is_set()

    def _keepalive_ping(self, rnd_id: int) -> None:
        """The real one sends PingDelayDisconnect; the fake connection never goes stale."""

    async def disconnect(self) -> None:
        await self._shutdown(None)

    @property
    def disconnected(self) -> asyncio.Future[None]:
        if self._disconnected_future is None:
            self._disconnected_future = asyncio.get_running_loop().create_future()
            self._disconnected_future.set_result(None)
        return asyncio.shield(self._disconnected_future)

    def send(self, request: Any, ordered: bool = False) -> Any:
        """Queue the request(s); a task answers each through the server, as the recv loop would."""
        if not self._user_connected:
            raise ConnectionError("Cannot send requests while disconnected")
        if utils.is_list_like(request):
            return [self._send_one(r) for r in request]
        return self._send_one(request)

    # -- fake-side helpers ----------------------------------------------------------------
    @property
    def online(self) -> bool:
        """Connected with a live link: pushes reach this client."""
        return self._transport_connected() and self.receives_updates

    def push(self, updates: TLObject) -> None:
        """A server push: what ``MTProtoSender._handle_update`` would queue."""
        if self._updates_queue is not None and self.online:
            self._updates_queue.put_nowait(clone(updates))

    def drop(self) -> None:
        """The connection dies under the client; auto-reconnect decides what happens next."""
        if not self._transport_connected():
            return
        self._link.clear()
        self._server.unregister(self)
        if self._auto_reconnect:
            self._spawn(self._reconnect())
        else:
            error = ConnectionError("Connection to Telegram lost (fake drop_connection)")
            self._spawn(self._shutdown(error))

    async def _reconnect(self) -> None:
        while not self._server.is_reachable(self):
            await asyncio.sleep(0.01)
        if not self._user_connected:
            return
        self._link.set()
        self._server.register(self)
        if self._auto_reconnect_callback is not None:
            self._spawn(self._auto_reconnect_callback())

    async def _shutdown(self, error: Exception | None) -> None:
        was_connected = self._user_connected
        self._user_connected = False
        self._link.clear()
        self._server.unregister(self)
        for future in list(self._pending):
            if not future.done():
                if error is not None:
                    future.set_exception(error)
                else:
                    future.cancel()
        self._pending.clear()
        for task in list(self._tasks):
            if task is not asyncio.current_task():
                task.cancel()
        fut = self._disconnected_future
        if was_connected and fut is not None and not fut.done():
            if error is not None:
                fut.set_exception(error)
            else:
                fut.set_result(None)

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _send_one(self, request: TLObject) -> asyncio.Future[Any]:
        state = RequestState(request)
        self._pending.add(state.future)
        if self._link.is_set():  # the server has it now; the answer comes later
            self._answer(state)
        else:
            self._spawn(self._serve(state))
        return state.future

    async def _serve(self, state: RequestState) -> None:
        """Wait for the link to come back, then answer."""
        await self._link.wait()
        self._answer(state)

    def _answer(self, state: RequestState) -> None:
        """Decode what went on the wire and answer it (the server acts now); the client gets
        the answer, decoded like the recv loop would, on the loop's next turn or, with the
        server's ``latency``, that many seconds later (asyncio time: virtual under
        ``fakes.testing.VirtualTimeLoop``)."""
        if state.future.done():  # the connection was shut down meanwhile
            return
        if not self._link.is_set():  # it dropped meanwhile: wait for a reconnect
            self._spawn(self._serve(state))
            return
        received: TLObject = state.request
        result: Any = None
        error: Exception | None = None
        try:
            if self._server.decode_requests:
                received = BinaryReader(state.data).tgread_object()
            answer = self._server.handle(self, received)
            result = state.request.read_result(BinaryReader(encode(answer)))
        except RpcFail as fail:
            error = errors.rpc_message_to_error(
                types.RpcError(fail.code, fail.message), state.request
            )
        except Exception as exc:  # a fake bug or NotFaked: surface it to the caller loudly
            _log.debug("fake server raised %r for %s", exc, type(state.request).__name__)
            error = exc
        loop = asyncio.get_running_loop()
        args = (state.future, received, result, error)
        if self._server.latency > 0:
            loop.call_later(self._server.latency, self._settle, *args)
        else:
            loop.call_soon(self._settle, *args)

    def _settle(
        self, future: asyncio.Future[Any], request: TLObject, result: Any,
        error: Exception | None,
    ) -> None:  # fmt: skip
        self._pending.discard(future)
        if future.done():  # the connection was shut down before the answer came
            return
        self._server.answered(request)
        if error is not None:
            future.set_exception(error)
            return
        MTProtoSender._store_own_updates(self, result)  # type: ignore[arg-type]
        future.set_result(result)


def attach(server: Server, client: TelegramClient) -> FakeSender:
    """Swap a built, not yet connected client's sender for a fake one bound to ``server``."""
    if client.is_connected():
        raise RuntimeError("attach() needs a client that is not connected yet")
    sender = FakeSender(
        server,
        client.session.auth_key,
        loggers=client._log,
        updates_queue=client._updates_queue,
        auth_key_callback=client._auth_key_callback,
        auto_reconnect_callback=client._handle_auto_reconnect,
        auto_reconnect=client._auto_reconnect,
    )
    client._sender = sender
    return sender
