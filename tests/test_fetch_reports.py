"""fetch_reports against a real HTTP server on 127.0.0.1, serving copies of shared PDFs."""

import functools
import hashlib
import http.server
import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.manifest import Entry, read_manifest, write_manifest

SHARED_REPORTS = Path(__file__).resolve().parent.parent.parent / "shared" / "reports"
FILES = ["walsall-published-2025-07-08.pdf", "surrey-published-2025-05-09.pdf"]


class Handler(http.server.SimpleHTTPRequestHandler):
    requests = []

    def do_GET(self):
        Handler.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        """Quiet: the test checks what was asked for."""


@pytest.fixture
def server(tmp_path):
    """(base URL, served folder): a threaded HTTP server on a free local port."""
    served = tmp_path / "served"
    served.mkdir()
    for name in FILES:
        source = SHARED_REPORTS / name
        assert source.exists(), f"{source} is missing: the tests need the shared folder"
        shutil.copy(source, served / name)
    Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(served))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", served
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def manifest(tmp_path):
    """The committed manifest's rows for the two files."""
    rows = [entry for entry in read_manifest() if entry.file in FILES]
    assert sorted(entry.file for entry in rows) == sorted(FILES)
    path = tmp_path / "manifest.csv"
    write_manifest(rows, path)
    return path, rows


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(*args):
    out, err = StringIO(), StringIO()
    call_command("fetch_reports", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_fetch_downloads_verifies_and_then_skips_what_is_there(server, manifest, tmp_path):
    base_url, _ = server
    path, rows = manifest
    into = tmp_path / "reports"
    output = fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url)
    assert "2 downloaded, 0 already there, 0 refused" in output
    for entry in rows:
        assert sha256(into / entry.file) == entry.sha256
    assert sorted(p.name for p in into.iterdir()) == sorted(FILES)  # no partial files left
    assert sorted(Handler.requests) == sorted(f"/{name}" for name in FILES)
    output = fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url)
    assert "0 downloaded, 2 already there" in output
    assert len(Handler.requests) == 2  # nothing asked for again


def test_a_wrong_checksum_is_refused_and_not_kept(server, manifest, tmp_path):
    base_url, served = server
    path, rows = manifest
    walsall = next(entry for entry in rows if entry.file.startswith("walsall"))
    served_file = served / walsall.file
    data = bytearray(served_file.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed: the same size, another checksum
    served_file.write_bytes(bytes(data))
    into = tmp_path / "reports"
    with pytest.raises(CommandError) as raised:
        fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url)
    assert f"{walsall.file}: wrong checksum" in str(raised.value)
    assert "1 of 2 reports not fetched" in str(raised.value)
    assert not (into / walsall.file).exists()
    assert [p.name for p in into.iterdir()] == ["surrey-published-2025-05-09.pdf"]


def test_a_file_already_there_with_the_wrong_checksum_is_downloaded_again(
    server, manifest, tmp_path
):
    base_url, _ = server
    path, rows = manifest
    into = tmp_path / "reports"
    into.mkdir()
    (into / rows[0].file).write_bytes(b"half a download")
    fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url)
    assert sha256(into / rows[0].file) == rows[0].sha256


def test_files_already_in_folders_under_it_are_not_downloaded_again(server, manifest, tmp_path):
    """The shared folder's layout (reports/ and corpus/ under REPORTS_DIR): fetching into it
    downloads only what is missing, not all 416 files again beside them."""
    base_url, _ = server
    path, rows = manifest
    into = tmp_path / "shared"
    (into / "corpus").mkdir(parents=True)
    shutil.copy(SHARED_REPORTS / rows[0].file, into / "corpus" / rows[0].file)
    output = fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url)
    assert "1 downloaded, 1 already there" in output
    assert Handler.requests == [f"/{rows[1].file}"]
    assert not (into / rows[0].file).exists()
    assert sha256(into / rows[1].file) == rows[1].sha256


def test_missing_files_and_oversized_files_are_refused_by_name(server, manifest, tmp_path):
    base_url, _ = server
    path, rows = manifest
    missing = Entry("walsall", "walsall-missing.pdf", "80574", None, "", "0" * 64, 10)
    write_manifest([*rows, missing], path)
    into = tmp_path / "reports"
    with pytest.raises(CommandError) as raised:
        fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url,
              "--max-bytes", "1000")  # fmt: skip
    message = str(raised.value)
    assert "3 of 3 reports not fetched" in message
    assert "walsall-missing.pdf: " in message and "answered 404" in message
    assert "larger than 1000 bytes" in message
    assert not into.exists() or not list(into.iterdir())


def test_a_council_filter_and_a_missing_manifest(server, manifest, tmp_path):
    base_url, _ = server
    path, _ = manifest
    into = tmp_path / "reports"
    output = fetch("--manifest", str(path), "--into", str(into), "--base-url", base_url,
                   "--council", "surrey")  # fmt: skip
    assert "1 downloaded" in output
    assert [p.name for p in into.iterdir()] == ["surrey-published-2025-05-09.pdf"]
    with pytest.raises(CommandError, match="There is no manifest at"):
        fetch("--manifest", str(tmp_path / "nowhere.csv"), "--into", str(into))
