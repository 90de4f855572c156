// Progressive enhancement only: every task works without JavaScript.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
