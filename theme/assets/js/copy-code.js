// Copy buttons for <div class="code-block"><pre><code>.
import { announce } from "./util.js";

export function initCopyButtons() {
  if (!navigator.clipboard) return;
  for (const block of document.querySelectorAll(".code-block")) {
    const code = block.querySelector("code");
    if (!code || block.querySelector(":scope > .copy")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.setAttribute("aria-label", "Copy code");
    button.textContent = "Copy";
    let timer;
    button.addEventListener("click", async () => {
      let ok = true;
      try {
        await navigator.clipboard.writeText(codeText(code));
      } catch (e) {
        ok = false;
      }
      button.textContent = ok ? "Copied" : "Failed";
      button.classList.toggle("is-copied", ok);
      announce(ok ? "Code copied to clipboard" : "Copy failed");
      clearTimeout(timer);
      timer = setTimeout(() => {
        button.textContent = "Copy";
        button.classList.remove("is-copied");
      }, 2000);
    });
    block.append(button);
  }
}

// codeText returns the code without line numbers.
function codeText(code) {
  if (!code.querySelector(".ln")) return code.textContent;
  const copy = code.cloneNode(true);
  for (const ln of copy.querySelectorAll(".ln")) ln.remove();
  return copy.textContent;
}
