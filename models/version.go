package models

import (
	"fmt"
	"log/slog"
	"time"
)

// The data version is one row that every write bumps (migration 40). Every
// cache of the app is labelled with the version it was built at and dropped
// as soon as the row says otherwise, so app instances sharing one database
// see each other's writes on their next request, without talking to each
// other.

// Version returns the current data version and when the data last changed.
func (s *Store) Version() (int64, time.Time, error) {
	var row struct {
		Version   int64
		ChangedAt int64
	}
	if err := s.db.Raw(`SELECT version, changed_at FROM data_version WHERE id = 1`).Scan(&row).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("store: unable to read the data version: %w", err)
	}
	return row.Version, time.UnixMilli(row.ChangedAt).UTC(), nil
}

// bumpVersion records that the data changed.
func (s *Store) bumpVersion() error {
	err := s.db.Exec(`UPDATE data_version SET version = version + 1, changed_at = ? WHERE id = 1`, time.Now().UnixMilli()).Error
	if err != nil {
		return fmt.Errorf("store: unable to bump the data version: %w", err)
	}
	return nil
}

// DataChanged must be called after every committed write that can change an
// assessment: the store's own write methods, imports, the demo loader. It
// bumps the shared data version (other instances drop their caches on their
// next request) and runs the local OnChange listeners.
func (s *Store) DataChanged() {
	if err := s.bumpVersion(); err != nil {
		// The local caches are still dropped below; other instances would
		// only catch up at the next successful write, so say it loudly.
		slog.Error("other app instances may serve stale assessments", "error", err)
	}
	s.progress.reset()
	for _, f := range s.onChange {
		f()
	}
}
