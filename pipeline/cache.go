package pipeline

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	bin "encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// The incremental cache keeps, for every input a run read, what extract and transform made of it:
// its reports, encoded with transform's codec and checked by the sink, or its reject. A rerun that
// finds an input's entry hashes the file and takes the entry instead of reading the file again.
//
// An entry's key is SHA-256 over everything that decides what the per-file stages produce: the
// settings fingerprint (cache format, program version and build, codec version, limits, alias
// table) and the input's path, its path relative to its input folder (transform reads the folder
// names) and the SHA-256 of its bytes. A changed file, a moved file or a new setting looks up
// another key and misses; nothing is ever invalidated in place.
//
// Layout: <out>/.cache/v2/, append-only packs (see cache_pack.go). A run appends every entry it
// writes to one pack of its own, pack-<random>.pack, each framed with its length (the entry holds
// its key and ends with its checksum), and when its workers are done writes that pack's index,
// pack-<random>.idx (key, offset, length per entry, checksummed), whole to a temporary file and
// renamed. The next run reads every index at its first lookup and reads an entry with one ReadAt.
// A crash leaves a pack without index, which is never read and which the next prune removes; a
// torn or corrupt entry (no entry is synced) fails its frame or checksum and is read again. In
// memory the run holds the indexes (48 bytes an entry), a bit per entry it read and the
// locations of the entries it wrote. After a successful commit, packs none of whose entries the
// run used are removed, and the used entries of mostly dead (or, past maxPacks, the smallest)
// packs are copied into the run's pack, so the cache stays within about twice what a run uses.

// cacheDir is the cache's folder in the output folder; cacheFormatDir its current format's.
const (
	cacheDir       = ".cache"
	cacheFormatDir = "v2"
	cacheMagic     = "GRC1"
	cacheTmpPrefix = "tmp-"
)

// errCacheEntry is wrapped by every reason an entry is not trusted.
var errCacheEntry = errors.New("cache entry not trusted")

type cacheKey [sha256.Size]byte

func (k cacheKey) String() string { return hex.EncodeToString(k[:]) }

// inputCache is one run's view of the cache. Its get and put are called by the workers, several
// at once; close and prune after them.
type inputCache struct {
	dir      string // <out>/.cache/v2
	settings []byte // the settings fingerprint
	version  string // the program version, for messages
	// lookup is false with --full: entries are written, never read.
	lookup bool
	// warn logs an entry or pack the run cannot use or write.
	warn func(path, msg, reason string)

	// The earlier runs' packs, read at the first get (never with --full).
	loadOnce sync.Once
	rmu      sync.RWMutex // get reads the packs under it; close closes them under it
	packs    []readPack   // the packs whose index was read
	index    []packEntry  // their entries, sorted by key (then pack)
	used     []uint64     // bit i: index[i] was read by this run (set atomically)
	released bool         // the packs are closed: no more lookups

	// This run's pack, created at the first put.
	wmu     sync.Mutex
	out     *packWriter
	wrote   []packEntry // the entries of this run's pack
	closed  bool        // close ran: no more entries
	indexed bool        // this run's pack has its index on disk

	writeFailed atomic.Bool // after the first failed write, the run stops writing
}

// cacheSettings fingerprints what, besides an input's bytes and place, changes what extract and
// transform make of it. build is the running program's own hash (see buildID).
func cacheSettings(cfg Config, build string) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00codec %d\x00", cacheMagic, cfg.Version, build, cfg.StagesID, transform.CodecVersion)
	fmt.Fprintf(h, "limits %+v\x00", cfg.Limits)
	if cfg.Aliases != nil {
		// The parsed table, maps printed in key order: the same file gives the same text.
		fmt.Fprintf(h, "aliases %+v\x00", *cfg.Aliases)
	}
	return h.Sum(nil)
}

// buildID identifies the running executable, so that two builds of one version (a developer's,
// a "-dirty" tree's) never share entries: its Go build ID, whose second half the go command makes
// by hashing the linked binary, read from the ELF note in a few kilobytes; else (another format,
// a build without an ID) the SHA-256 of the whole file, 60 ms of a short run for 76 MB; "" when
// neither can be read, which leaves the version alone to tell builds apart.
var buildID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if id := goBuildID(exe); id != "" {
		return "go:" + id
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})

// goBuildID returns the Go build ID held in an ELF executable's .note.go.buildid section (a note
// named "Go" of type 4), or "" when there is none.
func goBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return ""
	}
	note, err := s.Data()
	if err != nil || len(note) < 16 {
		return ""
	}
	nameSize, descSize, kind := f.ByteOrder.Uint32(note), f.ByteOrder.Uint32(note[4:]), f.ByteOrder.Uint32(note[8:])
	if nameSize != 4 || kind != 4 || string(note[12:16]) != "Go\x00\x00" || uint64(descSize) > uint64(len(note)-16) {
		return ""
	}
	return string(note[16 : 16+descSize])
}

func newInputCache(cfg Config) *inputCache {
	return &inputCache{
		dir:      filepath.Join(cfg.Out, cacheDir, cacheFormatDir),
		settings: cacheSettings(cfg, buildID()),
		version:  cfg.Version,
		lookup:   !cfg.Full,
		warn: func(path, msg, reason string) {
			cfg.Log.Warn().Str(FieldPath, path).Str(FieldReason, reason).Msg(msg)
		},
	}
}

// key is the entry key of an input with these bytes' SHA-256 (hex).
func (c *inputCache) key(in Input, sha string) cacheKey {
	h := sha256.New()
	h.Write(c.settings)
	fmt.Fprintf(h, "\x00%s\x00%s\x00%s", in.Path, in.Rel, sha)
	var k cacheKey
	h.Sum(k[:0])
	return k
}

// get returns the cached outcome of an input, or false. A missing entry is a plain miss; an entry
// that cannot be trusted (unreadable, torn, corrupt, another key's) is a miss with a warning.
func (c *inputCache) get(in Input, k cacheKey, res *fileResult) bool {
	if !c.lookup {
		return false
	}
	c.loadOnce.Do(c.load)
	c.rmu.RLock()
	defer c.rmu.RUnlock()
	if c.released {
		return false
	}
	i, ok := c.find(k)
	if !ok {
		return false
	}
	// A key in several packs (an entry written again after its first copy failed, a compaction
	// that stopped before removing its source): the first entry trusted is taken.
	var errs []string
	for ; i < len(c.index) && c.index[i].key == k; i++ {
		e := &c.index[i]
		p := &c.packs[e.pack]
		err := p.read(e, k, res)
		if err == nil {
			atomic.OrUint64(&c.used[i/64], 1<<(i%64))
			return true
		}
		res.reports, res.reject, res.format, res.encoding = nil, nil, "", ""
		errs = append(errs, fmt.Sprintf("%s at %d: %v", p.path(c.dir), e.off, err))
	}
	c.warn(in.Path, "cache entry ignored: the input is read again", strings.Join(errs, "; "))
	return false
}

// put stores an input's outcome. A failure is a warning: the cache only saves time.
func (c *inputCache) put(in Input, k cacheKey, res *fileResult) {
	if c.writeFailed.Load() {
		return
	}
	if err := c.append(k, encodeCacheEntry(k, res)); err != nil {
		if c.writeFailed.CompareAndSwap(false, true) {
			c.warn(in.Path, "cache entry ignored: the input is read again",
				fmt.Sprintf("cannot write the cache, later inputs are not cached: %v", err))
		}
	}
}

// cacheable says whether an input's outcome depends only on its bytes, place and the settings.
// Read-stage rejects (a vanished file, one too large) are cheap to find again and say nothing about
// the bytes; a panic is worth meeting again with its stack; a PDF's limits include a time limit,
// whose verdict depends on the machine's load.
func cacheable(res *fileResult, err error) bool {
	if res.cancelled || res.stack != nil {
		return false
	}
	if res.reject == nil {
		return true
	}
	switch res.reject.Stage {
	case StageExtract, StageTransform:
	default:
		return false
	}
	return !(errors.Is(err, extract.ErrLimit) && strings.HasPrefix(res.format, "pdf"))
}

// The entry format: magic, the key, the program version, the input's format, encoding and size,
// then a reject (stage, place, reason) or the reports (each: id, unit, finding counts, the sink's
// refusal or "", the encoded report); last, the SHA-256 of everything before it. Strings are a
// uvarint length and the bytes.

func encodeCacheEntry(k cacheKey, res *fileResult) []byte {
	size := len(cacheMagic) + len(k) + sha256.Size + 64
	for i := range res.reports {
		r := &res.reports[i]
		size += len(r.id) + len(r.unit) + len(r.enc) + 64
	}
	// Sized once: an entry is mostly its encoded reports, kilobytes that appending would copy
	// again at every doubling.
	b := append(make([]byte, 0, size), cacheMagic...)
	str := func(s string) {
		b = bin.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	blob := func(s []byte) {
		b = bin.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n int64) { b = bin.AppendUvarint(b, uint64(n)) }
	b = append(b, k[:]...)
	str(res.format)
	str(res.encoding)
	num(res.bytes)
	if res.reject != nil {
		b = append(b, 1)
		str(res.reject.Stage)
		str(res.reject.Place)
		str(res.reject.Reason)
	} else {
		b = append(b, 0)
		num(int64(len(res.reports)))
		for i := range res.reports {
			r := &res.reports[i]
			str(r.id)
			str(r.unit)
			num(int64(r.findings.Error))
			num(int64(r.findings.Warning))
			num(int64(r.findings.Info))
			if r.refused != nil {
				b = append(b, 1)
				str(r.refused.Error())
			} else {
				b = append(b, 0)
			}
			blob(r.enc)
		}
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// decodeCacheEntry fills res from an entry, checking its checksum, its key and every report.
func decodeCacheEntry(data []byte, k cacheKey, res *fileResult) error {
	if len(data) < len(cacheMagic)+len(k)+sha256.Size {
		return fmt.Errorf("%w: truncated (%d bytes)", errCacheEntry, len(data))
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return fmt.Errorf("%w: checksum mismatch (corrupt or truncated)", errCacheEntry)
	}
	if string(body[:len(cacheMagic)]) != cacheMagic {
		return fmt.Errorf("%w: not a cache entry of this format", errCacheEntry)
	}
	body = body[len(cacheMagic):]
	if !bytes.Equal(body[:len(k)], k[:]) {
		return fmt.Errorf("%w: the entry of another input or program version (key %x)", errCacheEntry, body[:len(k)])
	}
	d := entryDecoder{b: body[len(k):]}
	res.format = d.str()
	res.encoding = d.str()
	res.bytes = d.num()
	switch d.byte() {
	case 1:
		res.reject = &RejectInfo{Stage: d.str(), Place: d.str(), Reason: d.str()}
	case 0:
		n := d.num()
		if n < 0 || n > int64(len(d.b)) {
			return fmt.Errorf("%w: %d reports", errCacheEntry, n)
		}
		res.reports = make([]encodedReport, 0, n)
		for range n {
			r := encodedReport{id: d.str(), unit: d.str()}
			r.findings = FindingCounts{Error: int(d.num()), Warning: int(d.num()), Info: int(d.num())}
			if d.byte() == 1 {
				r.refused = errors.New(d.str())
			}
			r.enc = d.bytes()
			if d.err != nil {
				break
			}
			// The codec checks the report whole; the identity must be the report's.
			rep, err := transform.DecodeReport(r.enc)
			if err != nil {
				return fmt.Errorf("%w: %w", errCacheEntry, err)
			}
			if rep.ID != r.id || rep.Unit != r.unit {
				return fmt.Errorf("%w: report %s holds %s", errCacheEntry, r.id, rep.ID)
			}
			r.entry = transform.EntryOf(rep)
			res.reports = append(res.reports, r)
		}
	default:
		d.fail()
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	return d.err
}

type entryDecoder struct {
	b   []byte
	err error
}

func (d *entryDecoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: malformed", errCacheEntry)
	}
	d.b = nil
}

func (d *entryDecoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0xff
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *entryDecoder) num() int64 {
	n, w := bin.Uvarint(d.b)
	if w <= 0 || n > 1<<62 {
		d.fail()
		return 0
	}
	d.b = d.b[w:]
	return int64(n)
}

func (d *entryDecoder) str() string { return string(d.raw()) }

// bytes returns a copy of the next string's bytes.
func (d *entryDecoder) bytes() []byte { return bytes.Clone(d.raw()) }

func (d *entryDecoder) raw() []byte {
	n := d.num()
	if n > int64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}
