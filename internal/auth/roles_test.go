package auth

import (
	"testing"
)

func TestCan(t *testing.T) {
	users := map[string]User{
		Owner:    {Role: Owner},
		Admin:    {Role: Admin},
		Editor:   {Role: Editor, Sites: []string{"demo"}},
		Viewer:   {Role: Viewer, Sites: []string{"demo"}},
		"future": {Role: "auditor", Sites: []string{"demo"}},
	}
	// want lists, per permission and site, the roles that hold it.
	tests := []struct {
		perm Perm
		site string
		want []string
	}{
		{SignedIn, "", []string{Owner, Admin, Editor, Viewer}},
		{ViewSite, "demo", []string{Owner, Admin, Editor, Viewer}},
		{ViewSite, "opendata-pau", []string{Owner, Admin}},
		{EditSite, "demo", []string{Owner, Admin, Editor}},
		{EditSite, "opendata-pau", []string{Owner, Admin}},
		{EditSite, "", []string{Owner, Admin}},
		{Audit, "", []string{Owner, Admin}},
		{ManageUsers, "", []string{Owner}},
	}
	for _, tc := range tests {
		for name, u := range users {
			want := false
			for _, r := range tc.want {
				want = want || r == name
			}
			if got := Can(u, tc.perm, tc.site); got != want {
				t.Errorf("Can(%s, perm %d, %q) = %v, want %v", name, tc.perm, tc.site, got, want)
			}
		}
	}
}
