// Package calc is the estimation engine behind scalebook's live calculators:
// it parses "sheets" of inputs and formulas written in back-of-the-envelope
// notation, checks their dimensions, and evaluates them with three
// significant figures and "the working" of each formula.
//
// The package is compiled to WebAssembly for the browser, so it uses only
// small parts of the standard library (no fmt, reflect or encoding/json).
//
// # Quantities
//
// A Quantity holds a value in base units — seconds, bytes, US dollars, or a
// plain count — with a dimension (exponents of time, information and money)
// and display hints. Count nouns such as "users" or "req" are dimensionless:
// they never affect dimension checks, only how a figure is written.
//
// # Numbers
//
// Numbers are written as people write them in estimates: 300M, 1.5B, 17.5K,
// 2T, 2e9, 1,000,000 (commas only between groups of three digits), 25%
// (= 0.25) and 1.2×10⁻⁹. The count suffixes are K (or k), M, B and T and must
// be attached to the number. A B attached to a number is billion; bytes are
// written with a space or a prefix:
//
//	1.5B     1.5 billion
//	1.5 B    1.5 bytes
//	1.5 GB   1.5 gigabytes
//
// Inside function calls, put a space after the commas: f(2,100) would read
// 2,100 as the number 2100.
//
// # Units
//
// Information: B, KB … EB (decimal, KB = 1000 B), KiB … EiB (binary), bit,
// bits, Kbit … Tbit. Bandwidth: bps, Kbps … Tbps, or any information unit per
// time unit (GB/s). Time: ns, µs (or us), ms, s, sec, min, h, hr, hour, day,
// week, month, year, and plurals. A year is 365.2425 days and a month is a
// twelfth of a year (2,629,746 s). Money: $ before the number ($0.023) or
// USD after it. Units combine with / and per: req/s, TB/month,
// $/GB/month (dollars per gigabyte-month).
//
// # Display
//
// Figures are shown with three significant figures and a prefix chosen
// automatically: 17.4K/s, 8.68 GB/s, 9.13 TB/month, $1.23K/month, 52.6 min.
// Inputs keep the unit they were written in (a literal in Mbps stays in
// bits), and "expr as UNIT" chooses a unit for a formula. Rates are shown
// per second unless below one per second. Between 90% and 100% a percentage
// keeps enough digits to show its nines (99.9999%), up to six decimal places,
// so float noise just under 100% reads "100%". No figure is written with more
// than eight significant digits.
//
// # Sheets
//
// A sheet has one cell per line:
//
//	dau      = 300M users   "Daily active users"  range 1M..2B log
//	reads    = 5 /day       "Timeline reads per user"
//	read_qps := dau * reads as req/s   "Reads per second"
//
// "name = literal" is an input, "name := expression" a formula. A label in
// quotes and the options range MIN..MAX, step X, log, help "text" and hidden
// may follow. A line "nouns: shards, pins" declares extra count nouns. The
// authors' reference is content/reference/calculators.md.
//
// Parse checks the whole sheet — names, dependency cycles, dimensions,
// function arguments — and reports every problem with its line and column.
// Eval then runs the formulas' precompiled code, so a sheet is parsed once
// and evaluated many times (for example on every slider move).
package calc

// Notes on size. The WebAssembly build has a byte budget, and Go's wasm
// backend makes code expensive: every call is a resume point of a br_table,
// every bounds or nil check a call to a panic routine, every append a call
// to growslice, every store of a pointer into the heap a write barrier; and
// every function, besides its prologue, costs a few hundred bytes of
// pclntab, as does every type. So the package:
//
//   - has few functions: the lexer, the expression parser, the compiler
//     and the evaluator are each one routine or a handful, switching on
//     the kind of token, node or instruction;
//   - compiles formulas to a small stack machine (compile.go) run by one
//     loop, rather than to a closure per operator;
//   - builds every message from a template with msg, and all text in a
//     buf, whose two methods hold the only appends of bytes;
//   - keeps tables (units, nouns, functions, argument checks) as static
//     data rather than filling them at start-up, and as lists searched in
//     order rather than maps;
//   - gathers a node's facts and a cell's fields in locals and stores them
//     once, to spare write barriers;
//   - propagates errors with a flag (parser.bad, compiler.bad) rather than
//     panic and recover;
//   - marks small helpers called from many places //go:noinline, because an
//     inlined copy at each call site costs more than the call, and lets the
//     compiler inline the rest;
//   - avoids standard-library routines it barely needs (package strings,
//     strconv.ParseFloat and Itoa, []rune conversion, maps keyed by structs);
//   - starts internal structs with a noEq field so that no equality
//     function is generated for them.
//
// Measure with GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w"
// ./calc/wasm before and after a change (budget: 2,350,000 bytes, 700,000
// gzipped).
