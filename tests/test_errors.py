"""The README's tables of error codes cover every code a user can meet in a run's output or warnings."""

from __future__ import annotations

import re
from pathlib import Path

from leadlens.errors import E
from leadlens.model.errors import M

README = Path(__file__).resolve().parents[1] / "README.md"


def _table_codes(prefix: str) -> set[str]:
    return set(re.findall(rf"^\| ({prefix}\d{{3}}) \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_every_input_error_code_is_in_the_readme_table():
    # input errors (a documents.csv row's error) are E011 on; those with a {line} are rule-file errors
    input_codes = {c.name for c in E if int(c.name[1:]) >= 11 and "{line}" not in c.value}
    assert "E014" in input_codes and "E016" not in input_codes
    assert _table_codes("E") == input_codes


def test_every_model_code_is_in_the_readme_table():
    assert _table_codes("M") == {c.name for c in M}
