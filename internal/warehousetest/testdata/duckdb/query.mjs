// query.mjs runs SQL statements in an in-memory DuckDB for internal/warehousetest and prints what
// they return as JSON. It knows nothing of govreports: the Go test writes the SQL and judges the
// results.
//
// stdin:  [{"name": "...", "sql": "..."}, ...]
// stdout: {"version": "v1.5.6", "results": [{"name", "columns", "types", "rows"}, ...]}
//         rows are arrays in column order; BIGINT, HUGEINT and DECIMAL values are strings.
// A failing statement prints its name, DuckDB's message and the SQL on stderr and exits 1.
import { DuckDBInstance } from '@duckdb/node-api';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const queries = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const version = (await conn.runAndReadAll('SELECT version()')).getRows()[0][0];
const results = [];
for (const q of queries) {
  let reader;
  try {
    reader = await conn.runAndReadAll(q.sql);
  } catch (err) {
    process.stderr.write(`query ${q.name}: ${err.message}\n${q.sql}\n`);
    process.exit(1);
  }
  results.push({
    name: q.name,
    columns: reader.columnNames(),
    types: reader.columnTypes().map((t) => t.toString()),
    rows: reader.getRowsJson(),
  });
}
conn.closeSync();
instance.closeSync();
process.stdout.write(JSON.stringify({ version, results }));
