package server

import (
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is what happened to one path during a burst of file events. Op
// accumulates every operation seen, so a temporary file that was created
// and renamed away within the burst can be told from a file that was
// really removed.
type Change struct {
	Path string
	Op   fsnotify.Op
}

// lostEvents is the Path of the change that stands for events the system
// dropped (a queue overflow): anything may have changed.
const lostEvents = "(event queue overflow)"

// Debouncer turns a burst of changes into one batch. It holds no timer
// and reads no clock: callers pass the time of each change and ask when
// the batch is due, which keeps it deterministic under test.
//
// A batch is due Quiet after the latest change, so an editor's save
// sequence (rename, create, write, chmod) lands in one build; but never
// later than MaxWait after the first change, so something that writes
// continuously still gets rebuilt now and then; and never sooner than
// MinGap after the previous batch, so a burst of saves costs a few
// rebuilds however short Quiet is. A lone edit after a pause waits only
// Quiet, which is what keeps edit-to-reload fast.
type Debouncer struct {
	Quiet   time.Duration
	MaxWait time.Duration
	MinGap  time.Duration

	pending     map[string]fsnotify.Op
	first, last time.Time
	lastFlush   time.Time
}

// Add records a change that happened at now.
func (d *Debouncer) Add(c Change, now time.Time) {
	if d.pending == nil {
		d.pending = map[string]fsnotify.Op{}
	}
	if len(d.pending) == 0 {
		d.first = now
	}
	d.pending[c.Path] |= c.Op
	d.last = now
}

// Due reports when the pending batch should be flushed; ok is false when
// nothing is pending.
func (d *Debouncer) Due() (at time.Time, ok bool) {
	if len(d.pending) == 0 {
		return time.Time{}, false
	}
	at = d.last.Add(d.Quiet)
	if d.MaxWait > 0 {
		if limit := d.first.Add(d.MaxWait); limit.Before(at) {
			at = limit
		}
	}
	if d.MinGap > 0 && !d.lastFlush.IsZero() {
		if gap := d.lastFlush.Add(d.MinGap); at.Before(gap) {
			at = gap
		}
	}
	return at, true
}

// Flush returns the pending changes sorted by path and starts a new batch.
func (d *Debouncer) Flush() []Change {
	if at, ok := d.Due(); ok {
		d.lastFlush = at
	}
	out := make([]Change, 0, len(d.pending))
	for p, op := range d.pending {
		out = append(out, Change{Path: p, Op: op})
	}
	clear(d.pending)
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// mergeChanges adds the changes of b to a batch a that has not been built
// yet, so no change is lost while a build runs.
func mergeChanges(a, b []Change) []Change {
	if len(a) == 0 {
		return b
	}
	ops := map[string]fsnotify.Op{}
	for _, c := range a {
		ops[c.Path] |= c.Op
	}
	for _, c := range b {
		ops[c.Path] |= c.Op
	}
	out := make([]Change, 0, len(ops))
	for p, op := range ops {
		out = append(out, Change{Path: p, Op: op})
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}
