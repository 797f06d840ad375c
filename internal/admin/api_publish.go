package admin

import (
	"errors"
	"github.com/charte/charte/internal/httpx"
	"net/http"

	"github.com/charte/charte/internal/store"
)

type apiChange struct {
	Kind string `json:"kind"` // added, removed, changed
	What string `json:"what"` // category, cookie, texts, settings
	Name string `json:"name,omitempty"`
}

type apiPublishState struct {
	Published string      `json:"published"` // "" when never published
	Draft     string      `json:"draft"`
	Changes   []apiChange `json:"changes"`
}

// apiPublishDiff is the publish page's difference, for a script to show
// or check before it publishes.
func (a *Admin) APIPublishDiff(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	out := apiPublishState{Draft: s.Revision(), Changes: []apiChange{}}
	rev, err := a.st.Published(r.Context(), s.ID)
	var changes []change
	switch {
	case errors.Is(err, store.ErrNotFound):
		changes = diff(nil, s)
	case err != nil:
		return err
	default:
		out.Published = rev.ID
		changes = diff(rev.Site, s)
	}
	for _, c := range changes {
		out.Changes = append(out.Changes, apiChange(c))
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

type apiPublished struct {
	Revision string `json:"revision"`
	Previous string `json:"previous"`
	Changed  bool   `json:"changed"` // false: the draft was already live
}

// apiPublish answers 201 with the new revision, or 200 when the draft was
// already what visitors see (publishing it again changes nothing).
func (a *Admin) APIPublish(w http.ResponseWriter, r *http.Request) error {
	rev, previous, err := a.publishDraft(r, map[string]any{"via": "api"})
	if err != nil {
		return err
	}
	out := apiPublished{Revision: rev, Previous: previous, Changed: rev != previous}
	status := http.StatusCreated
	if !out.Changed {
		status = http.StatusOK
	}
	return httpx.WriteJSON(w, status, out)
}
