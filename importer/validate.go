package importer

import (
	"sort"

	"tiendo/models"
)

// Every record of a file passes the same rules as a form or the API
// (models.Check…): the helpers below turn their problems into the plan's,
// at the record's row and in the column of the field refused.

// Columns of our long format that hold each field of a record, for problems.
var (
	unitColumns      = map[string]string{"code": "unit", "name_vi": "unit_vi", "name_en": "unit_en"}
	pillarColumns    = map[string]string{"code": "pillar", "name_vi": "pillar_vi", "name_en": "pillar_en"}
	indicatorColumns = map[string]string{"code": "indicator", "name_vi": "indicator_vi", "name_en": "indicator_en"}
	targetColumns    = map[string]string{"year": "period"}
)

// refuse records probs at pos, each in its field's column, and reports
// whether there was any.
func (p *Plan) refuse(pos Pos, probs models.Problems, columns map[string]string) bool {
	fields := make([]string, 0, len(probs))
	for f := range probs {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		col := f
		if c, ok := columns[f]; ok {
			col = c
		}
		p.problem(pos.at(col), probs[f].Key, probs[f].Args...)
	}
	return len(probs) > 0
}

// refuseAll is refuse for what no "skip invalid rows" may pass over: a
// change of the unit tree the user may not make, or a cycle in it.
func (p *Plan) refuseAll(pos Pos, key string, args ...any) {
	p.fatal = true
	p.problem(pos, key, args...)
}

// checkTree refuses units whose parent chain, once the file is imported,
// would come back to them.
func (p *Plan) checkTree(r *resolver) {
	parents := map[string]string{}
	for code, u := range r.unitByCode {
		parents[code] = ""
		if u.Parent != nil {
			parents[code] = u.Parent.Code
		}
	}
	at := map[string]Pos{}
	for _, w := range p.units {
		parents[w.unit.Code] = w.parent
		at[w.unit.Code] = w.pos
	}
	for _, code := range models.CheckTree(parents) {
		if pos, ok := at[code]; ok {
			p.refuseAll(pos.at("parent"), "import.unit_cycle", code)
		}
	}
}

// inScope refuses, by name, a record of a unit outside a scoped planner's
// units.
func (p *Plan) inScope(pos Pos, code string) bool {
	if p.Options.Scope == nil || p.Options.Scope[code] {
		return true
	}
	p.refuseAll(pos, "import.out_of_scope", code)
	return false
}

// mayDefine refuses, by code, an indicator or pillar defined or changed by
// a scoped planner: definitions are shared by every unit, so only unscoped
// planners and admins change them (as on the forms).
func (p *Plan) mayDefine(pos Pos, code string) bool {
	if p.Options.Scope == nil {
		return true
	}
	p.refuseAll(pos, "import.definition_scoped", code)
	return false
}

// mayChangeTree refuses, by name, a unit created or moved by someone who
// may not change the unit tree (only admins and the command line may).
func (p *Plan) mayChangeTree(pos Pos, code string) bool {
	if p.Options.UnitTree {
		return true
	}
	p.refuseAll(pos, "import.unit_tree_admin", code)
	return false
}
