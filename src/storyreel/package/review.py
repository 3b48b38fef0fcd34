"""``storyreel review``: the output folder served on the loopback interface, with the
gallery page at ``/`` and reviewers' decisions taken at ``POST /api/review``.

The standard library's threading HTTP server is enough: one reviewer or a few, on the
same machine (loopback by default). Files are served from the output folder only; the
page loads nothing from anywhere else.
"""

from __future__ import annotations

import json
import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from storyreel.errors import StoryreelError
from storyreel.package.catalog import Render, approval, decide, find_renders, read_review, refresh
from storyreel.package.gallery import BADGES, gallery_html
from storyreel.package.platforms import Platforms

_MAX_BODY = 64 * 1024
_TYPES = {".vtt": "text/vtt; charset=utf-8", ".srt": "text/plain; charset=utf-8",
          ".ass": "text/plain; charset=utf-8", ".mp4": "video/mp4", ".json":
          "application/json; charset=utf-8", ".csv": "text/csv; charset=utf-8"}


class _Handler(SimpleHTTPRequestHandler):
    out_root: Path
    platforms: Platforms
    project: Path | None
    lock: threading.Lock

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return _TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the CLI says enough
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(),
                   "application/json; charset=utf-8")

    def do_GET(self) -> None:
        if self.path.split("?")[0] in ("/", "/review", "/review.html"):
            renders = find_renders(self.out_root)
            html = gallery_html(self.out_root, renders, self.platforms,
                                read_review(self.out_root), server=True, project=self.project)
            self._send(HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def do_POST(self) -> None:
        if self.path != "/api/review":
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= _MAX_BODY:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "send a JSON body"})
            return
        try:
            body = json.loads(self.rfile.read(length))
            with self.lock:
                decision = decide(self.out_root, str(body.get("key", "")),
                                  str(body.get("status", "")), str(body.get("who", "")),
                                  str(body.get("comment", "")))
                refresh(self.out_root, self.platforms, self.project)
                render: Render = next(r for r in find_renders(self.out_root)
                                      if r.key == body["key"])
                state = approval(render, read_review(self.out_root))
        except (ValueError, AttributeError):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "send a JSON object"})
            return
        except StoryreelError as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
            return
        self._json(HTTPStatus.OK, {"decision": decision, "approval": state,
                                   "label": BADGES[state]})


def make_server(out_root: Path, platforms: Platforms, host: str = "127.0.0.1",
                port: int = 8765, project: Path | None = None) -> ThreadingHTTPServer:
    """A server of ``out_root`` (not yet serving: call ``serve_forever``); ``project``
    is where the renders' storyboards are (default: the working folder)."""
    handler = type("Handler", (_Handler,), {
        "out_root": out_root.resolve(), "platforms": platforms, "project": project,
        "lock": threading.Lock()})
    refresh(out_root, platforms, project)
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(out_root)))
