// scalebook default theme — JS entry (ES module, bundled by esbuild).
//
// Plugging in another module (search, calculators, …): write an ES module
// that exports an init function, import it here and add it to `modules`.
// Each init runs once, after the DOM is parsed (module scripts are deferred);
// one failing module does not stop the others. Keep page-specific work
// behind a cheap DOM check (e.g. return early when no `.calc` exists).
import { initThemeToggle } from "./theme-toggle.js";
import { initNavDrawer } from "./nav-drawer.js";
import { initCopyButtons } from "./copy-code.js";
import { initTocSpy } from "./toc-spy.js";
import { initSearchShortcut } from "./search-shortcut.js";
import { initScrollFocus } from "./scroll-focus.js";
import { initCalculators } from "./calc.js";
import { initSearch } from "./search.js";

const modules = [initThemeToggle, initNavDrawer, initCopyButtons, initTocSpy, initSearchShortcut, initScrollFocus, initCalculators, initSearch];

for (const init of modules) {
  try {
    init();
  } catch (err) {
    console.error(err);
  }
}
