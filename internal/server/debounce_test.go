package server

import (
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// simulate feeds changes at the given offsets into d with a fake clock and
// returns the batches it would flush, as the watcher loop does.
func simulate(d *Debouncer, offsets []time.Duration, path func(i int) string) [][]Change {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out [][]Change
	for i, off := range offsets {
		now := t0.Add(off)
		if at, ok := d.Due(); ok && !at.After(now) {
			out = append(out, d.Flush())
		}
		d.Add(Change{Path: path(i), Op: fsnotify.Write}, now)
	}
	if _, ok := d.Due(); ok {
		out = append(out, d.Flush())
	}
	return out
}

func every(n int, step time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i) * step
	}
	return out
}

func TestDebouncerCoalescesABurst(t *testing.T) {
	d := &Debouncer{Quiet: 100 * time.Millisecond, MaxWait: time.Second}
	// Fifty saves of one file in under a second: one build.
	got := simulate(d, every(50, 19*time.Millisecond), func(int) string { return "content/x.md" })
	if len(got) != 1 || len(got[0]) != 1 || got[0][0].Path != "content/x.md" {
		t.Fatalf("batches = %v, want one batch with one path", got)
	}
}

func TestDebouncerMaxWait(t *testing.T) {
	d := &Debouncer{Quiet: 100 * time.Millisecond, MaxWait: time.Second}
	// Changes every 50ms for 2.5s never go quiet; MaxWait still flushes.
	got := simulate(d, every(50, 50*time.Millisecond), func(int) string { return "x" })
	if len(got) != 3 {
		t.Fatalf("%d batches, want 3 (one per second and the rest)", len(got))
	}
}

func TestDebouncerSeparateBursts(t *testing.T) {
	d := &Debouncer{Quiet: 100 * time.Millisecond, MaxWait: time.Second}
	offsets := []time.Duration{0, 10 * time.Millisecond, 500 * time.Millisecond, 505 * time.Millisecond}
	got := simulate(d, offsets, func(i int) string { return []string{"a", "b", "c", "a"}[i] })
	if len(got) != 2 || len(got[0]) != 2 || len(got[1]) != 2 {
		t.Fatalf("batches = %v, want [a b] [a c]", got)
	}
	if got[1][0].Path != "a" || got[1][1].Path != "c" {
		t.Errorf("second batch %v is not sorted", got[1])
	}
}

// An editor's save is several events for one path; the batch keeps them
// all, so a created-then-renamed temporary file can be recognised.
func TestDebouncerAccumulatesOps(t *testing.T) {
	var d Debouncer
	d.Quiet = time.Millisecond
	now := time.Now()
	d.Add(Change{Path: "x", Op: fsnotify.Create}, now)
	d.Add(Change{Path: "x", Op: fsnotify.Write}, now)
	d.Add(Change{Path: "x", Op: fsnotify.Rename}, now)
	got := d.Flush()
	if len(got) != 1 || got[0].Op != fsnotify.Create|fsnotify.Write|fsnotify.Rename {
		t.Fatalf("got %v", got)
	}
	if _, ok := d.Due(); ok {
		t.Error("due after flush")
	}
}

func TestMergeChanges(t *testing.T) {
	got := mergeChanges(
		[]Change{{Path: "b", Op: fsnotify.Write}, {Path: "c", Op: fsnotify.Create}},
		[]Change{{Path: "a", Op: fsnotify.Write}, {Path: "c", Op: fsnotify.Rename}},
	)
	want := []Change{{Path: "a", Op: fsnotify.Write}, {Path: "b", Op: fsnotify.Write}, {Path: "c", Op: fsnotify.Create | fsnotify.Rename}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
			break
		}
	}
}

// TestDebounceMinGap: with a short quiet period, fifty saves in a second
// still make only a few batches, while a lone save waits only Quiet.
func TestDebounceMinGap(t *testing.T) {
	d := &Debouncer{Quiet: 20 * time.Millisecond, MaxWait: time.Second, MinGap: 250 * time.Millisecond}
	batches := simulate(d, every(50, 20*time.Millisecond), func(int) string { return "a.md" })
	if len(batches) < 2 || len(batches) > 5 {
		t.Errorf("50 saves 20 ms apart gave %d batches; want a few", len(batches))
	}
	without := simulate(&Debouncer{Quiet: 20 * time.Millisecond, MaxWait: time.Second}, every(50, 30*time.Millisecond), func(int) string { return "a.md" })
	if len(without) < 20 {
		t.Errorf("without MinGap, saves 30 ms apart should each flush; got %d batches", len(without))
	}
	lone := &Debouncer{Quiet: 20 * time.Millisecond, MinGap: 250 * time.Millisecond}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lone.Add(Change{Path: "a.md"}, t0)
	if at, _ := lone.Due(); at.Sub(t0) != 20*time.Millisecond {
		t.Errorf("a lone save is due after %v; want the quiet period", at.Sub(t0))
	}
	lone.Flush()
	lone.Add(Change{Path: "a.md"}, t0.Add(30*time.Millisecond))
	if at, _ := lone.Due(); at.Sub(t0) != 270*time.Millisecond {
		t.Errorf("a save right after a build is due at %v; want MinGap after the last batch", at.Sub(t0))
	}
}
