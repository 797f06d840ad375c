package store

// MigrationNames lists every migration this binary carries for an engine, in
// the order they apply; a database whose pending list equals it is new.
func MigrationNames(engine string) ([]string, error) {
	ms, err := migrations(engine)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	return names, nil
}
