"""A small HTTP server on 127.0.0.1 that plays a provider API in tests: it records every request and
answers from a script of routes. Channels point at it through ``api_base_url``."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProvider:
    def __init__(self):
        self.requests = []  # dicts: method, path, headers, body (bytes), json (or None)
        self.routes = []  # (method, compiled path regex, list of responses; the last one repeats)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def route(self, method, path_regex, *responses):
        """Answer ``method`` requests whose path matches with ``responses`` in turn, each one
        ``(status, body)`` or ``(status, body, headers)`` where body is a dict (JSON), bytes, or
        ``(bytes, content_type)``."""
        self.routes.insert(0, (method, re.compile(path_regex), list(responses)))

    def calls(self, method=None, path_regex=None):
        return [
            r
            for r in self.requests
            if (method is None or r["method"] == method)
            and (path_regex is None or re.search(path_regex, r["path"]))
        ]

    def _answer(self, method, path):
        for route_method, regex, responses in self.routes:
            if route_method == method and regex.search(path):
                return responses.pop(0) if len(responses) > 1 else responses[0]
        return 404, {"error": {"message": f"no fake route for {method} {path}", "code": 100}}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "json": parsed,
                    }
                )
                status, payload, *extra = fake._answer(self.command, self.path)
                content_type = "application/json"
                if isinstance(payload, tuple):
                    payload, content_type = payload
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

        return Handler
