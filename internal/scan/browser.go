package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium says what to install; the CLI prints it as is.
var ErrNoChromium = errors.New("chromium not found: install the Debian package chromium (apt-get install chromium) or pass --chromium PATH")

// FindChromium returns the browser to drive: path when given, else the first
// Chromium or Chrome on $PATH.
func FindChromium(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("--chromium %s: %w", path, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Viewport of the scanning browser: a common laptop size, so the banner
// screenshot looks like what most visitors see.
const viewportW, viewportH = 1280, 800

// profilePrefs allow third-party cookies. A fresh headless profile blocks
// them ("UserPreferences"), but Chrome's default for visitors allows them, and
// a scanner must see what trackers in iframes would store.
const profilePrefs = `{"profile":{"cookie_controls_mode":0,"block_third_party_cookies":false}}`

// startBrowser launches one headless Chromium with a fresh profile of its
// own, removed on cancel, so passes never share a cookie.
// A browser that has not started within timeout is stopped: Chromium
// stuck on a broken profile or a full disk must not hold the scan.
//
// proxy, when set, is the address guard every request must go through.
func startBrowser(parent context.Context, execPath string, timeout time.Duration, proxy string) (context.Context, context.CancelFunc, error) {
	dir, err := os.MkdirTemp("", "charte-scan-")
	if err != nil {
		return nil, nil, err
	}
	if err := os.Mkdir(filepath.Join(dir, "Default"), 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "Default", "Preferences"), []byte(profilePrefs), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.UserDataDir(dir),
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("metrics-recording-only", true),
		// Site isolation off: a cross-site iframe (an embedded video, a
		// tracker) then runs in the page's process, so its requests reach the
		// page's network events and its storage the page's frame tree. The
		// scanner visits the operator's own site, which it trusts.
		chromedp.Flag("disable-features", "SitePerProcess,IsolateOrigins,Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.WindowSize(viewportW, viewportH),
	}
	if proxy != "" {
		opts = append(opts,
			chromedp.ProxyServer(proxy),
			// Chromium sends loopback requests around any proxy unless
			// told otherwise: "<-loopback" removes that implicit bypass,
			// so 127.0.0.1 and localhost are checked like the rest.
			chromedp.Flag("proxy-bypass-list", "<-loopback>"),
			// WebRTC would reach the network over UDP, around the proxy.
			chromedp.Flag("force-webrtc-ip-handling-policy", "disable_non_proxied_udp"),
			chromedp.Flag("webrtc-ip-handling-policy", "disable_non_proxied_udp"),
			// QUIC is UDP too; a proxied Chromium should not use it, but
			// this says so.
			chromedp.Flag("disable-quic", true),
		)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelCtx()
		cancelAlloc()
		// Chromium's helpers may still be closing their files: retry briefly.
		for range 20 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// Not a deadline on ctx: the first call's context owns the browser
	// process, which would be killed when the deadline passed.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-started:
		if err != nil {
			cancel()
			return nil, nil, fmt.Errorf("start %s: %w", execPath, err)
		}
	case <-t.C:
		cancel()
		<-started
		return nil, nil, fmt.Errorf("start %s: no answer within %v", execPath, timeout)
	}
	return ctx, cancel, nil
}

// browserVersion is the product string, such as "Chrome/141.0.7390.54".
func browserVersion(ctx context.Context) string {
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return ""
	}
	return v.Product
}
