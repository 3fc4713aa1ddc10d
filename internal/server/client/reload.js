// Live reload for `scalebook serve`. Only the dev server serves this file and
// only its builds link to it; deployed pages never load it.
//
// The page keeps an EventSource open on the server's event stream:
//   hello        on every (re)connection: the current build and its errors
//   reload       the site changed: reload, keeping the scroll position
//   css          only stylesheets changed: swap them in place, no reload
//   build-error  the latest build failed, or built with warnings: show
//                every problem in an overlay
//   build-ok     a build succeeded again: remove the overlay
//
// Pages have a strict Content-Security-Policy (style-src 'self'), so the
// overlay is styled by overlay.css from this server, never by inline styles,
// and every message goes in through textContent, never as markup.
(() => {
  "use strict";

  const me = document.currentScript;
  if (!me || !("EventSource" in window)) return;
  const here = new URL(".", me.src); // the server's folder, under the base path
  const scrollKey = "scalebook:scroll";
  const overlayId = "scalebook-overlay";

  restoreScroll();

  // Which build this page came from: the server says so in a Server-Timing
  // header, so a build that lands between loading the page and opening the
  // stream is not missed. Without the header, the first hello decides.
  let version = servedVersion();

  const source = new EventSource(new URL("events", here));
  source.addEventListener("hello", (e) => {
    const d = parse(e);
    if (version && d.version && d.version !== version) {
      reload();
      return;
    }
    if (d.version) version = d.version;
    if (d.errors && d.errors.length) showOverlay(d.errors);
    else hideOverlay();
  });
  source.addEventListener("reload", () => reload());
  source.addEventListener("css", (e) => {
    const d = parse(e);
    hideOverlay();
    if (swapStylesheets(d.css || [])) {
      if (d.version) version = d.version;
    } else {
      reload(); // this page links none of them: it is older than we think
    }
  });
  source.addEventListener("build-error", (e) => showOverlay(parse(e).errors || []));
  source.addEventListener("build-ok", () => hideOverlay());

  function parse(e) {
    try {
      return JSON.parse(e.data) || {};
    } catch {
      return {};
    }
  }

  function servedVersion() {
    try {
      const nav = performance.getEntriesByType("navigation")[0];
      const t = nav && nav.serverTiming && nav.serverTiming.find((s) => s.name === "scalebook");
      return t ? t.description : "";
    } catch {
      return "";
    }
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({
        url: location.pathname + location.search,
        x: window.scrollX,
        y: window.scrollY,
      }));
    } catch {
      // Storage may be disabled; the reload still matters more.
    }
    source.close();
    location.reload();
  }

  function restoreScroll() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null");
      sessionStorage.removeItem(scrollKey);
    } catch {
      return;
    }
    if (!saved || saved.url !== location.pathname + location.search) return;
    const go = () => window.scrollTo(saved.x, saved.y);
    go();
    // Images and fonts that load later move the content; put it back once.
    if (document.readyState !== "complete") window.addEventListener("load", go, { once: true });
  }

  // swapStylesheets points each matching <link rel=stylesheet> at its new
  // URL. The new link goes in beside the old one, which leaves only once the
  // new sheet has loaded, so the page never flashes unstyled.
  function swapStylesheets(swaps) {
    let swapped = 0;
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const current = new URL(link.href, location.href);
      for (const s of swaps) {
        const from = new URL(s.from, location.href);
        if (current.pathname !== from.pathname) continue;
        const next = link.cloneNode();
        next.removeAttribute("integrity"); // the old hash cannot match the new sheet
        next.href = new URL(s.to, location.href).href;
        next.addEventListener("load", () => link.remove(), { once: true });
        next.addEventListener("error", () => next.remove(), { once: true });
        link.after(next);
        swapped++;
        break;
      }
    }
    return swapped > 0;
  }

  let overlayStyles = null;

  // loadOverlayStyles adds overlay.css once and resolves when it has loaded
  // (or failed: an unstyled overlay beats none).
  function loadOverlayStyles() {
    if (!overlayStyles) {
      overlayStyles = new Promise((resolve) => {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = new URL("overlay.css", here).href;
        link.addEventListener("load", resolve, { once: true });
        link.addEventListener("error", resolve, { once: true });
        document.head.append(link);
      });
    }
    return overlayStyles;
  }

  function el(tag, text) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showOverlay(errors) {
    let box = document.getElementById(overlayId);
    if (!box) {
      box = el("div");
      box.id = overlayId;
      box.className = "scalebook-overlay";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", overlayId + "-title");
      // Hidden until its stylesheet arrives: unstyled, it would land at the
      // bottom of the page where nobody sees it.
      box.hidden = true;
      document.body.append(box);
    }
    const n = errors.length;
    // Warnings come with a build that succeeded (a broken link while
    // previewing): the page shows it, and the list says what to fix.
    const warnings = n > 0 && errors.every((e) => e.warning);
    box.classList.toggle("scalebook-overlay-warning", warnings);
    const title = warnings
      ? el("h2", n + (n === 1 ? " warning" : " warnings"))
      : el("h2", "Build failed: " + n + (n === 1 ? " problem" : " problems"));
    title.id = overlayId + "-title";
    const note = warnings
      ? el("p", "This page shows the latest build. scalebook build reports these too (a broken link fails it): fix the files below.")
      : el("p", "This page shows the last good build. Fix the files below and it updates by itself.");
    const list = el("ul");
    for (const err of errors) {
      const item = el("li");
      item.append(el("code", err.text || err.msg || String(err)));
      // The source line with a caret under the mistake, as the terminal
      // shows it.
      if (err.source) item.append(el("pre", err.source));
      list.append(item);
    }
    const close = el("button", "Dismiss");
    close.type = "button";
    close.className = "scalebook-overlay-close";
    close.setAttribute("aria-label", warnings ? "Dismiss the warnings" : "Dismiss the build errors");
    close.addEventListener("click", hideOverlay);
    box.replaceChildren(title, note, list, close);
    loadOverlayStyles().then(() => {
      if (box.isConnected) box.hidden = false;
    });
  }

  function hideOverlay() {
    const box = document.getElementById(overlayId);
    if (box) box.remove();
  }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && document.getElementById(overlayId)) hideOverlay();
  });
})();
