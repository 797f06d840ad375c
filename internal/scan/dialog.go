package scan

import (
	"context"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// maxDialogs bounds the dialogs a page's visit records: a page calling
// confirm() in a loop opens one after another as fast as they are dismissed.
const maxDialogs = 5

// dialogRecorder dismisses every JavaScript dialog a tab opens (alert,
// confirm, prompt, beforeunload) and remembers them. Left open, a dialog
// stops the page's scripts and every protocol call that needs them: the
// scan would wait forever on a page no visitor would see stuck.
type dialogRecorder struct {
	mu      sync.Mutex
	dialogs []Dialog
	cancel  context.CancelFunc
	done    chan struct{}
}

func recordDialogs(tab context.Context) *dialogRecorder {
	ctx, cancel := context.WithCancel(tab)
	r := &dialogRecorder{cancel: cancel, done: make(chan struct{})}
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		defer close(r.done)
		for ev, err := range events {
			if err != nil {
				return
			}
			r.add(string(ev.Type), ev.Message)
			// Cancel rather than accept: "cancel" on a beforeunload stays
			// on the page, on confirm() it is the visitor's refusal. The
			// call is bounded so a closing tab cannot hold the recorder.
			hctx, hcancel := context.WithTimeout(tab, dialogTimeout)
			_, _ = chromedp.Call(hctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			hcancel()
		}
	}()
	return r
}

// dialogTimeout bounds the dismissal of one dialog.
const dialogTimeout = 5 * time.Second

func (r *dialogRecorder) add(kind, msg string) {
	if len(msg) > 200 {
		// Cut on a rune boundary: the message is shown in the report.
		cut := 200
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.dialogs {
		if r.dialogs[i].Type == kind && r.dialogs[i].Message == msg {
			r.dialogs[i].Count++
			return
		}
	}
	if len(r.dialogs) < maxDialogs {
		r.dialogs = append(r.dialogs, Dialog{Type: kind, Message: msg, Count: 1})
	}
}

// stop ends the subscription and returns the dialogs seen.
func (r *dialogRecorder) stop() []Dialog {
	r.cancel()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dialogs
}
