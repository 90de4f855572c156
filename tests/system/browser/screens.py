"""Screenshots to look at (issue 18): a page at 1280 px and at 320 px wide, saved under
$SCREENSHOTS_DIR (default: <tmp>/shots), never in the repository."""

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page

WIDTHS = (1280, 320)


def shots(page: Page, name: str) -> None:
    """The page, full length, at each width; the viewport goes back to 1280 px after."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR", Path(tempfile.gettempdir()) / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
