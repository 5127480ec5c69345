"""Email files and links: an RFC 5322 message (``.eml``, UTF-8, CRLF) that a mail client opens
as a draft, and an RFC 6068 ``mailto:`` link."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import quote

MAILTO_LIMIT = 2000
"""About the longest link common mail clients and browsers accept."""


def eml_bytes(to: list[str], to_name: str, subject: str, body: str, date: dt.datetime,
              sender: str | None = None) -> bytes:
    """The message as bytes: To (the official's addresses), Subject, Date, the body as UTF-8
    text/plain (quoted-printable, so every line stays short), and ``X-Unsent: 1`` so Outlook
    opens it as a draft to send; From only when the sender's address is known."""
    message = EmailMessage(policy=SMTP)
    message["To"] = [Address(to_name, addr_spec=address) for address in to]
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def mailto_link(to: list[str], subject: str, body: str) -> str:
    """``mailto:`` with the subject and body percent-encoded and line breaks as CRLF (``%0D%0A``)."""
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (f"mailto:{','.join(quote(address, safe='@') for address in to)}"
            f"?subject={quote(subject, safe='')}&body={quote(crlf, safe='')}")
