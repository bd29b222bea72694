package region

// The division file is generated from npm data packages (docs/regions.md says which and why);
// the result is committed, so builds and CI never need npm.
//go:generate sh internal/gen/fetch.sh
