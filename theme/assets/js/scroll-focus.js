// Blocks that scroll sideways (code, a table too wide for the column even at
// its narrowest, a diagram shown at full size, a calculator) get
// tabindex="0" so keyboard users can reach them and scroll with the arrow
// keys; a table's wrapper also becomes a named region, so a screen reader
// says what the focused scroller holds. Blocks that fit lose both, so they
// are no stop for the Tab key.
const SELECTOR = ".prose pre, .prose table, .table-wrap, .diagram-view, .calc";

export function initScrollFocus() {
  const blocks = [...document.querySelectorAll(SELECTOR)];
  if (!blocks.length) return;
  const names = new Map();
  for (const el of blocks) if (el.matches(".table-wrap")) names.set(el, tableName(el, names));
  const update = () => {
    for (const el of blocks) {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (el.matches(".table-wrap")) {
        // The Markdown renderer makes every wrapper focusable, for pages
        // read without scripts; here only the ones that scroll stay so.
        if (scrolls) {
          el.tabIndex = 0;
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", names.get(el));
        } else {
          el.removeAttribute("tabindex");
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
        }
      } else if (scrolls) {
        if (!el.hasAttribute("tabindex")) {
          el.tabIndex = 0;
          el.dataset.scrollFocus = "";
        }
      } else if (el.hasAttribute("data-scroll-focus")) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrollFocus;
      }
    }
  };
  update();
  let frame;
  const later = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(update);
  };
  addEventListener("resize", later);
  // Opening a diagram at full size makes it scroll.
  document.addEventListener("change", (e) => {
    if (e.target.closest(".diagram-zoom")) later();
  });
}

// tableName names a table after its caption, else the heading of its
// section ("Table: Data model"), numbered when a section has several so
// that no two regions share a name.
function tableName(wrap, taken) {
  const caption = wrap.querySelector("caption");
  let name = caption ? caption.textContent.trim() : "";
  if (!name) {
    let heading;
    for (const h of document.querySelectorAll("main h2, main h3, main h4")) {
      if (h.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING) heading = h;
      else break;
    }
    const title = heading ? [...heading.childNodes].filter((n) => !(n.classList && n.classList.contains("anchor"))).map((n) => n.textContent).join("").trim() : "";
    name = title ? "Table: " + title : "Table";
  }
  const used = new Set(taken.values());
  let unique = name;
  for (let i = 2; used.has(unique); i++) unique = name + " (" + i + ")";
  return unique;
}
