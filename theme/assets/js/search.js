// Site search, in the browser. The build writes search-index.json (format:
// internal/search/search.go); this module fetches it the first time the
// search box is used (focus, or the "/" shortcut), then answers as you type.
//
// The box follows the ARIA combobox pattern: the input is a combobox that
// controls the #search-results listbox, arrows move the active option
// (aria-activedescendant), Enter opens it, Escape closes the list. Keyboard
// focus stays in the input; results are built with textContent and <mark>,
// never innerHTML, because index text is data, not markup.
import { announce } from "./util.js";

const MAX_RESULTS = 12;
const SNIPPET = 160; // characters of text shown per result
const WORD = /[\p{L}\p{N}]+/gu;

// Where a word was found, and what a match there is worth: [exact, prefix].
const TITLE = 0; // the page title, on the page's top entry
const HEADING = 1;
const TEXT = 2;
const PAGE = 3; // the page title, on the page's other entries
const WEIGHT = [
  [40, 30],
  [24, 18],
  [2, 1.5], // per occurrence, up to 5
  [3, 2],
];

export function tokens(s) {
  return s.toLowerCase().match(WORD) || [];
}

// buildIndex turns the fetched JSON into a vocabulary of sorted words, each
// with its postings: flat [entry, field, count, …].
export function buildIndex(data) {
  if (!data || data.v !== 1) throw new Error("search index: unknown format");
  const pages = data.pages.map(([url, title, parent]) => ({ url, title, parent }));
  const entries = data.entries.map(([page, anchor, heading, text]) => ({ page, anchor, heading, text }));
  const postings = new Map();
  const add = (text, entry, field) => {
    const counts = new Map();
    for (const t of tokens(text)) counts.set(t, (counts.get(t) || 0) + 1);
    for (const [t, c] of counts) {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = []));
      p.push(entry, field, c);
    }
  };
  entries.forEach((e, i) => {
    const top = e.anchor === "" && e.heading === "";
    add(pages[e.page].title, i, top ? TITLE : PAGE);
    add(e.heading, i, HEADING);
    add(e.text, i, TEXT);
  });
  const vocab = [...postings.keys()].sort();
  return { pages, entries, postings, vocab };
}

// search returns the numbers of the best entries for query, best first:
// every word of the query must start a word of the entry (or of its page's
// title); titles and headings count for more than text.
export function search(ix, query) {
  const words = [...new Set(tokens(query))];
  if (!words.length) return [];
  let total = null;
  for (const q of words) {
    const best = new Map(); // entry*4+field → best weight for q
    // The vocabulary is sorted, so words starting with q are one run.
    let lo = 0;
    let hi = ix.vocab.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ix.vocab[mid] < q) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ix.vocab.length && ix.vocab[i].startsWith(q); i++) {
      const t = ix.vocab[i];
      const exact = t === q ? 0 : 1;
      const p = ix.postings.get(t);
      for (let k = 0; k < p.length; k += 3) {
        const [e, f, c] = [p[k], p[k + 1], p[k + 2]];
        const w = WEIGHT[f][exact] * (f === TEXT ? Math.min(c, 5) : 1);
        const key = e * 4 + f;
        if (w > (best.get(key) || 0)) best.set(key, w);
      }
    }
    const scores = new Map();
    for (const [key, w] of best) {
      const e = Math.floor(key / 4);
      scores.set(e, (scores.get(e) || 0) + w);
    }
    if (total === null) {
      total = scores;
    } else {
      for (const [e, s] of total) {
        if (scores.has(e)) total.set(e, s + scores.get(e));
        else total.delete(e);
      }
    }
    if (!total.size) return [];
  }
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_RESULTS)
    .map(([e]) => e);
}

// matcher finds the query's words at the start of words of a text: group 1
// is what precedes the word, group 2 the whole word.
export function matcher(query) {
  const words = [...new Set(tokens(query))].sort((a, b) => b.length - a.length);
  if (!words.length) return null;
  const alt = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`(^|[^\\p{L}\\p{N}])((?:${alt})[\\p{L}\\p{N}]*)`, "giu");
}

// snippet cuts about SNIPPET characters of text around the first match.
export function snippet(text, re) {
  let start = 0;
  if (re) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) {
      const at = m.index + m[1].length;
      start = Math.max(0, at - 40);
      if (start > 0) {
        const space = text.indexOf(" ", start);
        start = space >= 0 && space < at ? space + 1 : start;
      }
    }
  }
  let end = Math.min(text.length, start + SNIPPET);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start + SNIPPET / 2) end = space;
  }
  return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
}

// highlight appends text to el with every match wrapped in <mark>.
export function highlight(el, text, re) {
  let last = 0;
  if (re) {
    re.lastIndex = 0;
    for (let m; (m = re.exec(text)); ) {
      const at = m.index + m[1].length;
      if (at > last) el.append(text.slice(last, at));
      const mark = document.createElement("mark");
      mark.textContent = m[2];
      el.append(mark);
      last = at + m[2].length;
    }
  }
  if (last < text.length) el.append(text.slice(last));
}

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

export function initSearch() {
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  if (!input || !list) return;
  const form = input.form || list.parentElement;
  const base = siteBase();

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");

  let index = null;
  let loading = null;
  let failed = false;
  let options = [];
  let active = -1;
  let spoken;

  const load = () => {
    loading ||= fetch(new URL(base + "search-index.json", location.href), { credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error(`search index: HTTP ${r.status}`);
        return r.json();
      })
      .then((data) => {
        index = buildIndex(data);
      })
      .catch((err) => {
        failed = true;
        console.error(err);
      })
      .then(update);
    return loading;
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

  const note = (message) => {
    const p = document.createElement("p");
    p.className = "search-empty";
    p.setAttribute("role", "option");
    p.setAttribute("aria-disabled", "true");
    p.textContent = message;
    list.append(p);
    say(message);
  };

  function update() {
    const query = input.value.trim();
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.replaceChildren();
    if (!query) {
      close();
      return;
    }
    if (failed) {
      note("Search is unavailable right now.");
      open();
      return;
    }
    if (!index) return; // update runs again when the index arrives
    const re = matcher(query);
    search(index, query).forEach((n, i) => {
      const e = index.entries[n];
      const page = index.pages[e.page];
      const a = document.createElement("a");
      a.id = `${list.id}-${i}`;
      a.className = "search-result";
      a.href = base + page.url + (e.anchor ? "#" + e.anchor : "");
      a.tabIndex = -1;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");

      const title = document.createElement("span");
      title.className = "search-result-title";
      highlight(title, e.heading || page.title, re);
      a.append(title);

      // Where it is: the page's ancestors (without the home page), and the
      // page itself when the result is a section of it.
      const trail = e.heading ? [page.title] : [];
      for (let p = page.parent; p >= 0 && index.pages[p].parent >= 0; p = index.pages[p].parent) {
        trail.unshift(index.pages[p].title);
      }
      if (trail.length) {
        const path = document.createElement("span");
        path.className = "search-result-path";
        path.textContent = trail.join(" › ");
        a.append(path);
      }
      if (e.text) {
        const excerpt = document.createElement("span");
        excerpt.className = "search-result-excerpt";
        highlight(excerpt, snippet(e.text, re), re);
        a.append(excerpt);
      }
      list.append(a);
      options.push(a);
    });
    if (options.length) say(`${options.length} result${options.length === 1 ? "" : "s"}`);
    else note(`No results for “${query}”`);
    open();
  }

  const go = (opt) => {
    close();
    location.assign(opt.href);
  };

  input.addEventListener("focus", () => {
    load();
    if (index && input.value.trim()) update();
  });
  input.addEventListener("input", () => {
    if (!loading) load();
    else update();
  });
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
    else if (!e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) close();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("focusout", (e) => {
    if (!form.contains(e.relatedTarget)) close();
  });
}
