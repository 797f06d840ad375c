package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startPprof serves Go's profiler on its own listener, never on the public
// one: profiles show what the process holds and cost CPU to take, so they
// belong on an address only operators reach (a loopback port, reached over
// SSH). Importing net/http/pprof also registers it on http.DefaultServeMux,
// which charte never serves. It returns the listener's address and a stop
// function.
func startPprof(addr string, log *slog.Logger) (net.Addr, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if ip, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(ip).IsLoopback() {
		log.Warn("the profiler listens on a non-loopback address: anyone who reaches it can read the process's memory profile", "addr", ln.Addr().String())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("profiler listener stopped", "err", err)
		}
	}()
	log.Info("profiler listening", "profiler", ln.Addr().String())
	return ln.Addr(), func() { srv.Close() }, nil
}
