package registry

import "fmt"

// Valid is a registry that passed validation: only Check and Read make one,
// so whatever takes a Valid (the store's SaveSite) knows it holds no error
// without validating it again. Its revision is computed once, with it.
//
// A Valid shares its *Site with the caller: change the site after Check and
// check it again.
type Valid struct {
	site     *Site
	revision string
}

// Site is the validated registry.
func (v Valid) Site() *Site { return v.site }

// Revision is Site().Revision(), computed when the registry was checked.
func (v Valid) Revision() string { return v.revision }

// IsZero tells a Valid nothing made (the zero value) from one Check made.
func (v Valid) IsZero() bool { return v.site == nil }

// Check validates s. It returns every problem found, warnings included;
// the error is non-nil, and the Valid zero, when s must not be saved.
func Check(s *Site) (Valid, Problems, error) {
	if s == nil {
		return Valid{}, nil, fmt.Errorf("no registry given")
	}
	problems := s.Validate()
	if err := problems.Err(); err != nil {
		return Valid{}, problems, err
	}
	return Valid{site: s, revision: s.Revision()}, problems, nil
}

// MustCheck is Check for registries that are part of the program (the demo
// sites, tests): it panics when s has an error.
func MustCheck(s *Site) Valid {
	v, _, err := Check(s)
	if err != nil {
		panic(fmt.Sprintf("registry: site %q: %v", idOf(s), err))
	}
	return v
}

func idOf(s *Site) string {
	if s == nil {
		return ""
	}
	return s.ID
}
