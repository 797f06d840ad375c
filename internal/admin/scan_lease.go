package admin

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"time"

	"github.com/charte/charte/internal/store"
)

// A site's scan runs on one node at a time: the node holds the site's
// lease in the database (store.ScanLeases) for scanLeaseTTL, renewing it
// every scanLeaseRenew while the scan runs. A node that dies mid-scan stops
// renewing, and the site is free again within scanLeaseTTL.
const (
	scanLeaseTTL   = time.Minute
	scanLeaseRenew = scanLeaseTTL / 3
)

// nodeName names this process in the leases it holds: the host, for the
// operator reading the database, and a random part, since two nodes may
// share a host and a restarted node is another holder.
func nodeName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "charte"
	}
	return host + "-" + rand.Text()[:8]
}

// takeLease takes the site's lease for this node, or says which scan holds
// it on another.
func (sr *scanRunner) takeLease(ctx context.Context, site string) error {
	now := time.Now()
	err := sr.st.TakeScanLease(ctx, store.ScanLease{SiteID: site, Holder: sr.node, Expires: now.Add(scanLeaseTTL)}, now)
	var held *store.ErrScanLeaseHeld
	if errors.As(err, &held) {
		return errBusy{id: held.Lease.ScanID, elsewhere: held.Lease.Holder != sr.node}
	}
	return err
}

// keepLease renews the lease of scan s until ctx ends, then releases it.
// When the lease is lost (taken over after renewals failed for a whole
// TTL: the database was out of reach), lost is called, which stops the
// scan, since another node may now run one.
func (sr *scanRunner) keepLease(ctx context.Context, s store.Scan, lost func(error)) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := sr.st.ReleaseScanLease(ctx, s.SiteID, sr.node); err != nil {
			sr.log.Warn("scan: release the site's lease", "scan", s.ID, "site", s.SiteID, "err", err)
		}
	}()
	renew := func() error {
		return sr.st.RenewScanLease(ctx, store.ScanLease{SiteID: s.SiteID, ScanID: s.ID, Holder: sr.node, Expires: time.Now().Add(scanLeaseTTL)})
	}
	if err := renew(); err != nil && ctx.Err() == nil {
		sr.log.Warn("scan: renew the site's lease", "scan", s.ID, "err", err)
	}
	tick := time.NewTicker(scanLeaseRenew)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			err := renew()
			switch {
			case errors.Is(err, store.ErrNotFound):
				lost(errors.New("another charte node took over this site's scan lease (this one could not renew it in time)"))
				return
			case err != nil && ctx.Err() == nil:
				sr.log.Warn("scan: renew the site's lease", "scan", s.ID, "err", err)
			}
		}
	}
}
