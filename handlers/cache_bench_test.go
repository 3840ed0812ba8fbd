package handlers_test

import (
	"strconv"
	"testing"

	"tiendo/apptest"
)

// BenchmarkOverviewJunkParameters reads the overview over real HTTP, plain
// and with a fresh junk parameter each time (&x=<n>): with the cache keyed
// on the parameters the page reads, both are served from the store.
//
//	go test ./handlers/ -run XXX -bench OverviewJunk
func BenchmarkOverviewJunkParameters(b *testing.B) {
	s := apptest.Start(b, apptest.Options{Demo: true})
	for _, tc := range []struct{ name, suffix string }{{"plain", ""}, {"junk", "&x="}} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				path := "/?unit=VN-SG&year=2030"
				if tc.suffix != "" {
					path += tc.suffix + strconv.Itoa(i)
				}
				if code, _ := s.Get(b, path); code != 200 {
					b.Fatalf("%s: %d", path, code)
				}
			}
		})
	}
}
