"""Key terms, role guesses and file reading on three realistic postings (tests/data/postings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.coverage import covered_terms
from coach.core.jobdesc import KeyTerm, extract_key_terms, guess_roles, read_job_description
from coach.errors import StorageError

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"

# What a careers adviser would underline in each posting (its duties and requirements).
EXPECTED_SKILLS = {
    "software_engineer.txt": [
        "python", "REST APIs", "SQL", "AWS", "Docker", "Kubernetes", "code review", "tests",
        "production", "PCI DSS",
    ],
    "registered_nurse.txt": [
        "registered nurse", "patient care", "early warning score", "safeguarding", "medication",
        "infection prevention", "NMC", "multidisciplinary team", "documentation", "acute medical",
    ],
    "retail_supervisor.txt": [
        "customer service", "sales targets", "shop floor", "stock", "cash handling", "till",
        "visual merchandising", "rotas", "complaints", "health and safety",
    ],
}  # fmt: skip
# Words from the company blurb, benefits, application and equal-opportunity text, and names.
BOILERPLATE = (
    "equal", "opportunity", "employer", "apply", "benefit", "salary", "pension", "holiday",
    "bonus", "discount", "diversity", "northwind", "ledger", "hartley", "finch", "aldhelm",
    "manchester", "leeds", "riverside", "cv", "cover letter",
)  # fmt: skip
TOP_N = 20
MIN_SKILL_SHARE = 0.6
"""At least 6 of the 10 underlined skills must be among the top 20 terms."""


@pytest.mark.parametrize("name", sorted(EXPECTED_SKILLS))
def test_expected_skills_are_among_the_top_terms(name: str) -> None:
    terms = extract_key_terms((POSTINGS / name).read_text(), max_terms=TOP_N)
    assert len(terms) == TOP_N
    found, missing = covered_terms(EXPECTED_SKILLS[name], " ; ".join(t.text for t in terms))
    assert len(found) / len(EXPECTED_SKILLS[name]) >= MIN_SKILL_SHARE, (found, missing, terms)


@pytest.mark.parametrize("name", sorted(EXPECTED_SKILLS))
def test_boilerplate_and_company_names_are_not_key_terms(name: str) -> None:
    terms = extract_key_terms((POSTINGS / name).read_text(), max_terms=TOP_N)
    words = {w for t in terms for w in t.text.lower().split()}
    texts = " | ".join(t.text.lower() for t in terms)
    leaked = [b for b in BOILERPLATE if b in words or (" " in b and b in texts)]
    assert not leaked, terms


def test_terms_are_ranked_distinct_and_scored_high_to_low() -> None:
    terms = extract_key_terms((POSTINGS / "registered_nurse.txt").read_text())
    scores = [t.score for t in terms]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert len({t.text.lower() for t in terms}) == len(terms)
    assert all(isinstance(t, KeyTerm) for t in terms)


def test_only_boilerplate_or_empty_text_gives_no_terms() -> None:
    assert extract_key_terms("") == []
    assert extract_key_terms("Some text", max_terms=0) == []
    only_boiler = (
        "We are an equal opportunity employer. Apply now with your CV. "
        "Benefits include a pension and 25 days holiday."
    )
    assert extract_key_terms(only_boiler) == []


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("software_engineer.txt", "software"),
        ("registered_nurse.txt", "healthcare"),
        ("retail_supervisor.txt", "retail-hospitality"),
    ],
)
def test_role_guess_names_the_posting_family(name: str, role: str) -> None:
    roles = guess_roles((POSTINGS / name).read_text())
    assert role in roles[:2], roles
    assert "any" not in roles


def test_nurse_posting_is_not_guessed_as_software_and_vice_versa() -> None:
    assert "software" not in guess_roles((POSTINGS / "registered_nurse.txt").read_text())
    assert "healthcare" not in guess_roles((POSTINGS / "software_engineer.txt").read_text())
    assert guess_roles("Lorem ipsum dolor sit amet.") == []


def test_reads_plain_text_and_docx(tmp_path: Path) -> None:
    import docx

    source = (POSTINGS / "registered_nurse.txt").read_text()
    assert read_job_description(POSTINGS / "registered_nurse.txt") == source.strip()
    document = docx.Document()
    for line in source.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Band"
    table.rows[0].cells[1].text = "Band 5 nursing post"
    document.save(str(tmp_path / "nurse.docx"))
    text = read_job_description(tmp_path / "nurse.docx")
    assert "early warning score" in text.lower()
    assert "Band 5 nursing post" in text
    assert {t.text for t in extract_key_terms(text)} & {"registered nurse", "patient"}


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica), built by hand."""
    body = (
        "BT /F1 11 Tf 50 780 Td 14 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    stream = body.encode("latin-1", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_reads_pdf_text_layer(tmp_path: Path) -> None:
    lines = (POSTINGS / "software_engineer.txt").read_text().splitlines()[:40]
    pdf = tmp_path / "engineer.pdf"
    pdf.write_bytes(_minimal_pdf([ln.encode("ascii", "replace").decode() for ln in lines]))
    text = read_job_description(pdf)
    assert "Backend Software Engineer" in text
    assert "python" in [t.text.lower() for t in extract_key_terms(text)]


def test_pdf_without_a_text_layer_is_a_clear_error(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"  # a page with no text, like a scanned image
    scan.write_bytes(_minimal_pdf([]))
    with pytest.raises(StorageError, match=r"no text.*scanned"):
        read_job_description(scan)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("posting.pdf", b"this is not a pdf at all", "not a readable PDF"),
        ("posting.docx", b"PK\x03\x04 broken zip", "not a readable Word"),
        ("posting.exe", b"MZ", "open a .txt, .md, .pdf or .docx"),
        ("empty.txt", b"  \n ", "contains no text"),
    ],
)
def test_unusable_files_raise_storage_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(StorageError, match=message):
        read_job_description(tmp_path / name)


def test_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="Cannot open"):
        read_job_description(tmp_path / "nope.txt")
