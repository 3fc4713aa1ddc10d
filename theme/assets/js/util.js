// Shared helpers for theme modules and for modules plugged in later.

let live;

// announce speaks a short message through one shared polite live region.
export function announce(message) {
  if (!live) {
    live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    live.setAttribute("role", "status");
    document.body.append(live);
  }
  live.textContent = "";
  // A fresh text node after a tick makes repeated messages announce again.
  setTimeout(() => {
    live.textContent = message;
  }, 50);
}

// isTyping reports whether keyboard focus is in a text field.
export function isTyping(el = document.activeElement) {
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}
