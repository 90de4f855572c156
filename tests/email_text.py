"""Issue 14: the name every email test sends, and what each part must hold."""

NAME = "O'Neill & Sons <x>"
ESCAPED = "O&#x27;Neill &amp; Sons &lt;x&gt;"


def assert_verbatim(message, *, in_subject: bool = True) -> None:
    """The text part (and subject) hold NAME as typed; the HTML part holds it escaped."""
    assert NAME in message.body
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body
    if in_subject:
        assert NAME in message.subject
    assert "\n" not in message.subject
    assert "&amp;" not in message.subject
    html = message.alternatives[0][0]
    assert ESCAPED in html
    assert NAME not in html
