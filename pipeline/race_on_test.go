//go:build race

package pipeline

// raceEnabled makes the heavier tests use fewer runs under the race detector.
const raceEnabled = true
