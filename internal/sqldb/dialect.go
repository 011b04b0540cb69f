package sqldb

import (
	"fmt"

	"github.com/pressly/goose/v3"
)

// Dialect is a database engine. The few differences between the engines
// live here and in search_*.go; every other query text is shared.
type Dialect int

// Supported dialects.
const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) migrationDir() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

func (d Dialect) gooseDialect() goose.Dialect {
	if d == Postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// String names the dialect.
func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// ts is timestamp parameter n, typed for PostgreSQL where nothing around
// it says what it is (a SELECT list); SQLite needs no cast.
func (d Dialect) ts(n int) string {
	if d == Postgres {
		return fmt.Sprintf("$%d::timestamptz", n)
	}
	return fmt.Sprintf("$%d", n)
}

// id is integer parameter n, typed for PostgreSQL like ts.
func (d Dialect) id(n int) string {
	if d == Postgres {
		return fmt.Sprintf("$%d::bigint", n)
	}
	return fmt.Sprintf("$%d", n)
}

// claimLock makes concurrent claimers on PostgreSQL skip each other's rows;
// SQLite has one writer at a time and needs nothing.
func (d Dialect) claimLock() string {
	if d == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// rowLock locks the rows a subquery selects, in its order, on PostgreSQL.
func (d Dialect) rowLock() string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
