// Package scalebook holds the files the scalebook command carries inside
// its binary, so that `go install` is all a new user needs:
//
//   - Theme is the default theme (layouts, CSS and JS sources, static
//     files), used when a site has no theme of its own;
//   - Engine is the source of the calculator engine (calc, its WebAssembly
//     entry point and the one package it imports), compiled to WebAssembly
//     when a site has calculators. Compiling the binary's own copy keeps the
//     engine in the browser and the figures the build prints from the same
//     code, always.
//
// Nothing else lives here: the packages that do the work are under
// internal/ and calc/.
package scalebook

import "embed"

// Theme is the default theme, rooted at "theme".
//
//go:embed all:theme
var Theme embed.FS

// Engine is the calculator engine's Go source, rooted at the module root:
// calc/*.go, calc/wasm/*.go and internal/suggest/*.go (tests included;
// they are skipped when the engine is compiled), with go.mod for the
// module path and Go version.
//
//go:embed go.mod calc/*.go calc/wasm/*.go internal/suggest/*.go
var Engine embed.FS
