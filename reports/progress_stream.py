"""GET /sse/audits/{id}/progress: an audit's progress as Server-Sent Events.

An open stream holds none of the threads that serve requests: under ASGI the view is a
coroutine whose frames are written by the event loop, and it waits on an `asyncio.Queue`,
never on a thread (Django's ASGI handler keeps one idle thread per request for its
synchronous middleware, blocked while the stream waits). Frames
arrive from Redis pub/sub (reports.progress_events publishes them): one pattern subscription
per process and event loop (`ProgressSubscriptions`) fans them out to the open streams of
that process, so a thousand viewers cost one Redis connection, not a thousand. Without Redis
the stream reads the database every `AUDIT_PROGRESS_POLL_SECONDS`; with it, the database is
read again before each heartbeat, which also makes up for a frame pub/sub lost.

Served under WSGI (`manage.py runserver` in the embedded default) the same coroutine is
driven frame by frame from the request's thread, which it then holds while it runs.

Frames: `data: {json}\\nretry: 5000\\n\\n`; the first at once, then one per change; a
`: heartbeat` comment after `AUDIT_PROGRESS_HEARTBEAT_SECONDS` without one; the stream ends
after a `completed` or `failed` frame, or after `AUDIT_PROGRESS_STREAM_MAX_SECONDS` with
`data: {"error": "Stream timeout"}`.
"""

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from authn.auth0_authentication import Auth0Authentication
from errors import catalog
from errors.apis import LATENTGEO
from errors.exceptions import ApiError
from errors.handler import exception_response
from errors.rendering import spec_response
from reports.progress_events import (
    TERMINAL_STATUSES,
    audit_progress_channel_prefix,
    audit_progress_frame,
    audit_progress_frame_read,
)
from reports.selectors import audit_get_from_path

logger = logging.getLogger(__name__)

RETRY_MILLISECONDS = 5000
HEARTBEAT = b": heartbeat\n\n"
TIMEOUT_FRAME = {"error": "Stream timeout"}
SUBSCRIBE_WAIT_SECONDS = 2
RECONNECT_SECONDS = 1
QUEUE_SIZE = 32


def sse_frame(data: dict) -> bytes:
    """One event: `data: {json}` and the client's reconnection delay."""
    return f"data: {json.dumps(data)}\nretry: {RETRY_MILLISECONDS}\n\n".encode()


class ProgressSubscriptions:
    """One Redis pattern subscription of this event loop, fanned out to its open streams."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._prefix = audit_progress_channel_prefix()
        self._queues: dict[int, set[asyncio.Queue]] = {}
        self._subscribed = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def open(self, audit_id: int) -> asyncio.Queue:
        """A queue that receives the audit's frames until `close`."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues.setdefault(audit_id, set()).add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._listen())
        # Read the first frame only once subscribed, so no change falls in between.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), SUBSCRIBE_WAIT_SECONDS)
        return queue

    def close(self, audit_id: int, queue: asyncio.Queue) -> None:
        """Stop delivering to `queue`."""
        queues = self._queues.get(audit_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[audit_id]

    async def _listen(self) -> None:
        from redis import asyncio as redis_asyncio
        from redis.exceptions import RedisError

        while True:
            try:
                client = redis_asyncio.from_url(self._url)
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self._prefix}*")
                    async for message in pubsub.listen():
                        if message["type"] == "psubscribe":
                            self._subscribed.set()
                        elif message["type"] == "pmessage":
                            self._deliver(message["channel"], message["data"])
            except (RedisError, OSError):
                self._subscribed.clear()
                logger.warning("audit_progress_subscription_lost", exc_info=True)
                await asyncio.sleep(RECONNECT_SECONDS)
            finally:
                await client.aclose()

    def _deliver(self, channel: bytes, data: bytes) -> None:
        try:
            audit_id = int(channel.decode().removeprefix(self._prefix))
            frame = json.loads(data)
        except ValueError:
            return
        for queue in self._queues.get(audit_id, ()):
            if queue.full():
                # A slow reader only needs the latest state.
                queue.get_nowait()
            queue.put_nowait(frame)


_subscriptions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ProgressSubscriptions]" = (
    weakref.WeakKeyDictionary()
)


def _loop_subscriptions() -> ProgressSubscriptions:
    loop = asyncio.get_running_loop()
    if loop not in _subscriptions:
        _subscriptions[loop] = ProgressSubscriptions(settings.REDIS_URL)
    return _subscriptions[loop]


_frame_read = sync_to_async(audit_progress_frame_read, thread_sensitive=False)


async def audit_progress_frames(
    *, audit_id: int, first: dict, subscribe: bool
) -> AsyncIterator[bytes]:
    """The stream's bytes: the first frame, then changes, heartbeats and the end."""
    subscriptions = _loop_subscriptions() if subscribe else None
    queue = await subscriptions.open(audit_id) if subscriptions is not None else None
    try:
        loop = asyncio.get_running_loop()
        if queue is not None:
            first = await _frame_read(audit_id=audit_id) or first
        yield sse_frame(first)
        if first["status"] in TERMINAL_STATUSES:
            return
        heartbeat = settings.AUDIT_PROGRESS_HEARTBEAT_SECONDS
        poll = settings.AUDIT_PROGRESS_POLL_SECONDS
        deadline = loop.time() + settings.AUDIT_PROGRESS_STREAM_MAX_SECONDS
        last, quiet_since = first, loop.time()
        while True:
            now = loop.time()
            wait = min(quiet_since + heartbeat, deadline) - now
            if queue is None:
                wait = min(wait, poll)
            current = None
            if wait > 0 and queue is not None:
                try:
                    current = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    current = None
            elif wait > 0:
                await asyncio.sleep(wait)
            now = loop.time()
            if now >= deadline:
                yield sse_frame(TIMEOUT_FRAME)
                return
            if current is None and (queue is None or now >= quiet_since + heartbeat):
                current = await _frame_read(audit_id=audit_id)
                if current is None:
                    return
            if current is not None and current != last:
                yield sse_frame(current)
                last, quiet_since = current, now
                if current["status"] in TERMINAL_STATUSES:
                    return
            elif now >= quiet_since + heartbeat:
                yield HEARTBEAT
                quiet_since = now
    finally:
        if queue is not None:
            subscriptions.close(audit_id, queue)


def _frames_in_thread(frames: AsyncIterator[bytes]) -> Iterator[bytes]:
    """Drive the async frames from a WSGI worker's thread, one frame at a time."""
    # One private loop for the whole stream: a loop per frame (async_to_sync) would close
    # the generator when its first loop shuts down.
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                yield loop.run_until_complete(anext(frames))
            except StopAsyncIteration:
                return
    finally:
        loop.run_until_complete(frames.aclose())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


def _owned_first_frame(request: HttpRequest, audit_id: str) -> dict:
    user, _token = Auth0Authentication().authenticate(request)
    audit = audit_get_from_path(audit_id=audit_id, user=user)
    return audit_progress_frame(audit=audit)


@csrf_exempt
async def audit_progress_stream(request: HttpRequest, audit_id: str) -> HttpResponse:
    """The audit's progress as `text/event-stream`, once the caller is found to own it."""
    if request.method != "GET":
        return spec_response(LATENTGEO, catalog.METHOD_NOT_ALLOWED)
    try:
        first = await sync_to_async(_owned_first_frame, thread_sensitive=False)(request, audit_id)
    except ApiError as exc:
        return exception_response(LATENTGEO, exc)
    except Exception as exc:
        return exception_response(LATENTGEO, exc)
    under_asgi = isinstance(request, ASGIRequest)
    frames = audit_progress_frames(
        audit_id=first["audit_id"], first=first, subscribe=under_asgi and bool(settings.REDIS_URL)
    )
    response = StreamingHttpResponse(
        frames if under_asgi else _frames_in_thread(frames), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
