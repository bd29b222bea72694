// Package warehousetest reads a real run's Parquet output with DuckDB, the engine a warehouse user
// points at the folder, and holds it against docs/schema.md: every column's type in every file,
// the non-null columns, the Hive partitioning on year and each rollup table against its
// documented GROUP BY over reports and applications.
//
// DuckDB comes from npm (@duckdb/node-api, pinned in testdata/duckdb/package-lock.json) and runs
// in node, so that no package of the module links DuckDB and go.mod gains nothing. The test is
// behind the build tag warehouse, out of `go test ./...` and its -race pass; `make test-warehouse`
// installs the package and runs it:
//
//	npm ci --prefix internal/warehousetest/testdata/duckdb
//	go test -tags warehouse -count=1 -v ./internal/warehousetest/
//
// Without node or the package the test skips, except under CI=true, where it fails.
package warehousetest
