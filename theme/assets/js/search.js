// Site search, in the browser. The build writes the index as small files
// under search/ (format: internal/search/search.go); search-core.js ranks
// with them, and this module fetches what a query needs (the metadata the
// first time the box is used, then vocabulary, postings and page records
// as queries need them) and shows the results grouped by page, with the
// matching sections under each.
//
// The box follows the ARIA combobox pattern: the input is a combobox that
// controls the #search-results listbox, arrows move the active option
// (aria-activedescendant), Enter opens it, Escape closes the list. Keyboard
// focus stays in the input; results are built with textContent and <mark>,
// never innerHTML, because index text is data, not markup.
//
// Offline: file names carry a hash of their contents, so every file but the
// metadata is fetched with cache: "force-cache" and answers from the
// browser's HTTP cache, stale or not, once it has been fetched; the
// metadata is fetched normally and, when the network fails, from the cache.
// A page that stays open keeps everything it fetched in memory.
import { announce } from "./util.js";
import { MAX_SECTIONS, PAGES, SearchIndex, matches, snippet } from "./search-core.js";

// How long typing must pause before a query fetches what it lacks, in ms.
const TYPING = 100;

// siteBase is the site's base path ("/" or "/repo/"), which the head
// announces in <meta name="scalebook-base">; failing that, it is the folder
// of the favicon, which the build puts at the site's root.
export function siteBase(doc = document) {
  const meta = doc.querySelector('meta[name="scalebook-base"]');
  let base = meta && meta.getAttribute("content");
  if (base == null) {
    const icon = doc.querySelector('link[rel~="icon"]');
    base = icon ? new URL(".", icon.href).pathname : "/";
  }
  return base.endsWith("/") ? base : base + "/";
}

// highlight appends text to el with the given [start, end) ranges wrapped
// in <mark>.
export function highlight(el, text, ranges) {
  let last = 0;
  for (const [a, b] of ranges) {
    if (a > last) el.append(text.slice(last, a));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(a, b);
    el.append(mark);
    last = b;
  }
  if (last < text.length) el.append(text.slice(last));
}

export function initSearch() {
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  if (!input || !list) return;
  const form = input.form || list.parentElement;
  const base = siteBase();
  const dir = new URL(base + "search/", location.href);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");

  let index = null; // a promise of the SearchIndex
  let failed = false;
  let options = [];
  let active = -1;
  let spoken;
  let generation = 0;

  const getJSON = async (name, cache) => {
    const r = await fetch(new URL(name, dir), { credentials: "same-origin", cache });
    if (!r.ok) throw Object.assign(new Error(`search index: HTTP ${r.status} for ${name}`), { status: r.status });
    return r.json();
  };

  const loadMeta = async (fresh) => {
    let meta;
    try {
      meta = await getJSON("index.json", fresh ? "no-cache" : "default");
    } catch (err) {
      if (err.status) throw err;
      meta = await getJSON("index.json", "force-cache"); // offline: the cached copy
    }
    const ix = new SearchIndex(meta);
    warmOnce(ix);
    return ix;
  };

  // The first query after a page loads would otherwise run the engine's
  // code before it is optimized, which took it past 50 ms on a large site
  // (issue 14): the code is run on made-up input when the page is idle
  // after the metadata arrives, which is while the reader types or the
  // query waits for its files, a step of a few milliseconds at a time so
  // that a key pressed meanwhile is not kept waiting. Its time is
  // measured as "scalebook-warm".
  let warmed = false;
  const warmOnce = (ix) => {
    if (warmed) return;
    warmed = true;
    const steps = ix.warmSteps((made, answer) => build(made, answer, PAGES));
    let busy = 0;
    const idle = window.requestIdleCallback || ((f) => setTimeout(() => f({ timeRemaining: () => 0 }), 0));
    const work = (deadline) => {
      const start = performance.now();
      try {
        do steps.shift()();
        while (steps.length && deadline.timeRemaining() > 8);
      } catch (err) {
        console.error(err);
        steps.length = 0;
      }
      const end = performance.now();
      busy += end - start;
      if (steps.length) idle(work);
      else performance.measure("scalebook-warm", { start: Math.max(0, end - busy), end });
    };
    idle(work);
  };

  const load = () => (index ||= loadMeta(false));

  // answer fetches what query needs and ranks it. A file that has gone
  // (the site was deployed since the metadata was fetched) means the
  // metadata is stale: it is fetched again, once.
  const answer = async (query, mine, retry = true) => {
    const ix = await load();
    try {
      // The time the script spends on a query, fetches and pauses left
      // out (taking in the files, finding the words, ranking), is measured
      // as "scalebook-search" (then "scalebook-render" for showing the
      // answer), for the tests to report.
      let busy = 0;
      const timed = (f) => {
        const t = performance.now();
        const v = f();
        busy += performance.now() - t;
        return v;
      };
      const fetchAll = (names) => Promise.all(names.map(async (f) => {
        const data = await getJSON(f, "force-cache");
        timed(() => ix.add(f, data));
      }));
      for (let need = timed(() => ix.missing(query)); need.length; need = timed(() => ix.missing(query))) {
        // While keys keep coming, fetch nothing for a query about to be
        // replaced: a word typed at speed costs the fetches of the word.
        await new Promise((done) => setTimeout(done, TYPING));
        if (mine !== generation) return null;
        await fetchAll(need);
      }
      const result = timed(() => ix.search(query));
      const end = performance.now();
      performance.measure("scalebook-search", { start: Math.max(0, end - busy), end });
      const docs = ix.docsMissing(result, PAGES);
      if (docs.length) {
        await new Promise((done) => setTimeout(done, TYPING));
        if (mine !== generation) return null;
        await fetchAll(docs);
      }
      return { ix, result, fetchAll };
    } catch (err) {
      if (!retry || err.status !== 404) throw err;
      index = loadMeta(true);
      return answer(query, mine, false);
    }
  };

  const open = () => {
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };

  const setActive = (i) => {
    if (options[active]) options[active].setAttribute("aria-selected", "false");
    active = i;
    const opt = options[i];
    if (opt) {
      opt.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", opt.id);
      opt.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const say = (message) => {
    clearTimeout(spoken);
    spoken = setTimeout(() => announce(message), 500);
  };

  const reset = () => {
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.replaceChildren();
  };

  const note = (message) => {
    const p = document.createElement("p");
    p.className = "search-empty";
    p.setAttribute("role", "option");
    p.setAttribute("aria-disabled", "true");
    p.textContent = message;
    list.append(p);
    say(message);
  };

  const span = (cls, text, result, ranges) => {
    const s = document.createElement("span");
    s.className = cls;
    highlight(s, text, ranges || (result ? matches(text, result) : []));
    return s;
  };

  // excerpt shows the part of an entry's text around what the query found,
  // or of its code names and diagram labels when the text has none of it.
  const excerpt = (e, result) => {
    let s = snippet(e.text, result);
    if (!s.found && e.aux) {
      const a = snippet(e.aux, result, 120);
      if (a.found) s = a;
    }
    return s.text ? span("search-result-excerpt", s.text, null, s.ranges) : null;
  };

  // shown is the answer on screen and how many of its pages are listed.
  let shown = null;

  // build makes the options of an answer's first limit pages apart from
  // the page, in a fragment: render puts them in the page at once, and the
  // warm-up builds a made-up answer's, which nothing shows.
  const build = (ix, result, limit) => {
    const frag = document.createDocumentFragment();
    const made = [];
    const option = (href, cls) => {
      const a = document.createElement("a");
      a.id = `${list.id}-${made.length}`;
      a.className = "search-result " + cls;
      a.href = href;
      a.tabIndex = -1;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      frag.append(a);
      made.push(a);
      return a;
    };
    for (const hit of result.top(limit)) {
      const doc = ix.doc(hit.page);
      const url = base + doc.url;
      const page = option(url, "search-page");
      page.append(span("search-result-title", doc.title, result));
      if (doc.trail.length) page.append(span("search-result-path", doc.trail.join(" › ")));
      const top = hit.entries.find((e) => e.entry === 0);
      if (top) {
        const ex = excerpt(doc.entries[0], result);
        if (ex) page.append(ex);
      }
      for (const h of hit.entries.filter((e) => e.entry !== 0).slice(0, MAX_SECTIONS)) {
        const e = doc.entries[h.entry];
        const calc = e.kind === 1;
        const a = option(url + "#" + e.anchor, calc ? "search-section search-calc" : "search-section");
        a.append(span("search-result-title", e.heading, result));
        // Where the section is, for screen readers: the page it is in.
        a.append(span("search-result-path visually-hidden", [...doc.trail, doc.title].join(" › ")));
        const ex = excerpt(e, result);
        if (ex) a.append(ex);
      }
    }
    const more = result.count - limit;
    if (more > 0) {
      const a = option("#", "search-more");
      a.textContent = `${more} more page${more === 1 ? "" : "s"}`;
      a.dataset.more = "";
    }
    return { frag, made };
  };

  const render = (query, ix, result, limit) => {
    reset();
    shown = { query, ix, result, limit };
    const { frag, made } = build(ix, result, limit);
    options = made;
    list.append(frag);
    if (options.length) say(`${result.count} page${result.count === 1 ? "" : "s"} found`);
    else note(`No results for “${query}”`);
    list.dataset.query = query; // what the list answers, for tests
    open();
  };

  // showMore lists the next pages of the answer on screen, keeping the
  // keyboard on the first of them.
  const showMore = async () => {
    const { query, ix, result, limit } = shown;
    const mine = generation;
    const first = options.length - 1;
    try {
      await Promise.all(ix.docsMissing(result, limit + PAGES).map(async (f) => ix.add(f, await getJSON(f, "force-cache"))));
    } catch (err) {
      console.error(err);
      return;
    }
    if (mine !== generation) return;
    render(query, ix, result, limit + PAGES);
    setActive(Math.min(first, options.length - 1));
  };

  async function update() {
    const query = input.value.trim();
    const mine = ++generation;
    if (!query) {
      reset();
      close();
      return;
    }
    if (failed) {
      reset();
      note("Search is unavailable right now.");
      open();
      return;
    }
    let got;
    try {
      got = await answer(query, mine);
    } catch (err) {
      console.error(err);
      failed = true;
      index = null;
      if (mine === generation) update();
      return;
    }
    if (!got || mine !== generation) return; // a later keystroke has its own answer
    const start = performance.now();
    render(query, got.ix, got.result, PAGES);
    performance.measure("scalebook-render", { start, end: performance.now() });
  }

  const go = (opt) => {
    if (opt.hasAttribute("data-more")) {
      showMore();
      return;
    }
    close();
    location.assign(opt.href);
  };

  input.addEventListener("focus", () => {
    load().catch(() => {});
    if (input.value.trim()) update();
  });
  // A pointer coming to the box, or a finger touching it, says a search is
  // coming: the metadata is fetched and the warm-up run then, a moment
  // before the box has the focus.
  const intent = () => load().catch(() => {});
  form.addEventListener("pointerenter", intent, { once: true });
  form.addEventListener("touchstart", intent, { once: true, passive: true });
  input.addEventListener("input", update);
  input.addEventListener("keydown", (e) => {
    if (e.isComposing) return;
    const n = options.length;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (!input.value.trim()) return;
        e.preventDefault();
        if (list.hidden) {
          update();
          return;
        }
        if (!n) return;
        if (e.key === "ArrowDown") setActive(active < n - 1 ? active + 1 : 0);
        else setActive(active > 0 ? active - 1 : n - 1);
        break;
      case "Enter":
        // The form's action is for browsers without JavaScript.
        e.preventDefault();
        if (list.hidden) update();
        else if (n) go(options[Math.max(active, 0)]);
        break;
      case "Escape":
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
        break;
    }
  });
  // Focus stays in the input while the mouse picks a result; the click then
  // follows the link as usual (so Ctrl-click opens a tab).
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => {
    if (e.target.closest('[aria-disabled="true"]')) e.preventDefault();
    else if (e.target.closest("[data-more]")) {
      e.preventDefault();
      showMore();
    } else if (!e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) close();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("focusout", (e) => {
    if (!form.contains(e.relatedTarget)) close();
  });
}
