package proof

// Queued is how many records wait for the committer (tests only).
func (b *Batcher) Queued() int { return len(b.requests) }
