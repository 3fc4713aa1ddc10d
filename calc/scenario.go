package calc

// Scenario is a named set of input values, compared side by side with the
// inputs as set and with other scenarios: how designs are weighed in an
// interview (fan-out on write against fan-out on read).
//
//	scenario "10× growth": dau = 3B, posts = 50M
type Scenario struct {
	Name string
	// Set maps inputs to values in calc notation, in the order written.
	Names, Values []string
	Line          int

	pos []int // where each value starts, for errors
}

// Overrides returns the scenario's values as Eval takes them.
func (c *Scenario) Overrides() map[string]string {
	m := make(map[string]string, len(c.Names))
	for i, n := range c.Names {
		m[n] = c.Values[i]
	}
	return m
}

// parseScenario reads a scenario line after its name: the colon, then
// name = value pairs separated by commas.
func (s *Sheet) parseScenario(p *parser, name *token, line int) {
	c := &Scenario{Name: p.text(name), Line: line}
	errs := p.errs
	if t := p.advance(); t.kind != tColon {
		errs.add(t.pos, "scenario \"…\": expects a colon, then inputs: scenario \"10× growth\": dau = 3B")
		return
	}
	for {
		n, eq := p.advance(), p.advance()
		if n.kind != tIdent || eq.kind != tAssign {
			errs.add(n.pos, "scenario: expects name = value pairs separated by commas, e.g. dau = 3B, posts = 5")
			return
		}
		p.lenient = true
		v := p.parseExpr()
		p.lenient = false
		if v == nil {
			return
		}
		end := v.end
		if t := p.peek(); t.kind == tDotDot {
			// A range: "dau = 1B..2B".
			p.advance()
			hi := p.parseExpr()
			if hi == nil {
				return
			}
			end = hi.end
		}
		c.Names = append(c.Names, p.word(n))
		c.Values = append(c.Values, p.src[v.pos:end])
		c.pos = append(c.pos, v.pos)
		t := p.advance()
		if t.kind == tEOF {
			break
		}
		if t.kind != tComma {
			errs.add(t.pos, msg("scenario: unexpected \"{}\"; separate the inputs with commas", p.text(t)))
			return
		}
	}
	s.Scenarios = append(s.Scenarios, c)
}

// checkScenarios reports scenarios that set what is not an input or a
// value its input refuses, and compared names that are no cell.
func (s *Sheet) checkScenarios(errs *errList) {
	// compare:, key: and main: in one loop: in WebAssembly three copies of
	// it cost some kilobytes.
	for w, names := range [3][]string{s.Compare, s.Key, s.Main} {
		pos := [3][]int{s.comparePos, s.keyPos, s.mainPos}[w]
		for k, name := range names {
			i, m, sg := s.index(name), "", ""
			switch {
			case i < 0:
				m, sg = "{}: no {} \"{}\"{}", didYouMean(suggest(name, s.Cells, nil, 0, ""))
			case w == 1 && (s.Cells[i].Input || s.Cells[i].Hidden):
				m = "{0}: {2} is an input or hidden; key names the results a reader watches"
			case w == 2 && (!s.Cells[i].Input || s.Cells[i].Hidden):
				m = "{0}: {2} is not an input a reader can change; main names the inputs shown first"
			}
			if m != "" {
				errs.add(pos[k], msg(m, [3]string{"compare", "key", "main"}[w], [3]string{"cell", "cell", "input"}[w], name, sg))
			}
		}
	}
	for _, c := range s.Scenarios {
		for k, name := range c.Names {
			i := s.index(name)
			switch {
			case i < 0:
				errs.add(c.pos[k], msg("scenario \"{}\": no input \"{}\"{}", c.Name, name, didYouMean(suggest(name, s.Cells, nil, 0, ""))))
			case !s.Cells[i].Input:
				errs.add(c.pos[k], msg("scenario \"{}\": {} is a formula; a scenario sets inputs", c.Name, name))
			default:
				if err := s.Eval(map[string]string{name: c.Values[k]}).Cells[i].Err; err != nil {
					text := err.Error()
					if m, ok := err.(*Error); ok {
						text = m.Msg
					}
					errs.add(c.pos[k], msg("scenario \"{}\": {}", c.Name, text))
				}
			}
		}
	}
}
