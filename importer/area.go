package importer

import (
	"tiendo/models"
)

// childLevel is the level of a unit created under a unit of level l.
func childLevel(l string) string {
	switch l {
	case models.LevelCountry:
		return models.LevelProvince
	case models.LevelCity, models.LevelProvince:
		return models.LevelDistrict
	}
	return models.LevelWard
}

// areaUnit resolves an area a file's geography names (Open SDG
// Geography and GeoCode) against the default unit: the default unit
// itself when the area names it (Canada in Canada's files), else a unit
// below it of that code (bare or prefixed with the default unit's:
// CA-48) or name, else a unit created under it, coded after the default
// unit and the area's code or name. done is false without a default unit.
func (p *Plan) areaUnit(r *resolver, ref Ref, pos Pos) (code string, ok, done bool) {
	top := p.Options.Unit
	tu, known := r.unitByCode[top]
	if top == "" || (!known && !r.newUnits[top]) {
		return "", false, false
	}
	name := orElse(ref.NameEN, ref.NameVI)
	key := unitKey(name)
	if ref.Code == top || (name != "" && (key == unitKey(tu.NameVI) || key == unitKey(tu.NameEN) || key == unitKey(top))) {
		return top, p.inScope(pos.at("unit"), top), true
	}
	if p.areas == nil {
		p.areas = map[string]string{}
		parent := map[string]string{}
		for c, u := range r.unitByCode {
			if u.Parent != nil {
				parent[c] = u.Parent.Code
			}
		}
		for c, u := range r.unitByCode {
			below := false
			for at, n := parent[c], 0; at != "" && n < 64; at, n = parent[at], n+1 {
				below = below || at == top
			}
			if below {
				p.areas["c:"+c], p.areas["n:"+unitKey(u.NameVI)], p.areas["n:"+unitKey(u.NameEN)] = c, c, c
			}
		}
	}
	for _, k := range []string{"c:" + ref.Code, "c:" + top + "-" + ref.Code, "n:" + key} {
		if c, found := p.areas[k]; found && k != "c:" && k != "n:" && k != "c:"+top+"-" {
			if r.bad["u:"+c] {
				return c, false, true
			}
			return c, r.unitByCode[c].ID != 0 && p.inScope(pos.at("unit"), c) || r.newUnits[c], true
		}
	}
	code = top + "-" + orElse(ref.Code, slug(name))
	if len(code) > models.MaxCodeLength {
		code = code[:models.MaxCodeLength]
	}
	if _, seen := r.missingUnit["u:"+code]; !seen {
		r.missingUnit["u:"+code] = Ref{Code: code, NameVI: orElse(ref.NameVI, name), NameEN: orElse(ref.NameEN, name)}
		if p.Options.Missing == MissingCreate {
			u := models.Unit{Code: code, NameVI: orElse(ref.NameVI, name, code), NameEN: orElse(ref.NameEN, name, code), Level: childLevel(tu.Level)}
			if p.refuse(pos, models.CheckUnit(&u), unitColumns) || !p.mayChangeTree(pos.at("unit"), code) {
				r.bad["u:"+code] = true
			} else {
				r.newUnits[code] = true
				p.Units.Create++
				p.units = append(p.units, unitWrite{unit: u, parent: top, pos: pos})
			}
		}
		p.areas["c:"+code], p.areas["n:"+key] = code, code
	}
	return code, p.Options.Missing == MissingCreate && !r.bad["u:"+code], true
}
