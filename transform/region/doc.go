// Package region knows China's administrative divisions and places a reporting body among them.
//
// The division codes (province, prefecture-level city, county-level place, development zone,
// township), and the former names of places that were renamed, merged or recoded, are embedded
// from data/divisions.txt, which `go generate` writes from npm data packages (docs/regions.md).
// They are parsed on first use.
//
// A Resolver reads a body's name as printed (淮安市洪泽区人民政府办公室) and returns the place it
// belongs to, the chain of places above it, the kind of body and the organ's own name, and how
// sure that is (Status). It never guesses: a name that fits several places and that no hint
// decides is Ambiguous, with the candidates; a name it cannot place is Unknown, with the reason.
//
// The package does no I/O at run time besides reading the embedded data, starts no goroutines and
// imports nothing of the module.
package region
