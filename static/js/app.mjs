// Progressive enhancement only: every task works without JavaScript.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// Wide tables (issue 18): the "Scroll to see more columns" cue only while a table overflows.
for (const box of document.querySelectorAll("[data-module='app-scrolltable']")) {
  const region = box.querySelector(".app-scrolltable__region");
  const update = () =>
    box.classList.toggle("app-scrolltable--fits", region.scrollWidth <= region.clientWidth + 1);
  update();
  window.addEventListener("resize", update);
}
