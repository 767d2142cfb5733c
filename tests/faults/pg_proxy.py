"""A TCP proxy in front of PostgreSQL that the fault suite can pause or cut.

Listens on 127.0.0.1, port 0 (``port`` after ``start``), and forwards every
connection to 127.0.0.1:5432 (or ``target``), one pair of pump threads per
connection:

* ``pause()`` — stop forwarding: bytes already sent stay held in the proxy,
  new connections are accepted and held too; what the client sees is a
  database that stopped answering (a network partition, a stalled server);
* ``cut()`` — close every connection now, and refuse (close at once) the
  ones opened until ``restore()``: a restarted or unreachable server;
* ``restore()`` — forward again (held bytes first).
"""

from __future__ import annotations

import contextlib
import socket
import threading

CHUNK = 65536


class PgProxy:
    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.refusing = False
        self.port = 0
        self.connections = 0  # accepted in all
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def start(self) -> PgProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        listener.settimeout(0.2)
        self._listener, self.port = listener, listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True, name="pg-proxy").start()
        return self

    def pause(self) -> None:
        self.flowing.clear()

    def cut(self) -> None:
        self.refusing = True
        with self._lock:
            sockets, self._sockets = set(self._sockets), set()
        for sock in sockets:
            _close(sock)
        self.flowing.set()  # nothing is left to hold

    def restore(self) -> None:
        self.refusing = False
        self.flowing.set()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        if self._listener is not None:
            _close(self._listener)

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            if self.refusing:
                _close(client)
                continue
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        self.flowing.wait()  # a paused proxy holds new connections too
        if self.refusing:
            _close(client)
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _close(client)
            return
        upstream.settimeout(None)
        with self._lock:
            self._sockets |= {client, upstream}
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(CHUNK)
                if not data:
                    break
                self.flowing.wait()  # paused: hold the bytes until restored (or cut)
                if self.refusing:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with self._lock:
                    self._sockets.discard(sock)
                _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
