// Progressive enhancement only: every task works without JavaScript.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

// NHS.UK frontend's components start only on a <body> marked "nhsuk-frontend-supported" (its
// template sets it from an inline script for browsers with ES modules; this module script runs
// only in those browsers, so it marks the body itself). Without it initAll() started nothing:
// no header menu, no focus on the error summary (found on issue 18's walk).
document.body.classList.add("nhsuk-frontend-supported");
initAll();

// Wide tables (issue 18): the "Scroll to see more columns" cue only while a table overflows.
for (const box of document.querySelectorAll("[data-module='app-scrolltable']")) {
  const region = box.querySelector(".app-scrolltable__region");
  const update = () =>
    box.classList.toggle("app-scrolltable--fits", region.scrollWidth <= region.clientWidth + 1);
  update();
  window.addEventListener("resize", update);
}

// A new API token's "Copy token" button (issue 19): shown only where the clipboard can be
// written; without JavaScript the token sits in a read-only box to select and copy.
for (const box of document.querySelectorAll("[data-module='app-copy']")) {
  const source = document.getElementById(box.dataset.copyFrom);
  const status = box.querySelector("[role='status']");
  if (!source || !navigator.clipboard) continue;
  box.hidden = false;
  box.querySelector("button").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = "Token copied.";
    } catch {
      source.select();
      status.textContent = "Could not copy: the token is selected, copy it with your keyboard.";
    }
  });
}
