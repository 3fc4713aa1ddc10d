package server

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Diff is how one build's files differ from the previous build's.
type Diff struct {
	// Changed lists the site paths that were added, removed or modified.
	Changed []string
	// CSS is set when the only difference is stylesheets: then pages can
	// swap the stylesheet links instead of reloading. Each swap maps an
	// old stylesheet path to its replacement (site paths, no base).
	CSS []CSSSwap
}

// DiffFiles compares two builds. Stylesheets are content-hashed, so a
// CSS edit also rewrites the <link> in every page; the change still
// counts as CSS-only when every changed page becomes byte-identical to its
// old version once the old stylesheet paths are replaced by the new ones.
func DiffFiles(old, cur map[string][]byte) Diff {
	var d Diff
	for name, data := range cur {
		if prev, ok := old[name]; !ok || !bytes.Equal(prev, data) {
			d.Changed = append(d.Changed, name)
		}
	}
	for name := range old {
		if _, ok := cur[name]; !ok {
			d.Changed = append(d.Changed, name)
		}
	}
	slices.Sort(d.Changed)
	d.CSS = cssOnly(old, cur, d.Changed)
	return d
}

func isCSS(name string) bool {
	return strings.HasPrefix(name, "assets/") && (strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".css.map"))
}

// hashStem strips the content hash esbuild puts before the extension:
// "assets/site-ABC123.css" → "assets/site".
func hashStem(name string) string {
	stem := strings.TrimSuffix(name, path.Ext(name))
	if i := strings.LastIndexByte(stem, '-'); i > strings.LastIndexByte(stem, '/') {
		stem = stem[:i]
	}
	return stem
}

func cssOnly(old, cur map[string][]byte, changed []string) []CSSSwap {
	var removed, added, modified, pages []string
	for _, name := range changed {
		_, inOld := old[name]
		_, inCur := cur[name]
		switch {
		case isCSS(name):
			if strings.HasSuffix(name, ".map") {
				continue // follows its stylesheet; no page links to it
			}
			switch {
			case inOld && inCur:
				modified = append(modified, name)
			case inOld:
				removed = append(removed, name)
			default:
				added = append(added, name)
			}
		case strings.HasSuffix(name, ".html") && inOld && inCur:
			pages = append(pages, name)
		default:
			return nil
		}
	}
	if len(removed) != len(added) || len(removed)+len(modified) == 0 {
		return nil
	}
	var swaps []CSSSwap
	for _, r := range removed {
		i := slices.IndexFunc(added, func(a string) bool { return hashStem(a) == hashStem(r) })
		if i < 0 {
			return nil
		}
		swaps = append(swaps, CSSSwap{From: r, To: added[i]})
		added = slices.Delete(added, i, i+1)
	}
	for _, m := range modified {
		swaps = append(swaps, CSSSwap{From: m, To: m})
	}
	for _, p := range pages {
		b := old[p]
		for _, s := range swaps {
			if s.From != s.To {
				b = bytes.ReplaceAll(b, []byte(s.From), []byte(s.To))
			}
		}
		if !bytes.Equal(b, cur[p]) {
			return nil
		}
	}
	return swaps
}
