package proof

import (
	"context"
	"errors"
	"sync"
)

// Appender stores records durably in one transaction; the store implements it.
type Appender interface {
	AppendConsents(ctx context.Context, recs []Record) ([]Record, error)
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("proof: batcher is closed")

// Batcher is the group commit: concurrent Append calls share one
// transaction, and each returns only once the transaction carrying its record
// has committed. One fsync then acknowledges many visitors, which is what
// makes thousands of durable writes a second possible on SQLite.
type Batcher struct {
	app      Appender
	maxBatch int
	observe  func(size int)
	requests chan *request
	done     chan struct{}
	closing  sync.Once
	mu       sync.RWMutex // guards closed against sends racing with Close
	closed   bool
}

type request struct {
	ctx   context.Context
	rec   Record
	reply chan result
}

type result struct {
	rec Record
	err error
}

// NewBatcher starts a committer writing through app, at most maxBatch records
// per transaction. observe, when not nil, is told each batch's size.
func NewBatcher(app Appender, maxBatch int, observe func(size int)) *Batcher {
	if maxBatch < 1 {
		maxBatch = 256
	}
	b := &Batcher{app: app, maxBatch: maxBatch, observe: observe,
		requests: make(chan *request, maxBatch), done: make(chan struct{})}
	go b.run()
	return b
}

// Append stores rec and returns it as stored (chained, hashed, Created), or
// the record stored earlier under the same ID (Created false).
//
// A record failing Record.Check is refused with its *FieldError at once and
// never joins a batch, where PostgreSQL would fail its neighbours with it.
func (b *Batcher) Append(ctx context.Context, rec Record) (Record, error) {
	if err := rec.Check(); err != nil {
		return Record{}, err
	}
	req := &request{ctx: ctx, rec: rec, reply: make(chan result, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return Record{}, ErrClosed
	}
	b.requests <- req
	b.mu.RUnlock()
	// Once queued, the record is written even if the visitor goes away:
	// waiting here only decides whether we can still tell them.
	select {
	case res := <-req.reply:
		return res.rec, res.err
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
}

// Close stops accepting records, commits those already queued, and waits.
func (b *Batcher) Close() {
	b.closing.Do(func() {
		b.mu.Lock()
		b.closed = true
		close(b.requests)
		b.mu.Unlock()
	})
	<-b.done
}

func (b *Batcher) run() {
	defer close(b.done)
	batch := make([]*request, 0, b.maxBatch)
	for first := range b.requests {
		batch = append(batch[:0], first)
		// Take whatever queued while the previous batch was committing.
	fill:
		for len(batch) < b.maxBatch {
			select {
			case req, ok := <-b.requests:
				if !ok {
					break fill
				}
				batch = append(batch, req)
			default:
				break fill
			}
		}
		b.commit(batch)
	}
}

func (b *Batcher) commit(batch []*request) {
	if b.observe != nil {
		b.observe(len(batch))
	}
	b.write(batch)
}

// write commits batch in one transaction. When that fails, it splits the
// batch in halves and writes each the same way: a record the database
// refuses despite Record.Check ends alone and gets the error, while the
// records beside it still commit in large transactions, about 2·log2(n) of
// them instead of one per record.
func (b *Batcher) write(batch []*request) {
	recs := make([]Record, len(batch))
	for i, req := range batch {
		recs[i] = req.rec
	}
	// The visitors' contexts do not cancel the write: a record that reached
	// the queue is committed whether or not its sender still listens.
	stored, err := b.app.AppendConsents(context.Background(), recs)
	switch {
	case err == nil:
		for i, req := range batch {
			req.reply <- result{rec: stored[i]}
		}
	case len(batch) == 1:
		batch[0].reply <- result{err: err}
	default:
		half := len(batch) / 2
		b.write(batch[:half])
		b.write(batch[half:])
	}
}
