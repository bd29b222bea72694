//go:build race

package transform_test

// raceEnabled shortens the property tests under the race detector, which slows them tenfold.
const raceEnabled = true
