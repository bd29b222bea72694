//go:build race

package pdfium_test

const raceEnabled = true
