//go:build !race

package transform

const slowdown = 1
