// "/" focuses the search box (the placeholder advertises it).
import { isTyping } from "./util.js";

export function initSearchShortcut() {
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping()) return;
    const input = document.getElementById("search-input");
    if (!input || !input.offsetParent) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
}
