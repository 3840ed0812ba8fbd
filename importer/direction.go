package importer

import (
	"sort"

	"tiendo/models"
)

// Where the direction of an indicator an import creates comes from.
const (
	DirectionFromFile   = "file"     // the file says (our direction column, Open SDG's metadata)
	DirectionFromFlag   = "flag"     // the user said (--direction, the upload form)
	DirectionFromTarget = "inferred" // a target above or below its baseline
	DirectionFromNobody = "unset"    // nobody can tell: no status until a planner sets it
)

// DirectionChoice tells, in the preview, the direction an indicator will be
// created with and why.
type DirectionChoice struct {
	Indicator string           `json:"indicator"`
	Direction models.Direction `json:"direction"`
	From      string           `json:"from"`
}

// inferDirections reads, per indicator code, which way its targets point:
// a target above its baseline (the target's own, else the indicator's
// earliest value in the file, in first) means higher is better, below
// means lower. Targets pointing both ways, or level with the baseline,
// tell nothing.
func inferDirections(b *Batch, first map[string]ObsRec) map[string]models.Direction {
	seen := map[string]models.Direction{}
	mixed := map[string]bool{}
	for _, t := range b.Targets {
		code := t.Indicator.Code
		var base float64
		switch f, ok := first[code]; {
		case t.BaselineValue != nil:
			base = *t.BaselineValue
		case ok:
			base = f.Value
		default:
			continue
		}
		var d models.Direction
		switch {
		case t.Value > base:
			d = models.DirectionHigher
		case t.Value < base:
			d = models.DirectionLower
		default:
			continue
		}
		if prev, ok := seen[code]; ok && prev != d {
			mixed[code] = true
		}
		seen[code] = d
	}
	for code := range mixed {
		delete(seen, code)
	}
	return seen
}

// direction decides the direction of an indicator the import creates: the
// file's, else the user's flag, else the one its targets point to, else
// none (shown as "direction not set", never guessed). The choice is noted
// for the preview.
func (p *Plan) direction(r *resolver, code, fromFile string) models.Direction {
	c := DirectionChoice{Indicator: code, Direction: models.Direction(fromFile), From: DirectionFromFile}
	switch {
	case fromFile != "":
	case p.Options.Direction != "":
		c.Direction, c.From = models.Direction(p.Options.Direction), DirectionFromFlag
	case r.inferred[code] != "":
		c.Direction, c.From = r.inferred[code], DirectionFromTarget
	default:
		c.Direction, c.From = models.DirectionUnset, DirectionFromNobody
	}
	for _, d := range p.Directions {
		if d.Indicator == code {
			return d.Direction
		}
	}
	p.Directions = append(p.Directions, c)
	sort.SliceStable(p.Directions, func(i, j int) bool { return p.Directions[i].Indicator < p.Directions[j].Indicator })
	return c.Direction
}
