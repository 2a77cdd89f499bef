"""Full downloads under load (issue 19): the whole database as /findings.csv and
/findings.json from gunicorn as the run command serves it, checked byte for byte, while
another client reads pages, and a slow client holds a download open meanwhile.

    .venv/bin/python bench/download.py --database-url postgres://…/perf_bench_100k

Prints one JSON object: the time to write the files after a change (the first request's
wait), each full download's seconds, size and whether its SHA-256 matched the published
checksum, and the page reader's p50/p95/p99 and errors during the downloads.
"""

import argparse
import hashlib
import json
import socket
import threading
import time
import urllib.request

from site_servers import WORK, collect_static, percentile, site_environment, start, stop

PAGES = ["/", "/findings/", "/findings/?service_area=care-leavers",
         "/inspections/harrow-2020-02/findings/24/", "/findings/?q=children"]  # fmt: skip


def fetch(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def full_download(base, path):
    started = time.monotonic()
    digest, size = hashlib.sha256(), 0
    with urllib.request.urlopen(base + path, timeout=600) as response:
        expected = response.headers["X-Checksum-SHA256"]
        length = int(response.headers["Content-Length"])
        while chunk := response.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {
        "path": path,
        "seconds": time.monotonic() - started,
        "bytes": size,
        "content_length": length,
        "checksum_matches": digest.hexdigest() == expected and size == length,
    }


def slow_download(port, path, stop_event, bytes_per_second=200_000):
    """A client on a slow line: reads a little at a time until told to stop."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    while not stop_event.is_set():
        if not sock.recv(bytes_per_second // 10):
            break
        time.sleep(0.1)
    sock.close()


def reader(base, stop_event, times, errors):
    i = 0
    while not stop_event.is_set():
        path = PAGES[i % len(PAGES)]
        i += 1
        started = time.monotonic()
        try:
            status, _, _ = fetch(base + path, timeout=60)
            if status != 200:
                errors.append(status)
        except OSError as error:
            errors.append(str(error))
        times.append((time.monotonic() - started) * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--rounds", type=int, default=3, help="full downloads of each format")
    args = parser.parse_args()
    environment = site_environment(
        args.database_url, DOWNLOADS_DIR=str(WORK / "downloads"), PAGE_CACHE_SECONDS="600"
    )
    collect_static(environment)
    server = start(args.port, environment, workers=2)
    base = f"http://127.0.0.1:{args.port}"
    result = {}
    try:
        for path in PAGES:  # each worker's first visit of each page is not the point
            for _ in range(4):
                fetch(base + path)
        started = time.monotonic()
        fetch(base + "/findings.csv.sha256", timeout=600)  # the first request after a change
        result["write_files_s"] = time.monotonic() - started
        stop_event, times, errors = threading.Event(), [], []
        readers = [threading.Thread(target=reader, args=(base, stop_event, times, errors))]
        slow = threading.Thread(target=slow_download,
                                args=(args.port, "/findings.csv", stop_event))  # fmt: skip
        slow.start()
        for thread in readers:
            thread.start()
        downloads = []
        for _ in range(args.rounds):
            for path in ("/findings.csv", "/findings.json"):
                downloads.append(full_download(base, path))
        stop_event.set()
        for thread in [*readers, slow]:
            thread.join(timeout=60)
        result["downloads"] = downloads
        result["pages_during_downloads"] = {
            "requests": len(times),
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "errors": len(errors),
        }
    finally:
        stop(server)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
