"""The report: tables, plots, the HTML summary, per-post explanations and an XLSX summary.

Entry point: :func:`write_report` reads an output folder written by ``leadlens score`` and adds to it

* ``report.html``: one self-contained page (inline CSS and SVG plots, no network) with the headline, the
  leadership share by title kind, the nine-axis profile, the leaders in name only, breakdowns by carried input
  columns, the most frequent themes, failed files and methods;
* ``explain/<safe name>.html``: the advert with its spans highlighted, for every post in the report's tables
  (every scored post with ``explain_all=True``);
* ``summary.xlsx``: documents, axes and matches sheets.

Modules: :mod:`.tables` (read the folder back, pandas summaries, also for notebooks), :mod:`.plots`
(matplotlib to SVG), :mod:`.html` (Jinja templates), :mod:`.explain` (explanation pages), :mod:`.xlsx`,
:mod:`.build` (the orchestration).
"""

from __future__ import annotations

from .build import write_report
from .explain import safe_name
from .tables import Output, ReportError, load_output

__all__ = ["Output", "ReportError", "load_output", "safe_name", "write_report"]
