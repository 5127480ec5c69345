"""``appealgen post``: short texts for X naming the officials' handles, in several wordings."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from appealgen.cli.completion import CaseArgument
from appealgen.cli.root import app, command, note, out, settings, warn


class PostLang(StrEnum):
    auto = "auto"
    en = "en"
    zh = "zh"


@command(app, "post")
def post_command(
    ctx: typer.Context,
    case_id: CaseArgument,
    target_ids: Annotated[list[str] | None, typer.Option(
        "--target", metavar="ID", help="Official to name (one with an X handle); repeat for several. "
        "Default: all the case's officials with one.")] = None,
    lang: Annotated[PostLang, typer.Option(
        "--lang", help="auto: the case's languages, Chinese only where the case has its Chinese text.")
    ] = PostLang.auto,
    posted: Annotated[bool, typer.Option(
        "--posted", help="You have posted one of them: count one post in the ledger.")] = False,
    after_deadline: Annotated[bool, typer.Option(
        "--after-deadline", help="Even though the case's deadline has passed.")] = False,
    allow_former: Annotated[bool, typer.Option(
        "--allow-former", help="Name an official who has left office.")] = False,
) -> None:
    """Print short posts for X (each within 280 characters as X counts them) naming the officials'
    handles, in several wordings: pick one, so that supporters do not all post the same."""
    from appealgen.services.post import PostOptions, social_posts

    current = settings(ctx)
    posts = social_posts(current.catalog, PostOptions(
        case_id=case_id, target_ids=tuple(target_ids or ()), lang=lang.value, posted=posted,
        after_deadline=after_deadline, allow_former=allow_former), current.today, warn, current.recorder())
    names = {"en": "English", "zh": "Chinese"}
    for number, post in enumerate(posts, 1):
        if number > 1:
            out.print()
        out.print(f"Post {number} of {len(posts)} ({names[post.lang]}, {post.length}/280 on X):",
                  style="bold", markup=False, highlight=False)
        out.print(post.text, markup=False, highlight=False, soft_wrap=True)
    if posted:
        note("Counted 1 post.")
    else:
        note("Once you have posted one, run the same command with --posted to count it.")
