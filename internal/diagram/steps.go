package diagram

import (
	"bytes"
	"strings"

	"oss.terrastruct.com/d2/d2compiler"
	"oss.terrastruct.com/d2/d2graph"
)

// step is one message of a sequence diagram: from one actor to another
// (the same one for a self-message), with its label.
type step struct {
	from, to, arrow, label string
}

// sequenceSteps lists the messages of a diagram whose top level is a
// sequence diagram, in the order they are drawn, or nil. A wide sequence
// diagram fitted to a phone's column is too small to read, and its content
// is a list anyway: who tells whom what, in order. Only compiling is
// needed (no layout), a millisecond or so; a diagram that does not compile
// has no steps, and its errors come from SVG.
func sequenceSteps(src []byte) (steps []step) {
	if !bytes.Contains(src, []byte("sequence_diagram")) {
		return nil
	}
	// D2 has crashed on odd sources (see d2); the diagram's own render
	// reports that, and the list is simply left out.
	defer func() {
		if recover() != nil {
			steps = nil
		}
	}()
	g, _, err := d2compiler.Compile("", bytes.NewReader(src), &d2compiler.CompileOptions{FS: noFS{}})
	if err != nil || g == nil || !g.Root.IsSequenceDiagram() {
		return nil
	}
	var out []step
	for _, e := range g.Edges {
		from, to := actor(e.Src, g.Root), actor(e.Dst, g.Root)
		if from == nil || to == nil {
			continue
		}
		s := step{from: name(from), to: name(to), arrow: "→", label: strings.TrimSpace(e.Label.Value)}
		switch {
		case e.SrcArrow && e.DstArrow:
			s.arrow = "↔"
		case e.SrcArrow:
			s.from, s.to = s.to, s.from
		case !e.DstArrow:
			s.arrow = "—"
		}
		out = append(out, s)
	}
	return out
}

// actor is the top-level object (a participant) that o, a participant or
// a span on its lifeline, belongs to.
func actor(o *d2graph.Object, root *d2graph.Object) *d2graph.Object {
	for o != nil && o.Parent != root {
		o = o.Parent
	}
	return o
}

func name(o *d2graph.Object) string {
	if l := strings.TrimSpace(o.Label.Value); l != "" {
		return l
	}
	return o.ID
}
