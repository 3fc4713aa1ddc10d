// Dark-theme toggle. The choice is stored only when it differs from the
// system preference; toggling back to the system theme clears it, so the
// page follows prefers-color-scheme again.
const KEY = "scalebook-theme";

export function initThemeToggle() {
  const root = document.documentElement;
  const media = matchMedia("(prefers-color-scheme: dark)");
  const buttons = document.querySelectorAll(".theme-toggle");
  if (!buttons.length) return;

  const isDark = () => (root.dataset.theme || (media.matches ? "dark" : "light")) === "dark";
  const sync = () => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(isDark()));
  };

  const set = (theme) => {
    const system = media.matches ? "dark" : "light";
    try {
      if (theme === system) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch (e) {
      // Not persisted; still applied for this page.
    }
    if (theme === system) delete root.dataset.theme;
    else root.dataset.theme = theme;
    sync();
  };

  for (const b of buttons) {
    b.addEventListener("click", () => set(isDark() ? "light" : "dark"));
  }
  media.addEventListener("change", sync);
  // Another tab changed the theme.
  addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    if (e.newValue === "light" || e.newValue === "dark") root.dataset.theme = e.newValue;
    else delete root.dataset.theme;
    sync();
  });
  sync();
}
