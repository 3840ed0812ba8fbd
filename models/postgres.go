package models

import (
	"fmt"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// openPostgres connects to PostgreSQL through pgx. Several app instances may
// share one server: every cache of the app is invalidated through the
// change log (see changes.go), so nothing else is instance-local.
func openPostgres(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open PostgreSQL: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// A few connections per instance: PostgreSQL's default limit is 100,
	// shared by every instance behind the load balancer.
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(8)
	return db, nil
}
