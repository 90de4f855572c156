// The idle-timeout warning (issue 19), GOV.UK/NHS.UK's pattern: a modal dialog some minutes
// before the session ends, "Stay signed in" (or Escape) starts its idle time again, and at
// the end the page goes to "You have been signed out". Without JavaScript the page's
// <noscript> refresh leads to the same warning as a page (accounts/session_ending.html).
const root = document.querySelector("[data-module='app-session-timeout']");

if (root?.dataset.mode === "page") {
  // "You will be signed out soon" as a page (reached if this script was late): it goes on
  // to "You have been signed out" at the end, as its <noscript> refresh does without it.
  const { secondsLeft, signedOutUrl } = root.dataset;
  window.setTimeout(() => window.location.assign(signedOutUrl), Number(secondsLeft) * 1000);
} else if (root && typeof HTMLDialogElement === "function") {
  const dialog = root.querySelector("dialog");
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-announce]");
  const token = dialog.querySelector("[name='csrfmiddlewaretoken']").value;
  const { sessionUrl, signedOutUrl } = root.dataset;
  const warningMs = Number(root.dataset.warningSeconds) * 1000;
  let deadline = Date.now() + Number(root.dataset.secondsLeft) * 1000;
  let warnTimer = 0;
  let tickTimer = 0;
  let announced = "";

  const words = (ms) => {
    const seconds = Math.max(Math.ceil(ms / 1000), 0);
    if (seconds >= 60) {
      const minutes = Math.round(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };
  // Screen readers hear the time at each whole minute and every 15 seconds in the last
  // minute, not every second (the visible text changes every second).
  const spoken = (ms) => {
    const seconds = Math.max(Math.ceil(ms / 1000), 0);
    if (seconds >= 60) return words(Math.ceil(seconds / 60) * 60000);
    return words(Math.ceil(seconds / 15) * 15000);
  };

  const signOut = () => window.location.assign(signedOutUrl);

  const tick = () => {
    const left = deadline - Date.now();
    // A second's grace, so that the server has ended the session when the page asks.
    if (left <= -1000) {
      signOut();
      return;
    }
    countdown.textContent = words(left);
    const say = `We will sign you out in ${spoken(left)}.`;
    if (say !== announced) {
      announced = say;
      announce.textContent = say;
    }
  };

  const ask = async (method) => {
    const response = await fetch(sessionUrl, {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    });
    if (!response.ok) throw new Error(`session ${response.status}`);
    return (await response.json()).seconds_left * 1000;
  };

  const schedule = () => {
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(warn, Math.max(deadline - warningMs - Date.now(), 0));
  };

  async function warn() {
    // Activity in another tab may have moved the end: ask (a check that is not activity).
    try {
      deadline = Date.now() + (await ask("GET"));
    } catch {
      signOut();
      return;
    }
    if (deadline - Date.now() > warningMs + 1000) {
      schedule();
      return;
    }
    announced = "";
    tick();
    dialog.showModal();
    tickTimer = window.setInterval(tick, 1000);
  }

  const stay = async () => {
    window.clearInterval(tickTimer);
    try {
      deadline = Date.now() + (await ask("POST"));
    } catch {
      signOut();
      return;
    }
    dialog.close();
    schedule();
  };

  dialog.querySelector("[data-stay]").addEventListener("click", stay);
  // Escape means "Stay signed in", as in the GOV.UK pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule();
}
