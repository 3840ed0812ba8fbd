package handlers

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// form is what the user typed and what is wrong with it, so a refused form
// comes back with every field as it was and a message beside each problem.
type form struct {
	Vals map[string]string
	Errs map[string]string
	lang string
	prob models.Problems
}

func newForm(lang string) *form {
	return &form{Vals: map[string]string{}, Errs: map[string]string{}, lang: lang, prob: models.Problems{}}
}

// readForm keeps the named fields of the posted form, trimmed.
func readForm(c *fiber.Ctx, lang string, names ...string) *form {
	f := newForm(lang)
	for _, n := range names {
		f.Vals[n] = strings.TrimSpace(c.FormValue(n))
	}
	return f
}

// V is a field's value; E its error message ("" when fine).
func (f *form) V(name string) string { return f.Vals[name] }

// E is the message of a field's problem, "" when the field is fine.
func (f *form) E(name string) string { return f.Errs[name] }

// Checked reports whether a checkbox field was ticked.
func (f *form) Checked(name string) bool { return f.Vals[name] != "" && f.Vals[name] != "0" }

// Failed reports whether any field was refused.
func (f *form) Failed() bool { return len(f.prob) > 0 }

// number parses a field typed in the user's notation; nil when empty.
func (f *form) number(name string, required bool) *float64 {
	s := f.Vals[name]
	if s == "" {
		if required {
			f.prob.Add(name, "error.required")
		}
		return nil
	}
	return f.parse(name, s)
}

// parse reads s in the user's notation; a problem goes under field.
func (f *form) parse(field, s string) *float64 {
	v, err := locale.ParseNumber(f.lang, s)
	if err != nil {
		f.prob.Add(field, "error.number")
		return nil
	}
	return &v
}

// integer parses a whole-number field; nil when empty.
func (f *form) integer(name string, required bool) *int {
	s := f.Vals[name]
	if s == "" {
		if required {
			f.prob.Add(name, "error.required")
		}
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		f.prob.Add(name, "error.integer")
		return nil
	}
	return &v
}

// date reads a day written yyyy-mm-dd (a date field); empty is nil.
func (f *form) date(name string) *time.Time {
	s := f.Vals[name]
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.prob.Add(name, "error.bad_date", s)
		return nil
	}
	return &t
}

// merge adds the problems a store method found (field names prefixed).
func (f *form) merge(p models.Problems) {
	for k, v := range p {
		if _, ok := f.prob[k]; !ok {
			f.prob[k] = v
		}
	}
}

// absorb takes the problems out of err, reporting whether err was one.
func (f *form) absorb(err error) bool {
	var p models.Problems
	if errors.As(err, &p) {
		f.merge(p)
		return true
	}
	return false
}

// translate fills Errs with every problem in the form's language.
func (f *form) translate(cat locale.Catalog) {
	for k, p := range f.prob {
		f.Errs[k] = cat.T(f.lang, p.Key, p.Args...)
	}
}

// problemMessages translates problems for a JSON answer.
func problemMessages(cat locale.Catalog, lang string, p models.Problems) map[string]string {
	out := make(map[string]string, len(p))
	for k, pr := range p {
		out[k] = cat.T(lang, pr.Key, pr.Args...)
	}
	return out
}
