"""The word diff and three-way merge behind conflict and history pages (issue 18, finding 2)."""

import pytest

from commissioning.diffs import is_long, merge, word_diff


def test_word_diff_marks_added_and_removed_words():
    html = word_diff("The group meets monthly.", "The group meets quarterly in public.")
    assert "The group meets " in html
    assert '<del class="app-diff__del">' in html
    assert "monthly." in html.split("</del>")[0]
    assert '<ins class="app-diff__ins">' in html
    assert "quarterly in public." in html.split("<ins")[1]


def test_word_diff_says_added_and_removed_without_colour():
    html = word_diff("one two", "one three")
    assert '<span class="nhsuk-u-visually-hidden">[removed: </span>two' in html
    assert '<span class="nhsuk-u-visually-hidden">[added: </span>three' in html


def test_word_diff_escapes_everything():
    html = word_diff("<b>old</b>", "<script>alert(1)</script> & more")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; more" in html
    assert "<b>" not in html


def test_word_diff_of_equal_text_has_no_marks():
    html = word_diff("Same text\nsecond line", "Same text\nsecond line")
    assert "<ins" not in html
    assert "<del" not in html
    assert "Same text<br>" in html


def test_word_diff_handles_empty_sides():
    assert "<ins" in word_diff("", "new")
    assert "<del" in word_diff(None, "") or word_diff(None, "") == ""
    assert "<del" in word_diff("gone", "")


def test_merge_keeps_both_peoples_separate_changes():
    base = "1. Purpose.\n2. Membership.\n3. Quorum."
    theirs = "1. Purpose.\n2. Membership.\n2a. Deputies may attend.\n3. Quorum."
    mine = "1. Purpose and scope.\n2. Membership.\n3. Quorum."
    merged, clash = merge(base, theirs, mine)
    assert merged == "1. Purpose and scope.\n2. Membership.\n2a. Deputies may attend.\n3. Quorum."
    assert clash is False


def test_merge_keeps_both_versions_where_they_clash():
    merged, clash = merge("Meets monthly.", "Meets quarterly.", "Meets weekly.")
    assert clash is True
    assert "quarterly." in merged
    assert "weekly." in merged


@pytest.mark.parametrize(
    ("base", "theirs", "mine"),
    [("a b c", "a b c", "a x c"), ("a b c", "a x c", "a b c"), ("", "new", "")],
)
def test_merge_with_one_side_unchanged_is_the_other(base, theirs, mine):
    merged, clash = merge(base, theirs, mine)
    assert merged == (mine if theirs == base else theirs)
    assert clash is False


def test_is_long():
    assert is_long("x" * 81)
    assert is_long("line one\nline two")
    assert not is_long("Short", 3, None)
