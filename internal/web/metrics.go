package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are charte's Prometheus series, on a registry of the server's own
// so tests and embedders never collide on the global one.
type metrics struct {
	registry  *prometheus.Registry
	consents  *prometheus.CounterVec
	refused   *prometheus.CounterVec
	latency   prometheus.Histogram
	batchSize prometheus.Histogram
	escrows   *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		consents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_consents_total", Help: "Consent records stored, by site and action.",
		}, []string{"site", "action"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_consent_requests_refused_total", Help: "Consent API requests refused, by HTTP status.",
		}, []string{"status"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "charte_consent_request_seconds", Help: "Time to store a consent durably and answer.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "charte_consent_batch_size", Help: "Consent records committed per transaction (group commit).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		escrows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_banner_escrows_total",
			Help: "Banner scripts escrowed after a build: stored, known (already escrowed) or failed (logged, retried on the next request).",
		}, []string{"result"}),
	}
	m.registry.MustRegister(m.consents, m.refused, m.latency, m.batchSize, m.escrows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
