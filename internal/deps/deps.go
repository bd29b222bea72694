// Package deps pins the project's dependencies while packages that use them are being written.
// It is removed once every dependency has a real importer.
package deps

import (
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/rs/zerolog"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/net/html"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/simplifiedchinese"
)
