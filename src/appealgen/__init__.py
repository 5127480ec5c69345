"""appealgen: print-ready appeal letters and Chinese envelope labels from Urgent Actions.

The jobs the command line runs are a Python API too; each takes the data (``load_catalog``),
its options as one frozen dataclass, and today's date::

    import datetime as dt
    from appealgen import LetterOptions, SenderOptions, load_catalog, write_letter

    catalog = load_catalog()  # the shipped data, or load_catalog(Path("my-data"))
    written = write_letter(catalog, LetterOptions("kamile-wayit", ("chen-xiaojiang",), after_deadline=True,
                                                  sender=SenderOptions("Jane Doe", "12 High Street\\nOxford"),
                                                  output="letter.pdf"), dt.date(2026, 11, 21))

Names are imported on first use, so ``import appealgen`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_catalog": "appealgen.catalog.loading",
    "Catalog": "appealgen.catalog.loading",
    "AppealgenError": "appealgen.errors",
    "SenderOptions": "appealgen.services.common",
    "Written": "appealgen.services.common",
    "LetterOptions": "appealgen.services.letter",
    "write_letter": "appealgen.services.letter",
    "Recipients": "appealgen.services.stationery",
    "LabelOptions": "appealgen.services.stationery",
    "EnvelopeOptions": "appealgen.services.stationery",
    "write_labels": "appealgen.services.stationery",
    "write_envelopes": "appealgen.services.stationery",
    "write_calibration": "appealgen.services.stationery",
    "BatchOptions": "appealgen.services.batch",
    "plan_batch": "appealgen.services.batch",
    "run_batch": "appealgen.services.batch",
    "EmailOptions": "appealgen.services.email",
    "write_emails": "appealgen.services.email",
    "email_links": "appealgen.services.email",
    "Ledger": "appealgen.ledger.store",
    "recorder": "appealgen.ledger.store",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'appealgen' has no attribute {name!r}")
