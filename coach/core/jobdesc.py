"""A job description in, its key terms and likely role out, so practice fits *that* job.

Postings mix the job (duties, skills) with boilerplate (company blurb, benefits, how to apply,
equal-opportunity statements). Keyword extractors rank the boilerplate and the company's name
highly because they are capitalised and repeated, so the text is cleaned first: boilerplate
sections and sentences are dropped, names that only occur capitalised in the header line or the
boilerplate become stopwords, and YAKE (Campos et al. 2020, unsupervised, single-document) ranks
what is left. Overlapping terms are then merged so the list shows distinct skills.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from coach.core.bank import ROLES
from coach.core.coverage import concepts, term_concepts
from coach.errors import StorageError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
TEXT_SUFFIXES = (".txt", ".md", ".text")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")


@dataclass(frozen=True)
class KeyTerm:
    """One key term of a posting; `score` is higher for more important terms (0..1)."""

    text: str
    score: float


# --- reading ----------------------------------------------------------------------------------


def read_job_description(path: Path) -> str:
    """The plain text of a posting saved as .txt/.md, .pdf (pypdf) or .docx (python-docx).

    Raises StorageError with a sentence the user can act on for a missing, huge, unsupported,
    damaged or text-less file (a scanned PDF has no text layer).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise StorageError(
            f"Cannot read {path.name}: open a .txt, .md, .pdf or .docx file, "
            "or paste the job description as text."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StorageError(f"Cannot open {path.name}: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise StorageError(
            f"{path.name} is {size / 1_048_576:.0f} MB; "
            "a job description file may be 10 MB at most."
        )
    if suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_plain(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        hint = " It may be a scanned image; copy the text instead." if suffix == ".pdf" else ""
        raise StorageError(f"{path.name} contains no text.{hint}")
    return text[:MAX_TEXT_CHARS]


def _read_plain(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Windows editors


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise StorageError(f"{path.name} is password-protected; save an unprotected copy.")
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise StorageError(f"{path.name} is not a readable PDF file.", detail=str(exc)) from exc


def _read_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise StorageError(f"{path.name} is not a readable Word (.docx) file.") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


# --- cleaning ---------------------------------------------------------------------------------

# Section headings whose whole section is about the employer, pay or the application process.
_BOILERPLATE_HEADINGS = re.compile(
    r"\b(about us|who we are|our (company|story|values)|what we offer|what's in it|whats in it|"
    r"benefits|perks|rewards|salary|compensation|how to apply|application process|"
    r"equal opportunit|diversity|why join|why work)",
    re.IGNORECASE,
)
# Sentences anywhere that are boilerplate, whatever section they are in.
_BOILERPLATE_SENTENCE = re.compile(
    r"(equal opportunit|equality|diversity|inclusion|discriminat|apply now|to apply|"
    r"applications? (from|will|have)|applicants?\b|shortlist|cover letter|\bcv\b|résumé|resume|"
    r"salary|per annum|pro rata|bonus|pension|holiday|annual leave|benefit|discount|insurance|"
    r"reasonable adjustments|dbs check|background check|vacancy|careers page|"
    r"[£$€]\s?\d)",
    re.IGNORECASE,
)
# Words that are frequent in every posting and name no skill.
_POSTING_STOPWORDS_TEXT = """
    ability able apply applicant application candidate candidates company day days daily
    environment essential desirable excellent experience experienced familiarity good great
    ideal ideally including join key knowledge looking new nice opportunity plus position
    preferred professional responsibilities responsibility requirement requirements required
    role skill skills strong solid successful week weeks year years yearly ready help part
    make making keep sure across like well ensure willingness welcome based working full time
    permanent hours hour summary main duties duty person specification job jobs team teams
    support supporting carry write build design deliver provide use run ensure maintain follow
    share give grow hit meet receive reduce set take work busy fast-paced energetic motivated
    compassionate passionate passion friendly positive confident calm hands-on clear clearly
    within alongside closely including various wide range
    january february march april may june july august september october november december
    christmas monday tuesday wednesday thursday friday saturday sunday weekend weekends
    """
POSTING_STOPWORDS = frozenset(_POSTING_STOPWORDS_TEXT.split())
_BOILERPLATE_TERMS = re.compile(
    r"(equal|opportunit|employer|apply|benefit|salary|pension|holiday|bonus|discount|"
    r"insurance|annual leave|diversity|vacanc)",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^[\w'&,/() -]{2,60}:?$")
_TITLE_MAX_WORDS = 15
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+")
_WORD = re.compile(r"[A-Za-z][\w'&+#.-]*[\w+#]|[A-Za-z]")


def _is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 6 and bool(_HEADING.match(line)) and not line.endswith(".")


def _is_title(line: str) -> bool:
    return len(line.split()) <= _TITLE_MAX_WORDS and not _BOILERPLATE_SENTENCE.search(line)


def split_boilerplate(text: str) -> tuple[str, str]:
    """(job text, boilerplate text): the posting split by section headings and sentences."""
    job: list[str] = []
    boiler: list[str] = []
    in_boiler_section = False
    for raw in text.splitlines():
        line = raw.strip().lstrip("-•*·▪ ").strip()
        if not line:
            continue
        if not job and not boiler and _is_title(line):  # the job title: always kept
            job.append(line + ".")
            continue
        if _is_heading(line):  # headings name sections, not skills
            in_boiler_section = bool(_BOILERPLATE_HEADINGS.search(line))
            boiler.append(line + ".")
            continue
        if in_boiler_section or "|" in line:  # "Company | City | Full-time" header lines
            boiler.append(line)
            continue
        for sentence in _SENTENCE_SPLIT.split(line):
            target = boiler if _BOILERPLATE_SENTENCE.search(sentence) else job
            target.append(sentence)
    return "\n".join(job), "\n".join(boiler)


def _name_words(job_text: str, boiler_text: str) -> set[str]:
    """Capitalised words of the boilerplate (company, town) never written in lower case."""
    lower_forms = {w for w in _WORD.findall(job_text + "\n" + boiler_text) if w.islower()}
    return {
        w.lower()
        for w in _WORD.findall(boiler_text)
        if w[0].isupper() and w.lower() not in lower_forms
    }


# --- extraction -------------------------------------------------------------------------------


def _yake_stopwords() -> set[str]:
    """YAKE's own English list (its loader reads the file shipped with the package)."""
    import yake

    return set(yake.KeywordExtractor(lan="en").stopword_set)


def extract_key_terms(text: str, *, max_terms: int = 20) -> list[KeyTerm]:
    """The posting's most important skills and topics, best first, boilerplate excluded.

    Scores are YAKE's (lower is better) mapped to 0..1 by 1 / (1 + yake), so higher = more
    important. Terms that share most of their words with a better one are dropped, so the list
    shows "acute medical ward" once rather than also "acute medical" and "medical ward".
    """
    if max_terms <= 0 or not text.strip():
        return []
    import yake

    job_text, boiler_text = split_boilerplate(text[:MAX_TEXT_CHARS])
    if not job_text.strip():
        return []
    stop = _yake_stopwords() | POSTING_STOPWORDS | _name_words(job_text, boiler_text)
    extractor = yake.KeywordExtractor(
        lan="en", n=3, dedup_lim=0.7, top=max_terms * 4, stopwords=stop
    )
    kept: list[KeyTerm] = []
    kept_keys: list[frozenset[str]] = []
    for phrase, yake_score in extractor.extract_keywords(job_text):
        term = " ".join(phrase.split())
        keys = term_concepts(term)
        if not _usable_term(term, keys, stop):
            continue
        if any(_overlaps(keys, other) for other in kept_keys):
            continue
        kept.append(KeyTerm(term if _is_acronym_like(term) else term.lower(), _score(yake_score)))
        kept_keys.append(keys)
        if len(kept) == max_terms:
            break
    return kept


def _score(yake_score: float) -> float:
    return 1.0 / (1.0 + max(float(yake_score), 0.0)) if math.isfinite(yake_score) else 0.0


def _is_acronym_like(term: str) -> bool:
    """Keep SQL, AWS, NEWS2 and CI/CD as written; everything else is shown lower-case."""
    return any(sum(c.isupper() for c in w) >= 2 for w in term.split())


def _usable_term(term: str, keys: frozenset[str], stop: set[str]) -> bool:
    words = [w.lower() for w in term.split()]
    if not keys or all(w in stop for w in words) or _BOILERPLATE_TERMS.search(term):
        return False
    return not all(any(ch.isdigit() for ch in w) for w in words)


def _overlaps(keys: frozenset[str], other: frozenset[str]) -> bool:
    """True when one term mostly repeats the other (shares at least half its concepts)."""
    shared = len(keys & other)
    return shared > 0 and shared * 2 >= min(len(keys), len(other))


# --- role guess -------------------------------------------------------------------------------

# Cue words per role tag (coach.core.bank.ROLES), compared as concepts. Chosen from what
# postings for each job family name: job titles, core duties and domain nouns.
ROLE_CUES: dict[str, tuple[str, ...]] = {
    "software": (
        "software", "engineer", "developer", "python", "java", "javascript", "api", "backend",
        "frontend", "code", "microservice", "kubernetes", "docker", "git", "devops", "cloud",
    ),
    "data": (
        "data", "analyst", "analytics", "sql", "dashboard", "statistics", "machine learning",
        "tableau", "power bi", "etl", "data science", "modelling",
    ),
    "sales": (
        "sales", "quota", "pipeline", "prospect", "crm", "account executive", "lead generation",
        "negotiation", "commission", "business development",
    ),
    "customer-service": (
        "customer service", "call centre", "contact centre", "helpdesk", "complaint", "enquiry",
        "customer support", "ticket",
    ),
    "healthcare": (
        "nurse", "nursing", "patient", "clinical", "hospital", "ward", "medication", "care",
        "nhs", "healthcare", "safeguarding", "infection", "midwife", "carer",
    ),
    "teaching": (
        "teacher", "teaching", "pupil", "student", "classroom", "curriculum", "lesson", "school",
        "safeguarding children", "learning",
    ),
    "retail-hospitality": (
        "retail", "store", "shop", "till", "stock", "merchandising", "hospitality", "restaurant",
        "hotel", "shop floor", "footfall", "key holder",
    ),
    "project-management": (
        "project manager", "project", "stakeholder", "milestone", "scope", "prince2", "agile",
        "scrum", "risk register", "programme",
    ),
    "marketing": (
        "marketing", "campaign", "brand", "seo", "social media", "content", "digital marketing",
        "audience", "conversion",
    ),
    "administration": (
        "administrator", "administration", "admin", "office", "diary", "filing", "reception",
        "data entry", "minutes", "correspondence",
    ),
    "graduate": ("graduate", "graduate scheme", "internship", "entry level", "trainee", "degree"),
    "manager": (
        "supervisor", "manager", "team leader", "lead a team", "line manage", "rota",
        "motivate", "coach", "head of", "people management",
    ),
}  # fmt: skip
_TITLE_WEIGHT = 3.0
_MIN_ROLE_SHARE = 0.25


def guess_roles(text: str) -> list[str]:
    """Role tags (from `ROLES`, never "any") that fit the posting, best first; [] if none do.

    Each role scores the number of cue occurrences in the job text (boilerplate removed), with
    cues in the first line (the job title) counting three times. Roles scoring under a quarter of
    the best are dropped, so a nurse posting that mentions "team" once is not a manager job.
    """
    job_text, _ = split_boilerplate(text[:MAX_TEXT_CHARS])
    lines = job_text.splitlines()
    title = Counter(concepts(lines[0])) if lines else Counter()
    body = Counter(concepts(job_text))
    body_seq = concepts(job_text)
    title_seq = concepts(lines[0]) if lines else []
    scores: dict[str, float] = {}
    for role, cues in ROLE_CUES.items():
        total = 0.0
        for cue in cues:
            keys = concepts(cue)
            if len(keys) == 1:
                total += body[keys[0]] + _TITLE_WEIGHT * title[keys[0]]
            else:
                total += _count_phrase(body_seq, keys) + _TITLE_WEIGHT * _count_phrase(
                    title_seq, keys
                )
        if total > 0:
            scores[role] = total
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted(scores, key=lambda r: (-scores[r], ROLES.index(r)))
    return [r for r in ranked if scores[r] >= _MIN_ROLE_SHARE * best]


def _count_phrase(sequence: list[str], phrase: list[str]) -> int:
    n = len(phrase)
    return sum(1 for i in range(len(sequence) - n + 1) if sequence[i : i + n] == phrase)
