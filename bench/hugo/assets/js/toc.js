// Marks the TOC entry of the heading in view.
export function initToc(doc) {
  const links = [...doc.querySelectorAll(".toc a[href^='#']")];
  if (!links.length || !("IntersectionObserver" in window)) return;
  const byId = new Map(links.map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const a = byId.get(e.target.id);
      if (a && e.isIntersecting) {
        links.forEach((l) => l.removeAttribute("aria-current"));
        a.setAttribute("aria-current", "true");
      }
    }
  });
  byId.forEach((_, id) => { const h = doc.getElementById(id); if (h) io.observe(h); });
}
