package handlers

import (
	"strings"

	"tiendo/models"
)

// The breakdown picker of the data-entry pages (one value, the grid): one
// select per dimension of the indicator, each "total" or one of its values,
// sent as bd_<DIMENSION>=<VALUE>. What they compose is checked by the
// store's one rule for breakdowns (models.BreakdownRules), as for every
// other way values come in.

// pickerPrefix starts the name of each dimension's field.
const pickerPrefix = "bd_"

type pickerDimension struct {
	ID, Name, Label string
	Options         []unitOption
}

type breakdownPicker struct {
	Page       *Page
	Dimensions []pickerDimension
	Err        string
}

// pickedBreakdown composes the breakdown the picker's fields name (value
// reads one field): "" for the total. Values are taken as sent; the store
// refuses what is not a value of the dimension.
func pickedBreakdown(dims []models.Dimension, value func(string) string) string {
	var pairs []models.BreakdownPair
	for _, d := range dims {
		if v := strings.TrimSpace(value(pickerPrefix + d.Code)); v != "" && v != models.BreakdownTotal {
			pairs = append(pairs, models.BreakdownPair{Dimension: d.Code, Value: v})
		}
	}
	models.SortBreakdown(pairs)
	return models.FormatBreakdown(pairs)
}

// pickerFields are the picker's fields of a breakdown, name then value,
// for links and hidden fields.
func pickerFields(breakdown string) []string {
	pairs, _ := models.ParseBreakdown(breakdown)
	var kv []string
	for _, p := range pairs {
		kv = append(kv, pickerPrefix+p.Dimension, p.Value)
	}
	return kv
}

// newPicker is the picker with breakdown chosen; nil when the indicator
// has no dimensions.
func newPicker(p *Page, dims []models.Dimension, breakdown, err string) *breakdownPicker {
	if len(dims) == 0 {
		return nil
	}
	pairs, _ := models.ParseBreakdown(breakdown)
	chosen := map[string]string{}
	for _, pr := range pairs {
		chosen[strings.ToUpper(pr.Dimension)] = pr.Value
	}
	b := &breakdownPicker{Page: p, Err: err}
	for _, d := range dims {
		pd := pickerDimension{ID: "f-" + pickerPrefix + d.Code, Name: pickerPrefix + d.Code, Label: name(p.Lang, d.NameVI, d.NameEN)}
		pd.Options = append(pd.Options, unitOption{Code: "", Name: p.T("picker.total"), Selected: chosen[strings.ToUpper(d.Code)] == ""})
		for _, v := range d.Values {
			pd.Options = append(pd.Options, unitOption{Code: v.Code, Name: name(p.Lang, v.NameVI, v.NameEN),
				Selected: strings.EqualFold(chosen[strings.ToUpper(d.Code)], v.Code)})
		}
		b.Dimensions = append(b.Dimensions, pd)
	}
	return b
}
