package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	bin "encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
)

// The cache's packs. A pack, pack-<id>.pack, is packMagic and then frames, one per entry: the
// entry's length (4 bytes, little-endian) and the entry (encodeCacheEntry: its key inside, its
// checksum last). Its index, pack-<id>.idx, is indexMagic, the number of entries (4 bytes), per
// entry its key, the frame's offset (8 bytes) and the entry's length (4 bytes), sorted by key,
// and the SHA-256 of all that. An index is written whole to a temporary file and renamed, after
// the frames it lists were written, so a pack without index (a crashed run's) is never read.

const (
	packPrefix  = "pack-"
	packExt     = ".pack"
	indexExt    = ".idx"
	packMagic   = "GRCPACK2"
	indexMagic  = "GRCIDX02"
	frameHeader = 4
	indexRecord = len(cacheKey{}) + 8 + 4
	// packBuffer is the run's pack's write buffer: one write call per megabyte of entries.
	packBuffer = 1 << 20
	// maxPacks bounds the packs a run keeps (its own included): past it, the smallest others are
	// copied into the run's pack. Each costs an open file during a run and an index to read.
	maxPacks = 16
)

// packEntry is where an entry is: 48 bytes, no pointer.
type packEntry struct {
	key  cacheKey
	off  int64  // the frame's offset in its pack
	n    uint32 // the entry's length; the frame is frameHeader+n bytes
	pack uint32 // the pack's number in inputCache.packs
}

func (e *packEntry) frame() int64 { return frameHeader + int64(e.n) }

// readPack is an earlier run's pack, open for lookups.
type readPack struct {
	id   string
	f    *os.File
	size int64
}

func (p *readPack) path(dir string) string { return filepath.Join(dir, packPrefix+p.id+packExt) }

// read decodes the entry at e into res, checking its frame, its checksum, its key and its reports.
func (p *readPack) read(e *packEntry, k cacheKey, res *fileResult) error {
	if e.off+e.frame() > p.size {
		return fmt.Errorf("%w: the pack ends within the entry (torn)", errCacheEntry)
	}
	buf := make([]byte, e.frame())
	if _, err := p.f.ReadAt(buf, e.off); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: the pack ends within the entry (torn)", errCacheEntry)
		}
		return err
	}
	if n := bin.LittleEndian.Uint32(buf); n != e.n {
		return fmt.Errorf("%w: a frame of %d bytes where the index says %d", errCacheEntry, n, e.n)
	}
	return decodeCacheEntry(buf[frameHeader:], k, res)
}

// packWriter is this run's pack.
type packWriter struct {
	id   string
	f    *os.File
	w    *bufio.Writer
	size int64 // the frames written so far end here
}

func (c *inputCache) packPath(id string) string  { return filepath.Join(c.dir, packPrefix+id+packExt) }
func (c *inputCache) indexPath(id string) string { return filepath.Join(c.dir, packPrefix+id+indexExt) }

// packID parses a pack's or an index's file name.
func packID(name string) (id, ext string, ok bool) {
	ext = filepath.Ext(name)
	id, ok = strings.CutPrefix(strings.TrimSuffix(name, ext), packPrefix)
	if !ok || (ext != packExt && ext != indexExt) || len(id) != 16 {
		return "", "", false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", "", false
	}
	return id, ext, true
}

// create starts this run's pack. Called under wmu.
func (c *inputCache) create() error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	id := hex.EncodeToString(rnd[:])
	f, err := os.OpenFile(c.packPath(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, packBuffer)
	w.WriteString(packMagic)
	c.out = &packWriter{id: id, f: f, w: w, size: int64(len(packMagic))}
	return nil
}

// append adds an entry to this run's pack.
func (c *inputCache) append(k cacheKey, data []byte) error {
	if len(data) > math.MaxUint32 {
		return fmt.Errorf("an entry of %d bytes", len(data))
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closed {
		return errors.New("the cache is closed")
	}
	if c.out == nil {
		if err := c.create(); err != nil {
			return err
		}
	}
	var hdr [frameHeader]byte
	bin.LittleEndian.PutUint32(hdr[:], uint32(len(data)))
	if _, err := c.out.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := c.out.w.Write(data); err != nil {
		return err
	}
	c.wrote = append(c.wrote, packEntry{key: k, off: c.out.size, n: uint32(len(data))})
	c.out.size += frameHeader + int64(len(data))
	return nil
}

// close ends the run's use of the cache: it closes the earlier packs, and writes out this run's
// pack and then its index. It runs once the workers are done, whether or not the run commits, so
// that a refused or cancelled night's entries serve the next. Later calls do nothing.
func (c *inputCache) close() {
	c.rmu.Lock()
	if !c.released {
		c.released = true
		for i := range c.packs {
			c.packs[i].f.Close()
			c.packs[i].f = nil
		}
	}
	c.rmu.Unlock()

	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	if c.out == nil {
		return
	}
	path := c.packPath(c.out.id)
	flushErr := c.out.w.Flush()
	if err := c.out.f.Close(); flushErr == nil {
		flushErr = err
	}
	c.out.f, c.out.w = nil, nil
	if flushErr != nil || c.writeFailed.Load() {
		// Index only the frames that reached the file; the run writes nothing more to it.
		c.writeFailed.Store(true)
		size := int64(0)
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		c.wrote = slices.DeleteFunc(c.wrote, func(e packEntry) bool { return e.off+e.frame() > size })
		if flushErr != nil {
			c.warn(path, "cache pack not written whole: some inputs are read again next time", flushErr.Error())
		}
	}
	if err := writePackIndex(c.dir, c.out.id, c.wrote); err != nil {
		c.writeFailed.Store(true)
		c.warn(c.indexPath(c.out.id), "cache index not written: the run's entries are not kept", err.Error())
		return
	}
	c.indexed = true
}

// load reads every pack's index and opens the packs. A pack without index, with an index that
// fails its checksum or without the pack's magic is not read (and removed by the next prune).
func (c *inputCache) load() {
	names, err := os.ReadDir(c.dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.warn(c.dir, "cache not read: every input is read again", err.Error())
		}
		return
	}
	for _, d := range names {
		id, ext, ok := packID(d.Name())
		if !ok || ext != indexExt {
			continue
		}
		entries, err := readPackIndex(c.indexPath(id))
		if err == nil && len(entries) == 0 {
			continue
		}
		var f *os.File
		var size int64
		if err == nil {
			f, size, err = openPack(c.packPath(id))
		}
		if err != nil {
			c.warn(c.indexPath(id), "cache pack ignored: its inputs are read again", err.Error())
			continue
		}
		n := uint32(len(c.packs))
		c.packs = append(c.packs, readPack{id: id, f: f, size: size})
		for i := range entries {
			entries[i].pack = n
		}
		c.index = append(c.index, entries...)
	}
	slices.SortFunc(c.index, func(a, b packEntry) int {
		if d := bytes.Compare(a.key[:], b.key[:]); d != 0 {
			return d
		}
		return cmp.Compare(a.pack, b.pack)
	})
	// A key may be in several packs (see get): all are kept, and tried in turn.
	c.index = slices.Clip(c.index)
	c.used = make([]uint64, (len(c.index)+63)/64)
}

func openPack(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	var magic [len(packMagic)]byte
	_, err = f.ReadAt(magic[:], 0)
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if err == nil && string(magic[:]) != packMagic {
		err = fmt.Errorf("%s: not a cache pack", path)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// find returns the index of k's first entry in c.index.
func (c *inputCache) find(k cacheKey) (int, bool) {
	return slices.BinarySearchFunc(c.index, k, func(e packEntry, k cacheKey) int {
		return bytes.Compare(e.key[:], k[:])
	})
}

func (c *inputCache) isUsed(i int) bool { return atomic.LoadUint64(&c.used[i/64])&(1<<(i%64)) != 0 }

// writePackIndex writes the index of pack id, listing entries, by a temporary file and a rename.
func writePackIndex(dir, id string, entries []packEntry) error {
	slices.SortFunc(entries, func(a, b packEntry) int { return bytes.Compare(a.key[:], b.key[:]) })
	b := make([]byte, 0, len(indexMagic)+4+len(entries)*indexRecord+sha256.Size)
	b = append(b, indexMagic...)
	b = bin.LittleEndian.AppendUint32(b, uint32(len(entries)))
	for _, e := range entries {
		b = append(b, e.key[:]...)
		b = bin.LittleEndian.AppendUint64(b, uint64(e.off))
		b = bin.LittleEndian.AppendUint32(b, e.n)
	}
	sum := sha256.Sum256(b)
	b = append(b, sum[:]...)
	tmp := filepath.Join(dir, cacheTmpPrefix+packPrefix+id+indexExt)
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, packPrefix+id+indexExt)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// readPackIndex reads an index written by writePackIndex.
func readPackIndex(path string) ([]packEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head := len(indexMagic) + 4
	if len(b) < head+sha256.Size {
		return nil, fmt.Errorf("%s: truncated index (%d bytes)", path, len(b))
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, fmt.Errorf("%s: index checksum mismatch (corrupt or truncated)", path)
	}
	if string(body[:len(indexMagic)]) != indexMagic {
		return nil, fmt.Errorf("%s: not a cache index of this format", path)
	}
	n := int(bin.LittleEndian.Uint32(body[len(indexMagic):]))
	body = body[head:]
	if len(body) != n*indexRecord {
		return nil, fmt.Errorf("%s: %d entries in %d bytes", path, n, len(body))
	}
	entries := make([]packEntry, n)
	for i := range entries {
		r := body[i*indexRecord:]
		e := &entries[i]
		copy(e.key[:], r)
		r = r[len(e.key):]
		e.off = int64(bin.LittleEndian.Uint64(r))
		e.n = bin.LittleEndian.Uint32(r[8:])
		if e.off < int64(len(packMagic)) || e.off > math.MaxInt64/2 {
			return nil, fmt.Errorf("%s: entry %d at offset %d", path, i, e.off)
		}
	}
	return entries, nil
}

// prune runs only after a successful commit, under the output folder's lock. It removes every
// pack none of whose entries this run used (read or wrote), every pack without a readable index,
// temporary files and folders of other cache formats. A pack whose used entries fill less than
// half of it, and past maxPacks the packs with the fewest used bytes, are compacted: their used
// entries are copied into this run's pack, whose index is then written again, and they are
// removed. So each pack kept is at least half used and the cache holds at most about twice what
// the run used, while a night copies only entries of packs that mostly died. It returns the
// number of files removed.
func (c *inputCache) prune() (int, error) {
	c.close()
	root := filepath.Dir(c.dir)
	tops, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	for _, t := range tops {
		if t.Name() != cacheFormatDir {
			keep(os.RemoveAll(filepath.Join(root, t.Name())))
			removed++
		}
	}

	// Which earlier packs stay, which are copied into this run's pack.
	live := make([]int64, len(c.packs))
	for i := range c.index {
		if c.isUsed(i) {
			live[c.index[i].pack] += c.index[i].frame()
		}
	}
	var stay, move []int
	for p := range c.packs {
		switch {
		case live[p] == 0:
		case 2*live[p] < c.packs[p].size:
			move = append(move, p)
		default:
			stay = append(stay, p)
		}
	}
	own := 0
	if c.indexed {
		own = 1
	}
	if len(stay)+own > maxPacks {
		// Down to maxPacks with the run's pack, which the copies start if the run wrote none.
		extra := len(stay) + 1 - maxPacks
		slices.SortStableFunc(stay, func(a, b int) int { return cmp.Compare(live[a], live[b]) })
		move = append(move, stay[:extra]...)
		stay = stay[extra:]
	}
	if len(move) > 0 {
		if err := c.compact(move); err != nil {
			keep(fmt.Errorf("compact the cache: %w", err))
			stay = append(stay, move...)
		}
	}
	kept := make(map[string]bool, len(stay)+1)
	for _, p := range stay {
		kept[c.packs[p].id] = true
	}
	if c.indexed {
		kept[c.out.id] = true
	}

	subs, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return removed, firstErr
	}
	if err != nil {
		return removed, err
	}
	// Indexes before their packs: a pack is never listed by an index once it is gone.
	isPack := func(d fs.DirEntry) int {
		if filepath.Ext(d.Name()) == packExt {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(subs, func(a, b fs.DirEntry) int { return isPack(a) - isPack(b) })
	for _, s := range subs {
		if s.Name() == outputsRecordFile && s.Type().IsRegular() {
			continue
		}
		if id, _, ok := packID(s.Name()); ok && kept[id] && s.Type().IsRegular() {
			continue
		}
		keep(os.RemoveAll(filepath.Join(c.dir, s.Name())))
		removed++
	}
	return removed, firstErr
}

// compact copies the used entries of the packs numbered src into this run's pack (started if
// the run wrote none) and writes its index again. A crash or failure before the index is renamed
// leaves the copies as dead bytes at the pack's end; after it, before src is removed, a key in
// two packs, get taking the first it trusts.
func (c *inputCache) compact(src []int) error {
	if c.writeFailed.Load() {
		return errors.New("the run's pack was not written whole")
	}
	from := make([]bool, len(c.packs))
	for _, p := range src {
		from[p] = true
	}
	var moves []packEntry
	for i := range c.index {
		if e := c.index[i]; from[e.pack] && c.isUsed(i) {
			moves = append(moves, e)
		}
	}
	slices.SortFunc(moves, func(a, b packEntry) int {
		return cmp.Or(cmp.Compare(a.pack, b.pack), cmp.Compare(a.off, b.off))
	})

	var f *os.File
	if c.out == nil {
		if err := c.create(); err != nil {
			return err
		}
		f = c.out.f
		if err := c.out.w.Flush(); err != nil {
			f.Close()
			return err
		}
	} else {
		var err error
		f, err = os.OpenFile(c.packPath(c.out.id), os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if _, err := f.Seek(c.out.size, io.SeekStart); err != nil {
			f.Close()
			return err
		}
	}
	start := c.out.size
	w := bufio.NewWriterSize(f, packBuffer)
	size := c.out.size
	copied := make([]packEntry, 0, len(moves))
	var buf []byte
	var r *os.File
	cur := -1
	err := func() error {
		for _, e := range moves {
			if int(e.pack) != cur {
				if r != nil {
					r.Close()
				}
				var err error
				if r, err = os.Open(c.packs[e.pack].path(c.dir)); err != nil {
					return err
				}
				cur = int(e.pack)
			}
			buf = slices.Grow(buf[:0], int(e.frame()))[:e.frame()]
			if _, err := r.ReadAt(buf, e.off); err != nil {
				return fmt.Errorf("%s at %d: %w", c.packs[e.pack].path(c.dir), e.off, err)
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
			copied = append(copied, packEntry{key: e.key, off: size, n: e.n})
			size += e.frame()
		}
		return w.Flush()
	}()
	if r != nil {
		r.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	c.out.f, c.out.w = nil, nil
	if err == nil {
		err = writePackIndex(c.dir, c.out.id, slices.Concat(c.wrote, copied))
	}
	if err != nil {
		// The pack's index, if any, still lists what it held before.
		os.Truncate(c.packPath(c.out.id), start)
		return err
	}
	c.wrote = append(c.wrote, copied...)
	c.out.size = size
	c.indexed = true
	return nil
}
