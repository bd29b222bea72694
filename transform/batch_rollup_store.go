package transform

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// rollupStore holds a batch's rollups encoded in its spillLog, one block per year and level (and
// one per year for the cities' own levels), each block's groups in their sorted order, with an
// index of a few dozen bytes a block: the heap holds the rollups only while a reader decodes one
// block. A group takes a few hundred bytes encoded against 3.7 KB as a Rollup.
type rollupStore struct {
	log   *spillLog // shared with the Batch's findings
	index []rollupBlock
}

// rollupBlock locates the groups of one year and level.
type rollupBlock struct {
	year  int
	level RegionLevel // of the groups: RegionCity for the own levels
	own   bool        // the cities' own levels (Batch.OwnLevel)
	n     int         // groups
	off   int64
	len   int64
}

// add encodes the groups of one year, in blocks per level, each sorted by sortedRollups.
func (s *rollupStore) add(year int, groups, own map[rollupKey]*Rollup) error {
	byLevel := map[RegionLevel][]*Rollup{}
	for _, g := range groups {
		byLevel[g.Level] = append(byLevel[g.Level], g)
	}
	for _, l := range RollupLevels {
		s.addBlock(year, l, false, byLevel[l])
	}
	var ownGroups []*Rollup
	for _, g := range own {
		ownGroups = append(ownGroups, g)
	}
	s.addBlock(year, RegionCity, true, ownGroups)
	return s.log.err
}

func (s *rollupStore) addBlock(year int, level RegionLevel, own bool, groups []*Rollup) {
	if len(groups) == 0 {
		return
	}
	b := rollupBlock{year: year, level: level, own: own, n: len(groups), off: s.log.size}
	for _, g := range sortedRollups(groups) {
		start := len(s.log.buf)
		s.log.buf = encodeRollup(s.log.buf, g)
		s.log.appended(start)
	}
	b.len = s.log.size - b.off
	s.index = append(s.index, b)
}

// years returns the years that have any group, known years ascending and the unknown year last.
func (s *rollupStore) years() []int {
	var out []int
	for _, b := range s.index {
		if len(out) == 0 || out[len(out)-1] != b.year {
			out = append(out, b.year) // add writes a year's blocks together, the years in order
		}
	}
	return out
}

// read decodes the groups of one year and level, or of the own levels; nil when there are none.
func (s *rollupStore) read(year int, level RegionLevel, own bool) ([]Rollup, error) {
	k := slices.IndexFunc(s.index, func(b rollupBlock) bool { return b.year == year && b.level == level && b.own == own })
	if k < 0 {
		return nil, nil
	}
	b := s.index[k]
	what := fmt.Sprintf("%s rollups", level)
	if own {
		what = "own levels"
	}
	raw, err := s.log.read(b.off, int(b.len))
	if err != nil {
		return nil, fmt.Errorf("batch %s of %d: %w", what, year, err)
	}
	out, err := decodeRollups(raw, b.n)
	if err == nil {
		for i := range out {
			if out[i].Year != year || out[i].Level != level {
				err = fmt.Errorf("group %d is a %s rollup of %d", i, out[i].Level, out[i].Year)
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("batch %s of %d at %d: %w", what, year, b.off, err)
	}
	return out, nil
}

// measureBitmap is the size of a bitmap with a bit per measure.
const measureBitmap = (NumMeasures + 7) / 8

// minRollupBytes is the least a group takes encoded: level, year, six empty strings, reports, the
// bitmaps, a byte per sum.
const minRollupBytes = 1 + 1 + 6 + 1 + 2*measureBitmap + NumMeasures

// encodeRollup appends g: its level and year, its divisions' codes and names each preceded by its
// length, its reports, a bitmap of its valid sums and one of the sums with skipped values, then
// each sum as a zigzag varint and each nonzero Skipped. Most sums are small or zero: a byte each.
func encodeRollup(dst []byte, g *Rollup) []byte {
	dst = append(dst, byte(g.Level))
	dst = binary.AppendVarint(dst, int64(g.Year))
	for _, a := range [...]Area{g.Province, g.City, g.County} {
		for _, s := range [...]string{a.Code, a.Name} {
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		}
	}
	dst = binary.AppendUvarint(dst, uint64(g.Reports))
	var valid, skipped [measureBitmap]byte
	for m, s := range g.Sums {
		if s.Valid {
			valid[m/8] |= 1 << (m % 8)
		}
		if s.Skipped != 0 {
			skipped[m/8] |= 1 << (m % 8)
		}
	}
	dst = append(dst, valid[:]...)
	dst = append(dst, skipped[:]...)
	for _, s := range g.Sums {
		dst = binary.AppendVarint(dst, s.N)
	}
	for _, s := range g.Sums {
		if s.Skipped != 0 {
			dst = binary.AppendVarint(dst, int64(s.Skipped))
		}
	}
	return dst
}

// decodeRollups decodes n groups that fill raw exactly. Their strings share one copy of raw.
func decodeRollups(raw []byte, n int) ([]Rollup, error) {
	if n < 0 || n > len(raw)/minRollupBytes {
		return nil, fmt.Errorf("%d groups in %d bytes", n, len(raw))
	}
	d := rollupDecoder{raw: string(raw)}
	out := make([]Rollup, n)
	for i := range out {
		if err := d.rollup(&out[i]); err != nil {
			return nil, fmt.Errorf("group %d: %w", i, err)
		}
	}
	if d.p != len(d.raw) {
		return nil, fmt.Errorf("%d bytes left after %d groups", len(d.raw)-d.p, n)
	}
	return out, nil
}

// decodeRollup decodes one group that fills raw exactly.
func decodeRollup(raw []byte) (Rollup, error) {
	out, err := decodeRollups(raw, 1)
	if err != nil {
		return Rollup{}, err
	}
	return out[0], nil
}

type rollupDecoder struct {
	raw string
	p   int
}

func (d *rollupDecoder) varint() (int64, error) {
	v, k := binary.Varint([]byte(d.raw[d.p:min(len(d.raw), d.p+binary.MaxVarintLen64)]))
	if k <= 0 {
		return 0, fmt.Errorf("bad number at byte %d", d.p)
	}
	d.p += k
	return v, nil
}

// num decodes a length or count, at most math.MaxInt32.
func (d *rollupDecoder) num() (int, error) {
	v, k := binary.Uvarint([]byte(d.raw[d.p:min(len(d.raw), d.p+binary.MaxVarintLen64)]))
	if k <= 0 || v > math.MaxInt32 {
		return 0, fmt.Errorf("bad number at byte %d", d.p)
	}
	d.p += k
	return int(v), nil
}

func (d *rollupDecoder) bytes(n int) (string, error) {
	if n > len(d.raw)-d.p {
		return "", fmt.Errorf("%d bytes at byte %d run past the end", n, d.p)
	}
	s := d.raw[d.p : d.p+n]
	d.p += n
	return s, nil
}

func (d *rollupDecoder) rollup(g *Rollup) error {
	level, err := d.bytes(1)
	if err != nil {
		return err
	}
	if g.Level = RegionLevel(level[0]); g.Level < RegionProvince || g.Level > RegionCounty {
		return fmt.Errorf("level %d", level[0])
	}
	year, err := d.varint()
	if err != nil {
		return err
	}
	if year < math.MinInt32 || year > math.MaxInt32 {
		return fmt.Errorf("year %d", year)
	}
	g.Year = int(year)
	for _, dst := range [...]*string{&g.Province.Code, &g.Province.Name, &g.City.Code, &g.City.Name,
		&g.County.Code, &g.County.Name} {
		n, err := d.num()
		if err != nil {
			return err
		}
		if *dst, err = d.bytes(n); err != nil {
			return err
		}
	}
	if g.Reports, err = d.num(); err != nil {
		return err
	}
	valid, err := d.bytes(measureBitmap)
	if err != nil {
		return err
	}
	skipped, err := d.bytes(measureBitmap)
	if err != nil {
		return err
	}
	if pad := ^byte(1<<(NumMeasures%8) - 1); NumMeasures%8 != 0 &&
		(valid[measureBitmap-1]&pad != 0 || skipped[measureBitmap-1]&pad != 0) {
		return fmt.Errorf("bits past the %d measures", NumMeasures)
	}
	for m := range g.Sums {
		s := &g.Sums[m]
		s.Valid = valid[m/8]&(1<<(m%8)) != 0
		if s.N, err = d.varint(); err != nil {
			return err
		}
	}
	for m := range g.Sums {
		if skipped[m/8]&(1<<(m%8)) == 0 {
			continue
		}
		v, err := d.varint()
		if err != nil {
			return err
		}
		if v == 0 || v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("%d skipped of measure %d", v, m)
		}
		g.Sums[m].Skipped = int32(v)
	}
	return nil
}
