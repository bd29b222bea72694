// Package archtest enforces the import rules of docs/ARCHITECTURE.md in its tests: which package of
// the module may import which, and which may depend on Arrow or excelize. It parses import clauses
// only (no go/packages, no go list), so the check costs milliseconds.
package archtest
