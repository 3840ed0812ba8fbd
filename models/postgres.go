package models

import (
	"errors"

	"gorm.io/gorm"
)

// openPostgres is filled in when PostgreSQL support lands.
func openPostgres(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	return nil, errors.New("models: PostgreSQL is not supported in this build yet")
}
