package importer

import (
	"os"
	"path/filepath"
	"testing"

	"tiendo/models"
	"tiendo/seed"
)

// FuzzImport: the whole way in, file → records → validation → plan. Whatever
// the bytes, Preview answers without a panic or an error, and every record
// a committable plan would write passes the rules every other door applies, in a unit tree
// without cycles. The seeds run with `make test`.
func FuzzImport(f *testing.F) {
	db, err := models.Open(filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	if err := models.Migrate(db); err != nil {
		f.Fatal(err)
	}
	if _, err := seed.Ensure(db); err != nil {
		f.Fatal(err)
	}
	store := models.NewStore(db)
	for _, s := range []string{
		"indicator,unit,period,value\nfibre-coverage,VN-SG,2024,61.5\n",
		"indicator,unit,period,value\nfibre-coverage,VN-SG,2020-Q2,150\nSI.POV.NAHC,VN,2022,-3.5\n",
		"code,name_vi,name_en,level,parent\nCYC-A,A,A,ward,CYC-A\nVN-SG,TP,City,city,VN-SG-760\n<svg onload=x>,x,x,galaxy,VN-SG\n",
		"record,indicator,indicator_vi,indicator_en,measure,direction,limit,decimals,frequency\nindicator,3.2.1,Tử vong,Mortality,‰,lower,-5,1000000000,year\n",
		"record,indicator,unit,period,value,comparator,source\ntarget,fibre-coverage,VN-SG,2030,500,at_least,x\n",
		"indicator,unit,period,value,note\nfibre-coverage,VN-SG,2024,50,'=1+1\n",
	} {
		f.Add("f.csv", []byte(s))
	}
	// Breakdowns: Open SDG with series and units of measure, SDMX-CSV and
	// SDMX-JSON in every layout.
	own, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range own {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		b := Parse([]File{{Name: name, Data: data}}, ParseOptions{})
		p, err := Preview(store, b, Options{Unit: "VN-SG", Missing: MissingCreate, SkipInvalid: true, UnitTree: true})
		if err != nil {
			t.Fatalf("preview: %v", err)
		}
		if p.Err() != nil {
			return // not committable: nothing would be written
		}
		now := store.Now()
		defs := map[string]models.Indicator{}
		inds, _ := store.AllIndicators()
		for _, ind := range inds {
			defs[ind.Code] = ind
		}
		for _, w := range p.indicators {
			ind := w.ind
			if probs := models.CheckIndicator(&ind); len(probs) > 0 {
				t.Fatalf("indicator %q planned with problems %v", ind.Code, probs)
			}
			defs[ind.Code] = ind
		}
		parents := map[string]string{}
		units, _ := store.Units()
		for _, u := range units {
			if u.Parent != nil {
				parents[u.Code] = u.Parent.Code
			}
		}
		for _, w := range p.units {
			u := w.unit
			if probs := models.CheckUnit(&u); len(probs) > 0 {
				t.Fatalf("unit %q planned with problems %v", u.Code, probs)
			}
			parents[u.Code] = w.parent
		}
		if cyc := models.CheckTree(parents); len(cyc) > 0 {
			t.Fatalf("units planned in a cycle: %v", cyc)
		}
		for _, w := range p.targets {
			tg := w.row.target()
			if probs := models.CheckTarget(defs[w.indicator], &tg); len(probs) > 0 {
				t.Fatalf("target %s/%s planned with problems %v", w.indicator, w.unit, probs)
			}
		}
		// Every value the commit would write, planned as it plans them.
		q := *p
		values := newValuePlanner(&q, store.DB(), func(w obsWrite, _ bool) error {
			if len(w.breakdown) > models.MaxBreakdownLength {
				t.Fatalf("breakdown %q planned longer than %d", w.breakdown, models.MaxBreakdownLength)
			}
			if c, err := models.CanonicalBreakdown(w.breakdown); err != nil || c != w.breakdown {
				t.Fatalf("breakdown %q planned not canonical (%q, %v)", w.breakdown, c, err)
			}
			v := w.value
			in := models.ObservationInput{Period: w.period, Value: &v, Note: w.note, Source: w.source}
			probs := models.Problems{}
			if models.CheckObservation(probs, "", defs[w.indicator], &in, now); len(probs) > 0 {
				t.Fatalf("value %s/%s/%s planned with problems %v", w.indicator, w.unit, w.period, probs)
			}
			return nil
		})
		if _, err := values.read(p.src); err != nil {
			t.Fatal(err)
		}
	})
}
