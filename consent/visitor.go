package consent

import (
	"context"
	"net/http"
	"time"
)

// Visitor is the visitor's choice as the middleware sees it, for handlers
// that want to skip tracking work the visitor refused.
type Visitor struct {
	reg    *Registry
	choice Choice
	has    bool
	gpc    bool
}

func newVisitor(reg *Registry, r *http.Request, now time.Time) *Visitor {
	v := &Visitor{reg: reg, gpc: GPC(r)}
	if raw, ok := findChoice(reg, r.Header["Cookie"], now); ok {
		v.choice, _ = Decode(raw.value)
		v.has = true
	}
	return v
}

// Allowed reports whether cookies and tracking of the category may be used:
// exempt categories always, others only with a valid choice granting them.
// A nil Visitor (no middleware, or Options.Context off) allows nothing that
// needs consent and knows no exempt category: it fails closed.
func (v *Visitor) Allowed(category string) bool {
	if v == nil {
		return false
	}
	if !v.reg.Site.NeedsConsent(category) {
		return true
	}
	return v.has && v.choice.Allowed(category)
}

// AllowedService reports whether a service of the registry may run: a
// service of an exempt category always, others only with a valid choice
// granting the service itself or, without a decision of its own, its
// category. An unknown service is refused.
func (v *Visitor) AllowedService(service string) bool {
	if v == nil {
		return false
	}
	cat := ""
	for _, c := range v.reg.Site.Cookies {
		if c.ServiceID == service {
			cat = c.Category
			break
		}
	}
	if sv, ok := v.reg.Site.Service(service); ok && sv.Category != "" {
		cat = sv.Category
	}
	if cat == "" {
		return false
	}
	if !v.reg.Site.NeedsConsent(cat) {
		return true
	}
	return v.has && v.choice.AllowedService(service, cat)
}

// Choice returns the visitor's valid stored choice, if any.
func (v *Visitor) Choice() (Choice, bool) {
	if v == nil {
		return Choice{}, false
	}
	return v.choice, v.has
}

// GPC reports whether the request carried Sec-GPC: 1. Without a stored
// choice it changes nothing (no choice already refuses); it tells a handler
// the refusal is also a legal signal, worth recording.
func (v *Visitor) GPC() bool { return v != nil && v.gpc }

// Revision is the registry revision the choice was checked against.
func (v *Visitor) Revision() string {
	if v == nil {
		return ""
	}
	return v.reg.Revision
}

type visitorKey struct{}

func withVisitor(ctx context.Context, v *Visitor) context.Context {
	return context.WithValue(ctx, visitorKey{}, v)
}

// FromContext returns the visitor of a request handled by an Enforcer with
// Options.Context set, or nil, whose Allowed refuses everything.
func FromContext(ctx context.Context) *Visitor {
	v, _ := ctx.Value(visitorKey{}).(*Visitor)
	return v
}
