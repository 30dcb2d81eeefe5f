"""A local stand-in for ClinicalTrials.gov's API, for the registry tests.

A real HTTP server on 127.0.0.1 (in a thread) answers
``/api/v2/studies/<NCT>`` with the recorded answer in ``tests/data/ctgov/``,
so the importer's own HTTP client, timeout and error handling are tested as
they run in production. ``answers`` changes what a path answers.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import override_settings

import pytest

RECORDED = Path(__file__).parent / "data" / "ctgov" / "NCT03039673.json"


class StandIn:
    def __init__(self):
        self.answers = {
            "/api/v2/studies/NCT03039673": (200, RECORDED.read_bytes()),
        }
        self.requests = []
        self.release = threading.Event()  # a "slow" answer waits for it
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stand_in.requests.append(self.path)
                status, body = stand_in.answers.get(self.path, (404, b"{}"))
                if status == "hang":
                    stand_in.release.wait(10)
                    return
                if status == "raw":  # whatever bytes, then the connection ends
                    self.wfile.write(body)
                    self.close_connection = True
                    return
                if status == "trickle":  # one byte at a time, slowly
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for byte in body:
                        if stand_in.release.wait(0.05):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    return
                if status == "slow-headers":  # the head a byte every half second
                    head = (
                        b"HTTP/1.1 200 OK\r\nX-Padding: "
                        + b"." * 120  # a minute's worth
                        + b"\r\nContent-Length: %d\r\n\r\n" % len(body)
                    )
                    for byte in head:
                        if stand_in.release.wait(0.5):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    self.wfile.write(body)
                    return
                if status == "redirect":  # to ``body``, then a body without end
                    self.send_response(302)
                    self.send_header("Location", body.decode())
                    self.end_headers()
                    try:
                        while not stand_in.release.wait(0.05):
                            self.wfile.write(b"moved " * 1000)
                            self.wfile.flush()
                    except OSError:  # the client went: it read no further
                        pass
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/api/v2"
        # Stopped at each test's end: ``shutdown`` waits for the next poll.
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(0.01,), daemon=True
        )

    def answer(self, registry_id, status, body):
        self.answers[f"/api/v2/studies/{registry_id}"] = (status, body)


@pytest.fixture
def ctgov():
    """ClinicalTrials.gov's API stood in for on 127.0.0.1, with
    ``CTGOV_API_URL`` pointing at it. Its timeout leaves a loaded machine
    time to answer; the tests of the timeout set a short one themselves."""
    stand_in = StandIn()
    stand_in.thread.start()
    with override_settings(CTGOV_API_URL=stand_in.base_url, CTGOV_API_TIMEOUT=10):
        yield stand_in
    stand_in.release.set()
    stand_in.server.shutdown()
    stand_in.server.server_close()
