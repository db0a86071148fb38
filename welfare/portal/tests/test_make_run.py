"""`make run` as a newcomer starts it: the portal answers, and the worker beside it prints every email the demo
sends, with links to this very server (issue 17, defect 1: nothing was ever sent); the scheduler ticks, so
/healthz is green; Ctrl-C stops all three."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gunicorn").exists(), reason="needs the project's .venv (make)")
def test_make_run_serves_the_portal_and_prints_the_demos_emails(tmp_path):
    port = free_port()
    # A demo of its own: SQLite in a temporary directory, whatever database the tests use.
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "PORTAL_URL", "DEBUG"}}
    env |= {"VAR_DIR": str(tmp_path), "STATIC_ROOT": str(tmp_path / "static")}
    log = tmp_path / "run.log"
    with log.open("w") as output:
        demo = subprocess.Popen(
            ["make", "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        answered = emailed = healthy = False
        while time.monotonic() < deadline and not (answered and emailed and healthy):
            time.sleep(2)
            assert demo.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    answered = response.status == 200
            except OSError:
                continue
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    healthy = response.status == 200
            except OSError:
                healthy = False
            text = log.read_text()
            email = (
                text[text.find("To: marco.colombo@example.org") :] if "To: marco.colombo@example.org" in text else ""
            )
            emailed = f"http://127.0.0.1:{port}/area-riservata/" in email.replace("=\n", "")
        text = log.read_text()
        assert answered, text[-3000:]
        assert emailed, "no email printed with a link to this server:\n" + text[-3000:]
        assert healthy, "/healthz never answered 200 (worker and scheduler):\n" + text[-3000:]
        assert "http://127.0.0.1:8000/" not in text or port == 8000
    finally:
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
        demo.wait(timeout=30)
    time.sleep(2)
    left = subprocess.run(["pgrep", "-g", str(demo.pid)], capture_output=True, text=True, check=False)
    assert not left.stdout.strip(), "gunicorn, the worker or the scheduler outlived make run"
