// Horizontally scrolling blocks (code, tables, diagrams, calculators) get
// tabindex="0" so keyboard users can focus them and scroll with arrow keys.
const SELECTOR = ".prose pre, .prose table, .table-wrap, .diagram, .calc";

export function initScrollFocus() {
  const blocks = document.querySelectorAll(SELECTOR);
  if (!blocks.length) return;
  const update = () => {
    for (const el of blocks) {
      if (el.scrollWidth > el.clientWidth + 1) {
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
  addEventListener("resize", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(update);
  });
}
