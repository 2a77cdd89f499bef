"""The whole database as /findings.csv and /findings.json (judgements/downloads.py): files
written once per data change, sent whole with their size and checksum, in the same
format as the filtered CSV, and never holding up other visitors however slowly they are
read."""

import base64
import csv
import datetime
import hashlib
import io
import json
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.test import RequestFactory

from harrow_inspection import spreadsheets
from judgements import export
from judgements.filters import LIST_ORDER
from judgements.models import Finding, Grade, ServiceAreaTag
from tests.servers import gunicorn


@pytest.fixture(autouse=True)
def downloads_dir(settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    return settings.DOWNLOADS_DIR


def body(response):
    return b"".join(response.streaming_content)


def streamed_csv():
    """The whole CSV as judgements/export.py streams a filtered one."""
    return body(export.findings_csv(RequestFactory().get("/findings.csv")))


@pytest.mark.django_db
def test_the_full_csv_is_the_exports_csv_whole_with_its_size_and_checksum(client, harrow, tmp_path):
    response = client.get("/findings.csv")
    assert response.status_code == 200
    content = body(response)
    assert content == streamed_csv()  # one CSV format, whichever way it is asked for
    assert int(response["Content-Length"]) == len(content)
    digest = hashlib.sha256(content).hexdigest()
    assert response["X-Checksum-SHA256"] == digest
    assert response["Repr-Digest"] == (
        f"sha-256=:{base64.b64encode(hashlib.sha256(content).digest()).decode()}:"
    )
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="findings-all-{today}.csv"'
    line = client.get("/findings.csv.sha256").content.decode()
    assert line == f"{digest}  findings-all-{today}.csv\n"
    # saved as a browser saves them, the checksum file checks the download beside it
    (tmp_path / f"findings-all-{today}.csv").write_bytes(content)
    (tmp_path / "findings.csv.sha256").write_text(line)
    checked = subprocess.run(
        ["/usr/bin/sha256sum", "-c", "findings.csv.sha256"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert len(rows) == 1 + Finding.objects.count()


@pytest.mark.django_db
def test_the_json_has_every_finding_verbatim_under_the_csvs_column_names(client, harrow):
    response = client.get("/findings.json")
    content = body(response)
    findings = json.loads(content)
    assert len(findings) == Finding.objects.count()
    assert list(findings[0]) == export.COLUMNS
    by_paragraph = {f["paragraph"]: f for f in findings if f["inspection"] == harrow.slug}
    assert by_paragraph[24]["text"] == Finding.objects.get(inspection=harrow, number=24).text
    assert response["X-Checksum-SHA256"] == hashlib.sha256(content).hexdigest()
    refused = client.get("/findings.json?service_area=care-leavers")
    assert refused.status_code == 400
    assert "/api/findings/" in refused.json()["detail"]


@pytest.mark.django_db
def test_a_filtered_csv_is_still_streamed_from_the_database(client, harrow):
    response = client.get("/findings.csv?service_area=care-leavers")
    assert response.streaming
    assert "Content-Length" not in response
    rows = list(csv.reader(io.StringIO(body(response).decode())))
    assert 1 < len(rows) < 1 + Finding.objects.count()


@pytest.mark.django_db
def test_an_edit_shows_in_the_next_download_and_the_old_file_goes(client, harrow, downloads_dir):
    before = client.get("/findings.csv")
    old = body(before)
    finding = Finding.objects.get(inspection=harrow, number=24)
    finding.text = "A corrected sentence about pathway plans."
    finding.save()
    after = client.get("/findings.csv")
    new = body(after)
    assert b"A corrected sentence about pathway plans." in new
    assert after["X-Checksum-SHA256"] != before["X-Checksum-SHA256"]
    assert new == streamed_csv()
    assert old != new
    left = sorted(path.suffix for path in Path(downloads_dir).glob("findings-*"))
    assert left == [".csv", ".json", ".sha256", ".sha256"]  # one version's files


def test_a_release_that_changes_the_columns_writes_the_files_again_and_no_other_does(
    client, harrow, downloads_dir, settings, monkeypatch
):
    # a release that adds a column (the attribution, 8 December 2026) went on serving
    # the file its predecessor wrote until the next edit
    settings.RELEASE = "before"
    assert b",unconfirmed_service_areas,attribution\r\n" in body(client.get("/findings.csv"))
    (first,) = Path(downloads_dir).glob("findings-*.csv")
    settings.RELEASE = "after"  # a release that leaves the columns: the same file
    body(client.get("/findings.csv"))  # read whole, so that the file is closed
    assert list(Path(downloads_dir).glob("findings-*.csv")) == [first]
    monkeypatch.setattr(export, "COLUMNS", [*export.COLUMNS[:-1], "licence_and_notice"])
    assert b",licence_and_notice\r\n" in body(client.get("/findings.csv"))
    (left,) = Path(downloads_dir).glob("findings-*.csv")  # the old layout's files removed
    assert left != first


@pytest.mark.django_db
def test_the_files_are_written_once_per_data_change(client, harrow, django_assert_num_queries):
    body(client.get("/findings.csv"))
    with django_assert_num_queries(1):  # the data version: the file is already there
        assert json.loads(body(client.get("/findings.json")))
    with django_assert_num_queries(1):
        assert body(client.get("/findings.csv"))


@pytest.mark.django_db
def test_build_downloads_writes_them_ahead_of_the_first_visitor(harrow, downloads_dir):
    out = io.StringIO()
    call_command("build_downloads", "--base-url", "https://inspections.example.org", stdout=out)
    assert "findings-" in out.getvalue()
    csv_file = next(Path(downloads_dir).glob("findings-*.csv"))
    assert "https://inspections.example.org/inspections/harrow-2020-02/findings/24/" in (
        csv_file.read_text()
    )


@pytest.fixture
def served(committed_harrow, collected_static, tmp_path):
    """The run command's gunicorn (threaded workers), with one worker and a 2 s timeout,
    over the Harrow report and ~6,000 synthetic findings: a CSV of ~5 MB, more than the
    kernel buffers between a server and a client that reads slowly."""
    from harrow_inspection.__main__ import gunicorn_arguments

    call_command("generate_synthetic", councils=8, inspections=25, seed=1, stdout=io.StringIO())
    with gunicorn(
        lambda port: [*gunicorn_arguments("127.0.0.1", port, workers=1), "--timeout", "2"],
        tmp_path / "gunicorn.log",
        STATIC_ROOT=str(collected_static),
        DOWNLOADS_DIR=str(tmp_path / "served-downloads"),
    ) as port:
        yield port


def read_headers(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection before its headers"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return lines[0], {k.lower(): v for k, v in headers.items()}, rest


def test_a_slow_download_holds_up_no_one_and_arrives_whole(served):
    port = served
    base = f"http://127.0.0.1:{port}"
    # written once, by the first request after the change
    expected = requests.get(base + "/findings.csv.sha256", timeout=120).text.split()[0]

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a slow phone's window
    sock.connect(("127.0.0.1", port))
    sock.sendall(
        f"GET /findings.csv HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        .encode()
    )  # fmt: skip
    status, headers, received = read_headers(sock)
    assert status == "HTTP/1.1 200 OK"
    size = int(headers["content-length"])
    assert size > 4_000_000
    received += sock.recv(65536)

    # While that download is stalled part-way, other visitors are answered.
    for page in ["/", "/findings/", "/inspections/harrow-2020-02/findings/24/"]:
        assert requests.get(base + page, timeout=60).status_code == 200
    assert len(received) < size  # the download is still going

    done = threading.Event()
    stopper = threading.Timer(5, done.set)  # outlast gunicorn's 2 s timeout
    stopper.start()
    while len(received) < size:
        chunk = sock.recv(65536 if done.is_set() else 2048)
        if not chunk:
            break
        received += chunk
    stopper.cancel()
    sock.close()
    assert len(received) == size  # never cut off, however long it took
    assert hashlib.sha256(received).hexdigest() == headers["x-checksum-sha256"] == expected


def test_the_pages_own_link_and_stray_parameters_get_the_file_not_a_stream(client, harrow):
    """The findings page links /findings.csv?bom=1; a tracking tag may ride along: neither
    is a filter, so neither streams the whole database from it again."""
    whole = client.get("/findings.csv")
    content = body(whole)
    tagged = client.get("/findings.csv", {"utm_source": "newsletter"})
    assert tagged["X-Checksum-SHA256"] == whole["X-Checksum-SHA256"]
    assert body(tagged) == content
    paged = client.get("/findings.csv", {"page": "2"})  # a file holds every page
    assert paged["X-Checksum-SHA256"] == whole["X-Checksum-SHA256"]
    assert body(paged) == content
    # the API, whose addresses are not passed on in newsletters, takes no tracking tag
    assert client.get("/api/findings/", {"utm_source": "x"}).status_code == 400
    marked = client.get("/findings.csv", {"bom": "1"})
    assert body(marked) == "\ufeff".encode() + content
    assert int(marked["Content-Length"]) == len(content) + 3
    assert client.get("/findings.csv", {"bom": "maybe"}).status_code == 400
    as_json = client.get("/findings.json", {"utm_source": "x"})
    assert as_json.status_code == 200 and json.loads(body(as_json))


@pytest.mark.parametrize(
    ("address", "query"),
    [
        ("/findings.csv", {"neighbour_of": "harrow"}),  # a typo: was the whole database
        ("/findings.csv", {"neighbour_of": "harrow", "service_area": "care-leavers"}),
        ("/findings.json", {"neighbour_of": "harrow"}),
        ("/inspections.csv", {"region": "london"}),  # was every inspection, as if London's
        ("/local-authorities.csv", {"local_authority": "harrow"}),  # was every council
    ],
)
def test_a_download_refuses_a_parameter_it_does_not_take(client, harrow, address, query):
    response = client.get(address, query)
    assert response.status_code == 400
    name = next(iter(query))
    message = json.loads(response.content).get(name) or [json.loads(response.content)["detail"]]
    assert name in message[0] or "takes no filters" in message[0]


def instances_csv(findings, site):
    """The CSV as export.rows wrote it until 2 December 2026, from model instances with
    their tags prefetched (and the attribution column added on 8 December): what the
    values it reads now must give, byte for byte."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(export.COLUMNS)
    for finding in findings.with_context():
        tags = finding.area_tags
        row = [
            finding.inspection.slug,
            finding.inspection.local_authority.name,
            finding.number,
            finding.judgement.area.name,
            finding.judgement.get_grade_display(),
            "; ".join(tag.service_area.name for tag in tags),
            finding.text,
            site.build_absolute_uri(finding.get_absolute_url()),
            "yes" if finding.inspection.is_synthetic else "no",
            finding.inspection.published_on.isoformat() if finding.inspection.published_on else "",
            finding.inspection.source_url,
            finding.inspection.start_date.isoformat(),
            Grade(finding.overall_grade).label if finding.overall_grade else "",
            "; ".join(tag.service_area.name for tag in tags if not tag.confirmed),
            finding.inspection.attribution.strip(),  # since 8 December 2026
        ]
        writer.writerow([spreadsheets.neutralised(value) for value in row])
    return text.getvalue().encode()


@pytest.mark.django_db
def test_the_csv_read_as_values_is_byte_for_byte_the_instances_csv(client, harrow):
    call_command("generate_synthetic", councils=2, inspections=2, seed=5, verbosity=0)
    tags = ServiceAreaTag.objects.order_by("pk")
    tags.filter(pk__in=tags.values("pk")[:40]).update(confirmed=True)  # some checked
    Finding.objects.filter(inspection=harrow, number=3).update(text="=SUM(A1) said nobody")
    findings = Finding.objects.with_overall_grade().order_by(*LIST_ORDER)
    site = RequestFactory().get("/")
    assert body(client.get("/findings.csv")) == instances_csv(findings, site)
    query = {"service_area": "care-leavers", "local_authority": "harrow"}
    filtered = findings.filter(
        service_areas__slug="care-leavers", inspection__local_authority__slug="harrow"
    )
    assert body(client.get("/findings.csv", query)) == instances_csv(filtered, site)
    searched = body(client.get("/findings.csv", {"q": "children", "sort": "council"}))
    assert searched.count(b"\r\n") > 20
