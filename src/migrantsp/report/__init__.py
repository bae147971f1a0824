"""The regional report (contract section 7): one self-contained HTML file and the CSV behind it."""

from __future__ import annotations

from migrantsp.report.build import build_report

__all__ = ["build_report"]
