// Marks the TOC link of the section being read with aria-current="true".
//
// The section is worked out from the scroll position on every scroll (one
// measurement per frame), not from intersection changes: a jump that takes
// no heading across an observed edge (Find in page, a link to a figure, a
// script's scrollIntoView) fires no intersection event and used to leave
// the old heading marked. The section read is the one whose heading is the
// last above the middle of the screen, where Find puts what it found.
//
// A heading the reader jumped to (the address's #fragment, or the heading
// of the section holding the element it names) wins while it is on screen
// and the reader has not scrolled by hand (wheel, touch, keys, pointer):
// near the end of a page it cannot reach the middle, and a short section's
// successor may already be above it.
// SETTLE is how long a smooth scroll to a jump's target may take, in ms.
const SETTLE = 1500;

export function initTocSpy() {
  const links = new Map();
  for (const a of document.querySelectorAll('.toc a[href^="#"]')) {
    const h = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (h) links.set(h, a);
  }
  if (!links.size) return;
  const headings = [...links.keys()];
  const header = document.querySelector(".site-header");

  let current;
  // jumped is the heading of the section jumped to, target the element
  // the jump named (the heading itself, or a figure in its section).
  let jumped = null;
  let target = null;
  let jumpedAt = 0;
  const mark = (h) => {
    if (h === current) return;
    if (current) links.get(current).removeAttribute("aria-current");
    links.get(h).setAttribute("aria-current", "true");
    current = h;
  };

  // sectionOf is the heading whose section holds el: el itself, or the
  // last heading before it.
  const sectionOf = (el) => {
    if (links.has(el)) return el;
    let found = null;
    for (const h of headings) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
      else break;
    }
    return found;
  };

  const update = () => {
    if (jumped) {
      const r = target.getBoundingClientRect();
      const wait = jumpedAt + SETTLE - performance.now();
      if (r.bottom > 0 && r.top < innerHeight) return mark(jumped);
      // Off screen: a smooth scroll may still be on its way there.
      if (wait > 0) {
        setTimeout(later, wait);
        return mark(jumped);
      }
      jumped = null;
    }
    const top = header ? header.getBoundingClientRect().bottom : 0;
    const middle = top + (innerHeight - top) / 2;
    let active = headings[0];
    for (const h of headings) {
      if (h.getBoundingClientRect().top <= middle) active = h;
      else break;
    }
    // At the end of the page the last sections cannot scroll up to the
    // middle; the last heading in view is the one being read.
    if (scrollY + innerHeight >= document.documentElement.scrollHeight - 2) {
      for (const h of headings) if (h.getBoundingClientRect().top < innerHeight) active = h;
    }
    mark(active);
  };

  let frame = 0;
  const later = () => {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        update();
      });
    }
  };
  const jumpTo = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id && document.getElementById(id);
    jumped = el ? sectionOf(el) : null;
    target = el;
    jumpedAt = performance.now();
    later();
  };
  // Scrolling by hand ends the jump's claim.
  const byHand = () => {
    jumped = null;
  };

  addEventListener("scroll", later, { passive: true });
  addEventListener("resize", later, { passive: true });
  addEventListener("hashchange", jumpTo);
  // A link to the fragment already in the address fires no hashchange.
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#"]');
    const el = a && document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (el) {
      jumped = sectionOf(el);
      target = el;
      jumpedAt = performance.now();
      later();
    }
  });
  for (const type of ["wheel", "touchmove", "keydown", "pointerdown"]) addEventListener(type, byHand, { passive: true });
  jumpTo();
}
