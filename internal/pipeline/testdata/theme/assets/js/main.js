import "./x.js"; document.documentElement.classList.add("ready");
