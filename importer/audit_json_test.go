package importer

import (
	"math"
	"math/rand/v2"
	"testing"

	"tiendo/models"
)

// The audit's JSON of a value, put together by hand, is encoding/json's,
// byte for byte: texts with quotes, controls, HTML, U+2028 and bad bytes,
// and numbers small, large, negative and random.
func TestValueAuditJSONIsEncodingJSONs(t *testing.T) {
	texts := []string{"", "Bài “TP Hồ Chí Minh” (tài liệu nguồn 000_92f0eb13)", `a "quoted" \\ path`, "tab\there\nnew line\r",
		"<b>&amp;</b>", "line\u2028separator\u2029", "bad \xff byte", "\x00\x1f", "3,2% tổng số hộ"}
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 9214, 3.2, 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.234e25, -5e-324, math.MaxFloat64, 123456789.125}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, math.Float64frombits(r.Uint64()), r.NormFloat64()*1e6, float64(r.IntN(100000))/10)
	}
	check := func(v valueAudit) {
		if got, want := v.json(), models.AuditJSON(v); got != want {
			t.Errorf("%#v: %s, want %s", v, got, want)
		}
	}
	for _, note := range texts {
		for _, source := range texts {
			check(valueAudit{Note: note, Source: source, Value: 42.5})
		}
	}
	for _, f := range values {
		check(valueAudit{Note: "n", Value: f})
	}
	check(valueAudit{Value: math.NaN()})
	check(valueAudit{Value: math.Inf(-1)})
}
