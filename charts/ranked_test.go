package charts

import (
	"encoding/json"
	"testing"
)

func TestRankedBarsDrawsTheTargetAndLinksEachBar(t *testing.T) {
	target := 95.0
	c := RankedBars("r", []Bar{{Name: "Quận 1", Value: 90, Color: "#111", Link: "/a"}, {Name: "Quận 3", Value: 80, Color: "#222"}},
		&target, "Mục tiêu 95 %", "%", "alt")
	var o struct {
		YAxis []struct {
			Data []string `json:"data"`
		} `json:"yAxis"`
		Series []struct {
			Data []struct {
				Value     float64 `json:"value"`
				ItemStyle struct {
					Color string `json:"color"`
				} `json:"itemStyle"`
			} `json:"data"`
			MarkLine struct {
				Data []map[string]any `json:"data"`
			} `json:"markLine"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &o); err != nil {
		t.Fatal(err)
	}
	if len(o.YAxis) != 1 || len(o.YAxis[0].Data) != 2 || o.YAxis[0].Data[1] != "Quận 3" {
		t.Fatalf("categories: %+v", o.YAxis)
	}
	s := o.Series[0]
	if s.Data[0].Value != 90 || s.Data[1].ItemStyle.Color != "#222" {
		t.Errorf("bars: %+v", s.Data)
	}
	if len(s.MarkLine.Data) != 1 || s.MarkLine.Data[0]["xAxis"] != 95.0 {
		t.Errorf("target line: %+v", s.MarkLine.Data)
	}
	var links map[string]string
	if err := json.Unmarshal([]byte(c.Links), &links); err != nil || len(links) != 1 || links["Quận 1"] != "/a" {
		t.Errorf("links %q: %v", c.Links, err)
	}
	if c.Height < 60 {
		t.Errorf("height %d", c.Height)
	}
	if noTarget := RankedBars("r", []Bar{{Name: "x", Value: 1}}, nil, "", "", ""); noTarget.Links != "" {
		t.Errorf("no link given, yet links %q", noTarget.Links)
	}
}

func TestWithPatternsTurnsOnDecals(t *testing.T) {
	c := WithPatterns(StatusBars("s", []string{"a"}, nil, "alt"))
	var o map[string]any
	if err := json.Unmarshal([]byte(c.Options), &o); err != nil {
		t.Fatal(err)
	}
	aria, _ := o["aria"].(map[string]any)
	decal, _ := aria["decal"].(map[string]any)
	if aria["enabled"] != true || decal["show"] != true {
		t.Errorf("aria: %v", o["aria"])
	}
}
