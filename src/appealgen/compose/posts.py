"""The view model of social-media posts: pure, no I/O. Several wordings per language, each put
together only from the data (the case's title, people and letter asks, the officials' handles),
and each within X's limit as X counts it (twitter-text v3: a CJK character weighs 2, a link 23)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from twitter_text import parse_tweet

from appealgen.catalog.models import Case, Target

X_LIMIT = 280
X_HOSTS = ("twitter.com", "www.twitter.com", "x.com", "www.x.com", "mobile.twitter.com")
ELLIPSIS = "…"


def x_length(text: str) -> int:
    """``text``'s length as X counts it (weighted: CJK 2, most Latin 1, each link 23)."""
    return int(parse_tweet(text).weightedLength)


def x_handle(url: str) -> str | None:
    """``@name`` for an X/Twitter profile link (``https://twitter.com/name``), else None."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.hostname in X_HOSTS and path and "/" not in path:
        return f"@{path}"
    return None


def handles(target: Target) -> list[str]:
    """``target``'s X handles, from the profile links in its ``social`` list."""
    return [h for url in target.social if (h := x_handle(url))]


@dataclass(frozen=True)
class Post:
    lang: str
    text: str
    length: int


def _sentence(ask: str, lang: str) -> str:
    """An ask as a sentence of its own: the letter's list ends each with ``;``/``；``."""
    ask = ask.rstrip(" ;；.。")
    return f"{ask}。" if lang == "zh" else f"{ask}."


def _fit(text: str, limit: int, by_word: bool) -> str:
    """``text``, or as much of it as fits, cut at a word (``by_word``) or a character, ending in ``…``."""
    if x_length(text) <= limit:
        return text
    while text and x_length(text + ELLIPSIS) > limit:
        text = text.rsplit(" ", 1)[0] if by_word and " " in text else text[:-1]
    return text.rstrip(" ,;:，；：") + ELLIPSIS


def _wordings(case: Case, lang: str) -> list[list[str]]:
    """Several wordings from the case's own text in ``lang`` (the case must have it), each as
    versions from the fullest to the shortest: the first that fits is used, so an ask is
    dropped whole rather than cut."""
    if lang == "zh":
        letter = case.letter.zh
        assert letter is not None
        people = "、".join(p.name_zh or p.name_en for p in case.people)
        title = case.title_zh or case.title_en
        asks = [_sentence(a, "zh") for a in letter.asks]
        ref = f"（{case.reference}）" if case.reference else ""
        head, colon = f"{title}：{people}{ref}。", f"{people}："
    else:
        people = case.people_names()
        ref = f" ({case.reference})" if case.reference else ""
        asks = [_sentence(a, "en") for a in case.letter.en.asks]
        head, colon = f"{case.title_en}: {people}{ref}. ", f"{people}: "
    second = asks[min(1, len(asks) - 1)]
    joint = "" if lang == "zh" else " "
    return [[head + asks[0], f"{colon}{asks[0]}", asks[0]],
            [colon + second, second],
            [f"{asks[-1]}{joint}{asks[0]}", asks[-1]]]


def compose_posts(case: Case, targets: list[Target], langs: list[str], limit: int = X_LIMIT) -> list[Post]:
    """Posts naming ``targets``' handles, three wordings per language in ``langs``, each
    within ``limit`` as X counts (the handles always kept whole; the wording shortened if need be)."""
    mention = " ".join(h for target in targets for h in handles(target))
    room = limit - x_length(mention) - 1
    posts: list[Post] = []
    for lang in langs:
        for versions in _wordings(case, lang):
            wording = next((v for v in versions if x_length(v) <= room), None) or _fit(versions[-1], room, lang != "zh")
            text = f"{mention} {wording}"
            if all(post.text != text for post in posts):  # a one-ask case: no wording twice
                posts.append(Post(lang, text, x_length(text)))
    return posts
