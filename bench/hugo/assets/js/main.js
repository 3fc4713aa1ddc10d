// Minimal script for the comparison site, bundled by Hugo's js.Build (esbuild)
// as scalebook bundles its theme's script.
import { initToc } from "./toc.js";

initToc(document);
