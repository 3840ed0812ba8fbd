package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// apiWriter stores values as a planner does through the API, with a bearer
// token, and remembers every value the server acknowledged (201).
type apiWriter struct {
	url, token string
	client     *http.Client
	inds       []apiIndicator
	units      []string
	// wards are the units without children below -under: a planner's
	// random writes go there.
	wards   []string
	periods map[string][]string // started periods by frequency, for the random writes
	mu      sync.Mutex
	acked   []apiValue
	// unseen counts writes whose writer's next view of the indicator
	// page did not show the value.
	unseen int
}

type apiIndicator struct {
	Code      string   `json:"code"`
	Frequency string   `json:"frequency"`
	Limit     *float64 `json:"limit"`
}

type apiValue struct {
	Indicator string  `json:"indicator"`
	Unit      string  `json:"unit"`
	Period    string  `json:"period"`
	Value     float64 `json:"value"`
}

type apiUnit struct {
	Code   string  `json:"code"`
	Parent *string `json:"parent"`
}

// leavesUnder returns the codes of the units below top that have no
// children.
func leavesUnder(units []apiUnit, top string) []string {
	parent, hasChildren := map[string]string{}, map[string]bool{}
	for _, u := range units {
		if u.Parent != nil {
			parent[u.Code] = *u.Parent
			hasChildren[*u.Parent] = true
		}
	}
	var out []string
	for _, u := range units {
		if hasChildren[u.Code] {
			continue
		}
		for p, ok := parent[u.Code]; ok; p, ok = parent[p] {
			if p == top {
				out = append(out, u.Code)
				break
			}
		}
	}
	return out
}

func newAPIWriter(client *http.Client, url, username, password, under string) (*apiWriter, error) {
	w := &apiWriter{url: url, client: client}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password, "name": "load test"})
	var tok struct {
		Token string `json:"token"`
	}
	if err := w.call("POST", "/api/v1/auth/token", body, http.StatusCreated, &tok); err != nil {
		return nil, fmt.Errorf("loadtest: no API token: %w", err)
	}
	w.token = tok.Token
	if err := w.call("GET", "/api/v1/indicators", nil, 200, &w.inds); err != nil {
		return nil, err
	}
	var units []apiUnit
	if err := w.call("GET", "/api/v1/units", nil, 200, &units); err != nil {
		return nil, err
	}
	for _, u := range units {
		w.units = append(w.units, u.Code)
	}
	if under != "" {
		w.wards = leavesUnder(units, under)
		if len(w.wards) == 0 {
			return nil, fmt.Errorf("loadtest: no unit without children under %s", under)
		}
		w.periods = startedPeriods(time.Now())
	}
	if len(w.inds) == 0 || len(w.units) == 0 {
		return nil, fmt.Errorf("loadtest: no indicators or units to write to")
	}
	return w, nil
}

func (w *apiWriter) call(method, path string, body []byte, want int, into any) error {
	req, _ := http.NewRequest(method, w.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if w.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, firstLine(b))
	}
	if into != nil {
		return json.Unmarshal(b, into)
	}
	return nil
}

// value is the k-th distinct (indicator, unit, period) the writers fill,
// with periods written in each indicator's frequency, before 2026.
func (w *apiWriter) value(k int) (apiValue, bool) {
	ind := w.inds[k%len(w.inds)]
	k /= len(w.inds)
	unit := w.units[k%len(w.units)]
	k /= len(w.units)
	var period string
	switch ind.Frequency {
	case "quarter":
		period = fmt.Sprintf("%d-Q%d", 1900+k/4, 1+k%4)
	case "month":
		period = fmt.Sprintf("%d-%02d", 1900+k/12, 1+k%12)
	default:
		period = fmt.Sprint(1900 + k)
	}
	return apiValue{Indicator: ind.Code, Unit: unit, Period: period, Value: float64(k % 100)}, !strings.HasPrefix(period, "2026")
}

// startedPeriods are the years, quarters and months from 2015 to now's.
func startedPeriods(now time.Time) map[string][]string {
	out := map[string][]string{}
	for y := 2015; y <= now.Year(); y++ {
		out["year"] = append(out["year"], fmt.Sprint(y))
		for m := 1; m <= 12 && (y < now.Year() || m <= int(now.Month())); m++ {
			out["month"] = append(out["month"], fmt.Sprintf("%d-%02d", y, m))
			if m%3 == 1 {
				out["quarter"] = append(out["quarter"], fmt.Sprintf("%d-Q%d", y, 1+m/3))
			}
		}
	}
	return out
}

// random is a planner's write: a random ward below -under, indicator and
// started period of its frequency, a whole value below 1 000 (shown as
// written in English, whatever the indicator's decimals) and within the
// indicator's natural limit.
func (w *apiWriter) random(rng *rand.Rand) apiValue {
	ind := w.inds[rng.IntN(len(w.inds))]
	periods := w.periods[ind.Frequency]
	if len(periods) == 0 {
		periods = w.periods["year"]
	}
	value := float64(100 + rng.IntN(900))
	if ind.Limit != nil && *ind.Limit >= 1 {
		value = float64(rng.IntN(int(*ind.Limit)) + 1) // a share: within its natural limit
	}
	return apiValue{Indicator: ind.Code, Unit: w.wards[rng.IntN(len(w.wards))],
		Period: periods[rng.IntN(len(periods))], Value: value}
}

// write stores the value numbered n of writer i out of writers (a random
// one with -under).
func (w *apiWriter) write(ctx context.Context, i, n, writers int, rng *rand.Rand) result {
	var v apiValue
	if w.wards != nil {
		v = w.random(rng)
	} else {
		var ok bool
		if v, ok = w.value(n*writers + i); !ok {
			return result{kind: "cancelled"} // every slot is filled
		}
	}
	start := time.Now()
	// A random period usually has a value already: the planner corrects
	// it (PUT); the sequential slots are new (POST).
	method, want := "POST", http.StatusCreated
	if w.wards != nil {
		method, want = "PUT", http.StatusOK
	}
	status, b, err := w.send(ctx, method, v)
	if err == nil && method == "PUT" && status == http.StatusUnprocessableEntity && bytes.Contains(b, []byte(`"period"`)) {
		method, want = "POST", http.StatusCreated // no value yet: the planner adds it
		status, b, err = w.send(ctx, method, v)
	}
	if err != nil {
		if ctx.Err() != nil {
			return result{kind: "cancelled"}
		}
		return result{kind: "write", err: err.Error()}
	}
	if status != want {
		return result{kind: "write", err: fmt.Sprintf("write %s %d %s", method, status, firstLine(b))}
	}
	took := time.Since(start)
	seen := true
	if w.wards != nil {
		seen = w.sees(ctx, v)
	}
	w.mu.Lock()
	w.acked = append(w.acked, v)
	if !seen && ctx.Err() == nil {
		w.unseen++
	}
	w.mu.Unlock()
	return result{kind: "write", latency: took}
}

// send stores v with method, as the planner's token.
func (w *apiWriter) send(ctx context.Context, method string, v apiValue) (int, []byte, error) {
	body, _ := json.Marshal(v)
	req, _ := http.NewRequestWithContext(ctx, method, w.url+"/api/v1/observations", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// sees reports whether the writer's next view of the indicator page of the
// ward shows the value it wrote (as a signed-in planner: no stored page).
func (w *apiWriter) sees(ctx context.Context, v apiValue) bool {
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/indicators/%s?unit=%s&lang=en", w.url, v.Indicator, v.Unit), nil)
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := w.client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	cell := fmt.Sprintf(`<th scope="row">%s</th><td class="num">%d`, v.Period, int(v.Value))
	i := bytes.Index(b, []byte(cell))
	return resp.StatusCode == 200 && i >= 0 && len(b) > i+len(cell) && (b[i+len(cell)] == ' ' || b[i+len(cell)] == '<')
}

// verify counts the acknowledged values the database does not hold.
func (w *apiWriter) verify(db *gorm.DB) (int, error) {
	lost := 0
	for _, v := range w.acked {
		var got []float64
		err := db.Raw(`SELECT o.value FROM observations o JOIN indicators i ON i.id = o.indicator_id JOIN units u ON u.id = o.unit_id
			WHERE i.code = ? AND u.code = ? AND o.period = ?`, v.Indicator, v.Unit, v.Period).Scan(&got).Error
		if err != nil {
			return 0, err
		}
		if len(got) != 1 || got[0] != v.Value {
			lost++
		}
	}
	return lost, nil
}
