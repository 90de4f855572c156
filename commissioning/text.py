"""Small pieces of English the pages and emails share."""


def and_list(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (empty for none)."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
