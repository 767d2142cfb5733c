"""One Socket Mode connection attempt that fails instead of retrying forever.

slack_sdk's ``SocketModeClient.connect()`` catches every error, logs
"Failed to connect … Retrying…" with a traceback and tries again every
``ping_interval`` seconds, forever — so ``connect_async()`` never returns
while Slack is unreachable. Vigil's supervisor owns retrying (capped backoff,
one line per attempt): here that log call ends the attempt with the error, and
later ones (the client reconnecting by itself after a drop) are remembered as
``last_error`` for the supervisor instead of printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

FAILED = "Failed to connect"


class AttemptLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The client's logger: its connect failures become ``failures``, not tracebacks."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(logger, {})
        self.failure: asyncio.Future[BaseException] = (
            asyncio.get_running_loop().create_future())
        self.last_error: str | None = None

    @property
    def level(self) -> int:
        """Bolt reads ``client.logger.level`` after each acknowledgement (an adapter has none)."""
        return self.logger.level

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if not str(msg).startswith(FAILED):
            self.logger.exception(msg, *args, **kwargs)
            return
        exc = sys.exc_info()[1] or ConnectionError(str(msg))
        self.last_error = f"{type(exc).__name__}: {exc}"
        if not self.failure.done():
            self.failure.set_result(exc)


async def connect_once(app: AsyncApp, app_token: str) -> tuple[AsyncSocketModeHandler,
                                                                 AttemptLogger]:
    """Connect over Socket Mode, or raise the first error (nothing left open then)."""
    # Under slack_sdk, so VIGIL_LIBRARY_LOG_LEVEL applies (Bolt's app logger follows the root's).
    logger = AttemptLogger(logging.getLogger("slack_sdk.socket_mode.vigil"))
    handler = AsyncSocketModeHandler(app, app_token, logger=logger)  # type: ignore[arg-type]
    connecting = asyncio.ensure_future(handler.connect_async())
    try:
        await asyncio.wait({connecting, logger.failure},
                           return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # cancelled (stop, or the supervisor's attempt timeout)
        connecting.cancel()
        with contextlib.suppress(BaseException):
            await handler.close_async()
        raise
    if connecting.done() and connecting.exception() is None:
        return handler, logger
    connecting.cancel()
    with contextlib.suppress(BaseException):
        await connecting
    with contextlib.suppress(Exception):
        await handler.close_async()
    error = (connecting.exception() if connecting.done() and not connecting.cancelled()
             else None) or logger.failure.result()
    raise ConnectionError(f"Slack Socket Mode: {type(error).__name__}: {error}") from error
