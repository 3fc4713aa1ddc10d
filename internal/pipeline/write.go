package pipeline

import "github.com/scalebook/scalebook/internal/output"

// Write replaces dir with the site, never leaving it half written; see
// output.Write. The command line passes the folders to protect as well.
func (s *Site) Write(dir string) error { return output.Write(dir, s.Files, output.Options{}) }
