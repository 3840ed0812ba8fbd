package apptest

import (
	"fmt"
	"strings"
	"testing"

	"tiendo/models"
)

// IndicatorAndUnit are the indicator and the unit of those codes.
func (s *Server) IndicatorAndUnit(t testing.TB, indicator, unit string) (*models.Indicator, *models.Unit) {
	t.Helper()
	ind, err := s.Store.IndicatorByCode(indicator)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Store.UnitByCode(unit)
	if err != nil {
		t.Fatal(err)
	}
	return ind, u
}

// SaveValues stores values of an indicator in a unit through the Store, as
// an edit does (checked, audited, alerts evaluated): period, value pairs,
// e.g. "2024", 30.0, "2025", 12.0.
func (s *Server) SaveValues(t testing.TB, indicator, unit string, pv ...any) {
	t.Helper()
	ind, u := s.IndicatorAndUnit(t, indicator, unit)
	var in []models.ObservationInput
	for i := 0; i+1 < len(pv); i += 2 {
		v := pv[i+1].(float64)
		in = append(in, models.ObservationInput{Unit: *u, Period: fmt.Sprint(pv[i]), Value: &v})
	}
	if err := s.Store.SaveObservations(models.Actor{Username: "test"}, *ind, in); err != nil {
		t.Fatal(err)
	}
}

// Between is the text of s between the first from and the next to ("" when
// from is not there), e.g. a token in a JSON answer.
func Between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}
