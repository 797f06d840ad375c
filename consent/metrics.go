package consent

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics counts what enforcement did. Labels stay bounded: sites and
// categories come from the registry, never from the request.
type metrics struct {
	dropped    *prometheus.CounterVec // site, category
	undeclared *prometheus.CounterVec // site, policy
	expired    *prometheus.CounterVec // site, category
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &metrics{
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_consent_cookies_dropped_total",
			Help: "Set-Cookie headers dropped because the visitor did not consent to their category.",
		}, []string{"site", "category"}),
		undeclared: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_consent_cookies_undeclared_total",
			Help: "Set-Cookie headers for cookies the registry does not declare, by the policy applied (block drops them).",
		}, []string{"site", "policy"}),
		expired: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_consent_cookies_expired_total",
			Help: "Cookies of a refused category a visitor still carried, expired with Max-Age=0.",
		}, []string{"site", "category"}),
	}
	for _, c := range []prometheus.Collector{m.dropped, m.undeclared, m.expired} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// The counting methods accept a nil receiver: metrics are optional.

func (m *metrics) drop(site, category string) {
	if m != nil {
		m.dropped.WithLabelValues(site, category).Inc()
	}
}

func (m *metrics) undeclare(site string, p Policy) {
	if m != nil {
		m.undeclared.WithLabelValues(site, string(p)).Inc()
	}
}

func (m *metrics) expire(site, category string) {
	if m != nil {
		m.expired.WithLabelValues(site, category).Inc()
	}
}

// onceLog logs an event the first time it happens for a cookie name, so a
// misconfigured site logs each problem once rather than on every request.
type onceLog struct {
	log  *slog.Logger
	seen sync.Map // event + "\x00" + site + "\x00" + cookie name
	n    atomic.Int64
}

// maxLogged bounds the memory spent remembering names: past it, repeats are
// logged again rather than remembered.
const maxLogged = 4096

func (o *onceLog) log1(event, site, name, path string, attrs ...any) {
	key := event + "\x00" + site + "\x00" + name
	if _, dup := o.seen.Load(key); dup {
		return
	}
	if o.n.Add(1) <= maxLogged {
		if _, dup := o.seen.LoadOrStore(key, struct{}{}); dup {
			return
		}
	}
	o.log.Warn(event, append([]any{"site", site, "cookie", name, "path", path}, attrs...)...)
}
