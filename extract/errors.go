package extract

import (
	"errors"
	"fmt"
)

// Sentinel causes, so callers can classify a reject without parsing messages.
var (
	ErrEmpty       = errors.New("empty file")
	ErrTooLarge    = errors.New("file exceeds the size limit")
	ErrBinary      = errors.New("binary content, not a report")
	ErrUnsupported = errors.New("unsupported file format")
	ErrEncoding    = errors.New("undecodable text")
	ErrCorrupt     = errors.New("corrupt file")
	ErrEncrypted   = errors.New("encrypted or password-protected file")
	ErrLimit       = errors.New("file exceeds a reading limit")
	ErrNoContent   = errors.New("no readable content")
)

// Error is a failure to read one file. It names the file and, where known, the place in it.
type Error struct {
	Path  string // the input file
	Place string // "12:5", "Sheet1!C12", "word/document.xml", "byte 1024"; empty when the whole file is at fault
	Err   error  // the cause; often wraps one of the sentinels above
}

func (e *Error) Error() string {
	if e.Place == "" {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("%s:%s: %v", e.Path, e.Place, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error for path at place.
func Errorf(path, place string, cause error, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if cause != nil {
		return &Error{Path: path, Place: place, Err: fmt.Errorf("%w: %s", cause, msg)}
	}
	return &Error{Path: path, Place: place, Err: errors.New(msg)}
}
