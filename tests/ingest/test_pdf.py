"""PDF text through a worker process, cleaned into lines (leadlens.ingest.pdf)."""

from __future__ import annotations

import io
import sys
import time

import pytest
from .makefiles import pdf_bytes, write_pdf

from leadlens.errors import InputError
from leadlens.ingest import iter_postings
from leadlens.ingest.options import ReadOptions
from leadlens.ingest.pdf import PdfWorker, read_pdf, reflow, strip_repeated_margins

PAGE1 = ["Acme NHS Trust - Job Description", "Job title: Lead Nurse, Tissue Viability", "Main duties",
         "The post holder will provide strategic leadership for the develop-",
         "ment of tissue viability services across the Trust and will build a",
         "long-", "term plan with partners.", "• Lead the tissue viability team", "· Manage the budget",
         "Page 1 of 2"]
PAGE2 = ["Acme NHS Trust - Job Description", "Person specification", "Registered nurse with development",
         "experience.", "Page 2 of 2"]


@pytest.fixture(scope="module")
def worker():
    with PdfWorker(ReadOptions(timeout_s=60)) as w:
        yield w


def test_text_layer_cleaned(tmp_path, worker):
    f = write_pdf(tmp_path / "jd.pdf", [PAGE1, PAGE2])
    text, title = read_pdf(f, worker=worker)
    assert title == "Lead Nurse, Tissue Viability"
    assert text.split("\n") == [
        "Job title: Lead Nurse, Tissue Viability",
        "Main duties",
        "The post holder will provide strategic leadership for the development of tissue viability services "
        "across the Trust and will build a long-term plan with partners.",
        "• Lead the tissue viability team",
        "• Manage the budget",
        "Person specification",
        "Registered nurse with development experience.",
    ]
    assert "Acme NHS Trust - Job Description" not in text and "Page" not in text


def test_one_off_worker_without_a_shared_one(tmp_path):
    f = write_pdf(tmp_path / "one.pdf", [["Ward Manager", "Manage the ward."]])
    assert read_pdf(f) == ("Ward Manager\nManage the ward.", "Ward Manager")


def test_encrypted_pdf_is_e021(tmp_path, worker):
    f = write_pdf(tmp_path / "locked.pdf", [["Secret advert"]], password="s3cret")
    with pytest.raises(InputError) as err:
        read_pdf(f, worker=worker)
    assert err.value.code == "E021" and "locked.pdf" in str(err.value) and "password" in str(err.value)


def test_owner_password_only_pdf_is_read(tmp_path, worker):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Matron", "Lead the unit."]]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    f = tmp_path / "restricted.pdf"
    with f.open("wb") as fh:
        writer.write(fh)
    assert read_pdf(f, worker=worker)[1] == "Matron"


def test_image_only_pdf_is_e022(tmp_path, worker):
    f = write_pdf(tmp_path / "scan.pdf", [[], []], image_only=True)
    with pytest.raises(InputError) as err:
        read_pdf(f, worker=worker)
    assert err.value.code == "E022" and "no text layer: scanned PDF?" in str(err.value) and "2 page" in str(err.value)


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\nthis is not a pdf at all\n",
    pdf_bytes([["Cut short"]])[:60],
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",  # pages loop
])
def test_damaged_pdf_is_an_error_row(tmp_path, worker, data):
    f = tmp_path / "bad.pdf"
    f.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_pdf(f, worker=worker)
    assert err.value.code in ("E025", "E022") and "bad.pdf" in str(err.value)


def test_size_limit_checked_before_the_worker(tmp_path):
    f = write_pdf(tmp_path / "big.pdf", [["x" * 50] * 40])
    with pytest.raises(InputError) as err:
        read_pdf(f, ReadOptions(max_bytes=500), worker=PdfWorker(command=["false-never-started"]))
    assert err.value.code == "E017"


HANG = "import sys, time\nprint('{\"ready\": true}', flush=True)\nsys.stdin.readline()\ntime.sleep(600)\n"
DIE = "import sys\nprint('{\"ready\": true}', flush=True)\nsys.stdin.readline()\nsys.exit(3)\n"
SWELL = "import sys\nprint('{\"ready\": true}', flush=True)\nfor line in sys.stdin:\n" \
        "    print('{\"ok\": false, \"error\": \"memory\"}', flush=True)\n"


def _fake(tmp_path, code):
    script = tmp_path / "fake_worker.py"
    script.write_text(code, encoding="utf-8")
    return [sys.executable, str(script)]


def test_a_hanging_parser_is_stopped_and_the_worker_restarted(tmp_path):
    f = write_pdf(tmp_path / "slow.pdf", [["x"]])
    opts = ReadOptions(timeout_s=0.5)
    with PdfWorker(opts, command=_fake(tmp_path, HANG)) as w:
        for _ in range(2):
            started = time.monotonic()
            with pytest.raises(InputError) as err:
                read_pdf(f, opts, worker=w)
            assert time.monotonic() - started < 10
            assert err.value.code == "E020" and "0.5 s" in str(err.value) and "slow.pdf" in str(err.value)
            assert w._proc is None  # killed; the next file starts a fresh worker


def test_a_crashing_worker_is_an_error_row(tmp_path):
    f = write_pdf(tmp_path / "crash.pdf", [["x"]])
    with PdfWorker(command=_fake(tmp_path, DIE)) as w, pytest.raises(InputError) as err:
        read_pdf(f, worker=w)
    assert err.value.code == "E025" and "stopped unexpectedly" in str(err.value)


def test_memory_cap_is_e026(tmp_path):
    f = write_pdf(tmp_path / "huge.pdf", [["x"]])
    with PdfWorker(command=_fake(tmp_path, SWELL)) as w, pytest.raises(InputError) as err:
        read_pdf(f, ReadOptions(pdf_memory_mb=64), worker=w)
    assert err.value.code == "E026" and "64 MB" in str(err.value)


def test_a_batch_shares_one_worker(tmp_path, monkeypatch):
    starts = []
    original = PdfWorker._start

    def counting(self):
        starts.append(1)
        original(self)

    monkeypatch.setattr(PdfWorker, "_start", counting)
    for i in range(5):
        write_pdf(tmp_path / f"jd{i}.pdf", [[f"Lead {i}", "Lead the team."]])
    posts = list(iter_postings([tmp_path]))
    assert [p.title for p in posts] == [f"Lead {i}" for i in range(5)] and len(starts) == 1


def test_strip_repeated_margins():
    pages = [["Trust header", "Body one", "Footer 1"], ["Trust header", "Body two", "Footer 2"],
             ["Trust header", "Body three", "- 3 -"]]
    assert strip_repeated_margins(pages) == [["Body one"], ["Body two"], ["Body three"]]
    assert strip_repeated_margins([["Only page", "Body", "Page 1 of 1"]]) == [["Only page", "Body"]]


@pytest.mark.parametrize("lines, out", [
    (["We manage-", "ment the unit.", "Good management matters."],
     ["We management the unit.", "Good management matters."]),
    (["A long-", "term plan."], ["A long-term plan."]),
    (["Work in a multi-", "disciplinary team."], ["Work in a multi-disciplinary team."]),
    (["The leader-", "ship team."], ["The leadership team."]),
    (["Main duties", "The post holder leads."], ["Main duties", "The post holder leads."]),
    (["Liaise with the", "NHS England team."], ["Liaise with the NHS England team."]),
    (["•", "Lead the team", "– Plan the budget", "o Chair meetings", "\uf0b7 Hire staff"],
     ["• Lead the team", "• Plan the budget", "• Chair meetings", "• Hire staff"]),
    (["Manage the rota and", "the budget.", "Next sentence."], ["Manage the rota and the budget.", "Next sentence."]),
])
def test_reflow(lines, out):
    assert reflow(lines) == out
