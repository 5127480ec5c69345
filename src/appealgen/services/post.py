"""The post job: short texts for X naming the officials' handles, in several wordings so that
supporters do not all post the same text; and, when the user says so, one post counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appealgen.catalog.loading import Catalog
from appealgen.compose.posts import Post, compose_posts, handles
from appealgen.errors import AppealgenError
from appealgen.ledger.store import Action, Record, no_record
from appealgen.policy import review
from appealgen.services.common import Warn, ignore


@dataclass(frozen=True)
class PostOptions:
    """One ``appealgen post``: a case, its officials (default: all of the case's officials with
    an X handle), the languages (``auto``: the case's, where it has the text) and whether the
    user has posted one (counted once)."""

    case_id: str
    target_ids: tuple[str, ...] = ()
    lang: str = "auto"
    posted: bool = False
    after_deadline: bool = False
    allow_former: bool = False


def social_posts(catalog: Catalog, options: PostOptions, today: dt.date, warn: Warn = ignore,
                 record: Record = no_record) -> list[Post]:
    """The posts, after the checks ``letter`` makes; an official without a handle, or Chinese
    asked for a case without its Chinese text, is refused. With ``posted``, record one post."""
    case = catalog.case(options.case_id)
    with_handle = [t for t in case.target_ids if handles(catalog.target(t))]
    wanted = list(options.target_ids) or with_handle
    missing = [t for t in wanted if not handles(catalog.target(t))]
    if missing or not wanted:
        what = (f"{catalog.target(missing[0]).name_en} ({catalog.target(missing[0]).id}) has no X handle"
                if missing else f"no official of case {case.id} has an X handle")
        raise AppealgenError(f"{what} in the data",
                             f"officials of case {case.id} with one: {', '.join(with_handle)}; choose one with "
                             "--target" if with_handle else "write a letter or an email instead")
    targets = [catalog.target(t) for t in wanted]
    for warning in review(case, targets, today, catalog.targets, after_deadline=options.after_deadline,
                          allow_former=options.allow_former).enforce():
        warn(warning)
    if options.lang == "zh" and case.letter.zh is None:
        raise AppealgenError(f"case {case.id} has no Chinese letter text in the data, so no Chinese posts",
                             "use --lang en")
    langs: list[str] = [options.lang] if options.lang != "auto" else [
        lang for lang in case.languages if lang == "en" or case.letter.zh is not None]
    posts = compose_posts(case, targets, langs)
    if options.posted:
        record([Action(case.id, targets[0].id if len(targets) == 1 else "", "post", "", 1, today)])
    return posts
