// Marks the TOC link of the section being read with aria-current="true".
export function initTocSpy() {
  const links = new Map();
  for (const a of document.querySelectorAll('.toc a[href^="#"]')) {
    const h = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (h) links.set(h, a);
  }
  if (!links.size || !("IntersectionObserver" in window)) return;

  const headings = [...links.keys()];
  const visible = new Set();
  let current;
  const update = () => {
    // The first visible heading wins; otherwise the last one scrolled past.
    let active = headings.find((h) => visible.has(h));
    if (!active) {
      active = headings[0];
      for (const h of headings) if (h.getBoundingClientRect().top < 100) active = h;
    }
    if (active === current) return;
    if (current) links.get(current).removeAttribute("aria-current");
    links.get(active).setAttribute("aria-current", "true");
    current = active;
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) visible.add(e.target);
        else visible.delete(e.target);
      }
      update();
    },
    { rootMargin: "-60px 0px -55% 0px" },
  );
  for (const h of headings) observer.observe(h);
}
