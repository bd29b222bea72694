package pipeline

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Progress draws a one-line progress bar on a terminal: files read while reading, then elapsed time
// while the outputs are saved and committed (a silent save looks hung). A finished phase leaves
// its last line on the screen, at 100 % for a counted one, so the terminal ends with a record of
// every phase. While a bar is shown, log lines must go through Write, which prints them above the
// bar instead of through it.
//
// A nil *Progress draws nothing.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	width   int // terminal columns; 0 when unknown
	phase   string
	done    int
	total   int
	reports int
	started time.Time
	shown   bool
	// finished is set while the last line of a phase is drawn.
	finished bool
	stop     chan struct{}
	stopped  chan struct{}
}

// NewProgress returns a bar drawing on w, usually os.Stderr.
func NewProgress(w io.Writer) *Progress {
	p := &Progress{w: w}
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			p.width = cols
		}
	}
	return p
}

// Write prints log output above the bar.
func (p *Progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	n, err := p.w.Write(b)
	if p.phase != "" {
		p.drawLocked()
	}
	return n, err
}

// begin starts a phase, finishing the one before; total 0 means a phase without a count. The first
// phase starts a ticker that redraws the bar so elapsed time moves even when no file finishes.
func (p *Progress) begin(phase string, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started.IsZero() {
		p.started = time.Now()
	}
	p.finishLocked()
	p.phase, p.total, p.done, p.finished = phase, total, 0, false
	if p.stop == nil {
		p.stop, p.stopped = make(chan struct{}), make(chan struct{})
		go p.tick(p.stop, p.stopped)
	}
	p.drawLocked()
}

func (p *Progress) tick(stop <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.drawLocked()
			p.mu.Unlock()
		}
	}
}

// advance counts one finished file and the reports it gave.
func (p *Progress) advance(reports int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done++
	p.reports += reports
	if p.done == p.total {
		p.drawLocked() // 100 % is shown at once, not left to the next tick
	}
	p.mu.Unlock()
}

// end stops the ticker and finishes the phase, leaving its last line on the screen.
func (p *Progress) end() {
	if p == nil {
		return
	}
	p.mu.Lock()
	stop, stopped := p.stop, p.stopped
	p.stop, p.stopped = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-stopped
	}
	p.mu.Lock()
	p.finishLocked()
	p.mu.Unlock()
}

// finishLocked draws the phase's last line and moves below it.
func (p *Progress) finishLocked() {
	if p.phase == "" {
		return
	}
	p.finished = true
	p.drawLocked()
	io.WriteString(p.w, "\n")
	p.shown = false
	p.phase = ""
}

func (p *Progress) clearLocked() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}

func (p *Progress) drawLocked() {
	if p.phase == "" {
		return
	}
	line := p.render(time.Since(p.started))
	if p.width > 0 && len([]rune(line)) >= p.width {
		line = string([]rune(line)[:p.width-1])
	}
	io.WriteString(p.w, "\r\x1b[K"+line)
	p.shown = true
}

// render is the bar's text: "reading [#####.....] 120/400 30% 85 reports/s 0:02".
func (p *Progress) render(elapsed time.Duration) string {
	clock := fmt.Sprintf("%d:%02d", int(elapsed.Minutes()), int(elapsed.Seconds())%60)
	if p.total <= 0 {
		spin := string(`|/-\`[int(elapsed/(200*time.Millisecond))%4])
		if p.finished {
			spin = "done"
		}
		return fmt.Sprintf("%-10s %s %d reports  %s", p.phase, spin, p.reports, clock)
	}
	const cells = 30
	filled := cells * p.done / p.total
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.reports) / s
	}
	return fmt.Sprintf("%-10s [%s%s] %d/%d %3d%%  %.0f reports/s  %s", p.phase,
		strings.Repeat("#", filled), strings.Repeat(".", cells-filled),
		p.done, p.total, 100*p.done/p.total, rate, clock)
}
