"""Copy the NHS.UK frontend and htmx builds from node_modules into static/.

Run by `make vendor` after `npm ci`. The built files are committed, so the app works offline
after `make run` without Node. The NHS.UK stylesheet is adjusted to be self-contained: its
image URLs point at our copy of the images, and the Frutiger @font-face rules (served only from
the NHS's own font host, under licence) are dropped so the page falls back to Arial, as the
design system intends when the font is unavailable.
"""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
OUT = ROOT / "static" / "nhsuk"


def _without_source_map(text: str) -> str:
    """Drop the sourceMappingURL comment: the .map files are not vendored, and Django's
    manifest storage (production) refuses to collect a file that names a missing one."""
    return re.sub(r"\n?/[*/]# sourceMappingURL=\S+(?: \*/)?\s*$", "\n", text)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    css = (DIST / "nhsuk-frontend.min.css").read_text()
    css = css.replace("url(/assets/images/", "url(images/")
    css = re.sub(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}", "", css)
    (OUT / "nhsuk-frontend.min.css").write_text(_without_source_map(css))
    js = (DIST / "nhsuk-frontend.min.js").read_text()
    (OUT / "nhsuk-frontend.min.js").write_text(_without_source_map(js))
    shutil.copytree(DIST / "assets" / "images", OUT / "images")
    htmx = ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
    (ROOT / "static" / "js").mkdir(parents=True, exist_ok=True)
    shutil.copy(htmx, ROOT / "static" / "js" / "htmx.min.js")
    print(f"Vendored NHS.UK frontend and htmx into {OUT.parent}")


if __name__ == "__main__":
    main()
