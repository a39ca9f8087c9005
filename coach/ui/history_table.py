"""The history table's columns and how a SessionRow reads in each cell.

Kept apart from the widget because the column list is also the index's sort keys and the cell
text is reused in confirmations; these are plain data and one pure function, no widgets.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from coach.core.history_index import SessionRow
from coach.measures import HISTORY_COLUMNS, MEASURES

FOLDER_ROLE = Qt.ItemDataRole.UserRole
STATUS_TEXT = {"in_progress": "unfinished", "finished": "finished", "recovered": "recovered"}

# (heading, SessionRow field = HistoryIndex sort key, number format, header tooltip); the
# measure columns are the registry's (coach.measures).
COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("Date", "created_at", "", "When the interview started"),
    ("Interview", "title", "", "Question bank and category"),
    ("Role", "role", "", "The role you prepared for"),
    ("Answers", "answers", "{:.0f}", "Questions answered"),
    *(
        (m.heading or m.label, m.key, f"{{:.{m.decimals}f}}", m.help)
        for m in (MEASURES[key] for key in HISTORY_COLUMNS)
    ),
    ("Status", "status", "", "Finished, unfinished or recovered after a crash"),
)


def cell_text(row: SessionRow, field: str, fmt: str) -> str:
    value = getattr(row, field)
    if field == "created_at":
        return str(value).replace("T", " ")[:16]
    if field == "status":
        return STATUS_TEXT.get(str(value), str(value))
    if value is None or value == "":
        return "—"
    return fmt.format(value) if fmt else str(value)
