"""``appealgen email``: the letters as email drafts (``.eml``) or ``mailto:`` links, for the
officials with an email address."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, cast

import typer

from appealgen.cli.completion import CaseArgument, complete_target
from appealgen.cli.letter import SenderAddress, SenderName, lang_option
from appealgen.cli.root import app, command, note, out, settings, warn

if TYPE_CHECKING:
    from appealgen.policy import LangChoice


@command(app, "email")
def email_command(
    ctx: typer.Context,
    case_id: CaseArgument,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", autocompletion=complete_target,
        help="Official to write to (one with an email address); repeat for several. "
        "Default: the case's primary targets that have one.")] = None,
    lang: Annotated[str, lang_option("auto: both languages in the case's preferred order.")] = "auto",
    sender_name: SenderName = None,
    sender_address: SenderAddress = None,
    sender_email: Annotated[str | None, typer.Option(
        "--sender-email", metavar="ADDRESS", help="Your email address, for the From line (default: none; "
        "your mail client fills it in).")] = None,
    sender_locale: Annotated[str, typer.Option(
        "--sender-locale", metavar="LOCALE", help="Your locale, e.g. en_GB, en_US.")] = "en_GB",
    note_text: Annotated[str | None, typer.Option(
        "--note", metavar="TEXT", help="A sentence of your own, as typed, in the first letter.")] = None,
    mailto: Annotated[bool, typer.Option(
        "--mailto", help="Print a mailto: link per official instead (at most 2,000 characters: a longer "
        "letter is shortened, and says so).")] = False,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Write even though the case's deadline has passed.")] = False,
    allow_former: Annotated[bool, typer.Option(
        "--allow-former", help="Write to an official who has left office.")] = False,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", metavar="FILE", help="Where to write: a folder (CASE_TARGET.eml for each official), "
        "or, for one official, a file or `-` for standard output.")] = None,
) -> None:
    """Write the appeal as an email draft (.eml) that any mail client opens, to officials with an
    email address."""
    from appealgen.services.common import SenderOptions
    from appealgen.services.email import EmailOptions, email_links, write_emails

    current = settings(ctx)
    options = EmailOptions(
        case_id=case_id, target_ids=tuple(target_ids or ()), lang=cast("LangChoice", lang),
        sender=SenderOptions(sender_name, sender_address, sender_locale), sender_email=sender_email,
        note=note_text, after_deadline=after_deadline, allow_former=allow_former, output=output)
    if mailto:
        for link in email_links(current.catalog, options, current.today, warn, current.recorder()):
            if link.left_out:
                warn(f"the link to {link.target_id} holds {link.left_out}: the whole letter does not fit "
                     "in a mailto: link (leave out --mailto for an .eml file with all of it)")
            out.file.write(link.link + "\n")
        return
    for written in write_emails(current.catalog, options, current.today, warn, current.recorder()):
        if output != "-":
            note(f"Wrote {written.destination} (to {written.what})")
