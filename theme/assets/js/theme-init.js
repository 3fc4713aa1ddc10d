// Loaded synchronously in <head> (classic script, no imports) so the stored
// theme is applied before first paint. Keep tiny.
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var t = localStorage.getItem("scalebook-theme");
    if (t === "light" || t === "dark") root.dataset.theme = t;
  } catch (e) {
    // Storage unavailable (privacy mode): follow the system preference.
  }
})();
