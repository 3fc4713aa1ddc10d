// Sidebar: off-canvas drawer on narrow screens, collapsible current section.
const NARROW = "(max-width: 56.24em)";

export function initNavDrawer() {
  const button = document.querySelector(".menu-toggle");
  const drawer = document.getElementById("sidebar");
  if (!button || !drawer) return;

  const root = document.documentElement;
  const narrow = matchMedia(NARROW);
  // Everything outside the header and drawer is made inert while open.
  const background = () => document.querySelectorAll("body > :not(.site-header):not(.layout), .layout > :not(#sidebar)");

  const isOpen = () => button.getAttribute("aria-expanded") === "true";

  const open = () => {
    button.setAttribute("aria-expanded", "true");
    root.classList.add("nav-open");
    for (const el of background()) el.inert = true;
    const target = drawer.querySelector('[aria-current="page"]') || drawer.querySelector("a, button");
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "nearest" });
    }
  };

  const close = (restoreFocus) => {
    button.setAttribute("aria-expanded", "false");
    root.classList.remove("nav-open");
    for (const el of background()) el.inert = false;
    if (restoreFocus) button.focus();
  };

  button.addEventListener("click", () => (isOpen() ? close(false) : open()));

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && isOpen()) {
      e.preventDefault();
      close(true);
    }
  });

  // Click on the backdrop (outside drawer and button) closes.
  document.addEventListener("click", (e) => {
    if (isOpen() && !drawer.contains(e.target) && !button.contains(e.target)) close(false);
  });

  narrow.addEventListener("change", () => {
    if (!narrow.matches && isOpen()) close(false);
  });

  // Restore state when the page comes back from the back/forward cache.
  addEventListener("pageshow", () => {
    if (isOpen()) close(false);
  });

  initSectionToggles(drawer);
}

// Adds a disclosure button to each expanded section of the nav tree.
function initSectionToggles(nav) {
  let n = 0;
  for (const list of nav.querySelectorAll(".nav-section > ul")) {
    const item = list.parentElement;
    const link = item.querySelector(":scope > a");
    const id = list.id || `nav-sub-${++n}`;
    list.id = id;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "nav-toggle";
    toggle.setAttribute("aria-expanded", "true");
    toggle.setAttribute("aria-controls", id);
    toggle.setAttribute("aria-label", `${link ? link.textContent.trim() : "Section"} pages`);
    toggle.addEventListener("click", () => {
      const expanded = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!expanded));
      list.hidden = expanded;
    });
    if (link) link.after(toggle);
    else item.prepend(toggle);
  }
}
