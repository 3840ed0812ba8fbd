package models

import (
	"sort"
	"strings"
)

// Problem is why one field was refused: a translation key and its arguments,
// so the message can be shown next to the field in the user's language.
type Problem struct {
	Key  string
	Args []any
}

// Problems maps a field name to what is wrong with it. A non-empty Problems
// is returned as an error by every write method: nothing was stored.
type Problems map[string]Problem

// Add records the first problem of a field; later ones wait for it to be fixed.
func (p Problems) Add(field, key string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = Problem{Key: key, Args: args}
	}
}

// Error lists the fields refused, for logs.
func (p Problems) Error() string {
	fields := make([]string, 0, len(p))
	for f, pr := range p {
		fields = append(fields, f+": "+pr.Key)
	}
	sort.Strings(fields)
	return "invalid input: " + strings.Join(fields, ", ")
}

// Err returns p as an error, or nil when nothing is wrong.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}
