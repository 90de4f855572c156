"""Word diffs and a three-way word merge, for edit conflicts and history pages (issue 18).

The product adds these (no seed asks for them): a person who meets a colleague's newer save,
or reads a record's history, sees what changed word by word instead of two whole texts.
Output is HTML that is safe to print: every word is escaped, and only `<ins>`/`<del>` (each
with a visually hidden "added"/"removed" so the change is not told by colour alone) are added.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words and the whitespace between them, kept as tokens so joining them gives the text back.
_TOKEN = re.compile(r"\s+|[^\s]+")

# Text longer than this, or on more than one line, is "long": diffed word by word and
# offered as a merged version on a conflict page; shorter values are compared whole.
LONG_TEXT_FROM = 80


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def is_long(*values: object) -> bool:
    return any(
        isinstance(v, str) and (len(v) > LONG_TEXT_FROM or "\n" in v.strip()) for v in values
    )


def _mark(tag: str, label: str, words: list[str]) -> str:
    text = "".join(words)
    if not text.strip():
        return escape(text)
    return (
        f'<{tag} class="app-diff__{tag}"><span class="nhsuk-u-visually-hidden">[{label}: </span>'
        f'{escape(text)}<span class="nhsuk-u-visually-hidden">]</span></{tag}>'
    )


def _segments(a: list[str], b: list[str]) -> list[tuple[str, str, str]]:
    """(kind, old text, new text) runs; a change split only by a space is one change, so a
    rewritten phrase reads as one struck phrase and one new phrase, not word by word."""
    runs: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        kind = "equal" if op == "equal" else "change"
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        runs.append([kind, old, new])
    merged: list[list[str]] = []
    for i, run in enumerate(runs):
        between = (
            run[0] == "equal"
            and not run[1].strip()
            and 0 < i < len(runs) - 1
            and runs[i + 1][0] == "change"
            and merged
            and merged[-1][0] == "change"
        )
        if between or (run[0] == "change" and merged and merged[-1][0] == "change"):
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(list(run))
    return [(k, o, n) for k, o, n in merged]


def word_diff(old: str | None, new: str | None) -> SafeString:
    """`new` as safe HTML with the words added since `old` in `<ins>` and the words gone in
    `<del>` (in reading order: what went, then what came). Line breaks become `<br>`."""
    parts: list[str] = []
    for kind, was, now in _segments(tokens(old or ""), tokens(new or "")):
        if kind == "equal":
            parts.append(escape(was))
            continue
        if was.strip():
            parts.append(_mark("del", "removed", tokens(was)))
        if was.strip() and now.strip():
            parts.append(" ")
        if now.strip():
            parts.append(_mark("ins", "added", tokens(now)))
        elif not was.strip():
            parts.append(escape(now))
    return mark_safe("".join(parts).replace("\r\n", "\n").replace("\n", "<br>\n"))  # noqa: S308 - every piece escaped above


def has_changes(old: str | None, new: str | None) -> bool:
    return (old or "") != (new or "")


def _edits(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """The changes turning `base` into `other`: (start, end in base, replacement words)."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def merge(base: str | None, theirs: str | None, mine: str | None) -> tuple[str, bool]:
    """Three-way merge on words: both people's changes to `base` in one text. Where they
    changed the same words differently, theirs then mine are both kept (nothing is dropped)
    for the person to tidy. Returns (merged text, whether any such clash happened)."""
    b, t, m = tokens(base or ""), tokens(theirs or ""), tokens(mine or "")
    ours, their_edits = _edits(b, m), _edits(b, t)
    out: list[str] = []
    clash = False
    pos = 0
    ti = mi = 0
    while ti < len(their_edits) or mi < len(ours):
        te = their_edits[ti] if ti < len(their_edits) else None
        me = ours[mi] if mi < len(ours) else None
        # The next edit to place, and every edit of the other side that overlaps it.
        first = min((e for e in (te, me) if e is not None), key=lambda e: (e[0], e[1]))
        start, end = first[0], first[1]
        group_t, group_m = [], []
        grew = True
        while grew:
            grew = False
            while ti < len(their_edits) and _overlaps(their_edits[ti], start, end):
                start, end = min(start, their_edits[ti][0]), max(end, their_edits[ti][1])
                group_t.append(their_edits[ti])
                ti += 1
                grew = True
            while mi < len(ours) and _overlaps(ours[mi], start, end):
                start, end = min(start, ours[mi][0]), max(end, ours[mi][1])
                group_m.append(ours[mi])
                mi += 1
                grew = True
        out.extend(b[pos:start])
        t_text = _apply(b, start, end, group_t)
        m_text = _apply(b, start, end, group_m)
        if not group_m or t_text == m_text:
            out.extend(t_text)
        elif not group_t:
            out.extend(m_text)
        else:
            clash = True
            out.extend(t_text)
            if t_text and m_text and not "".join(t_text).endswith((" ", "\n")):
                out.append(" ")
            out.extend(m_text)
        pos = end
    out.extend(b[pos:])
    return "".join(out), clash


def _overlaps(edit: tuple[int, int, list[str]], start: int, end: int) -> bool:
    i1, i2, _ = edit
    if i1 == i2 or start == end:  # an insertion touches the span it sits at or inside
        return (start <= i1 <= end and start <= i2 <= end) or i1 <= start <= i2
    return i1 < end and start < i2


def _apply(base: list[str], start: int, end: int, edits: list) -> list[str]:
    """The words of base[start:end] with `edits` (from one side, in order) applied."""
    out: list[str] = []
    pos = start
    for i1, i2, words in edits:
        out.extend(base[pos:i1])
        out.extend(words)
        pos = i2
    out.extend(base[pos:end])
    return out
