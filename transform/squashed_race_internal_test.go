//go:build race

package transform

// slowdown scales the wall-clock bounds of the decoder's tests under the race detector.
const slowdown = 20
