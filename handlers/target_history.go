package handlers

import (
	"tiendo/locale"
	"tiendo/models"
)

// targetHistory tells the revisions of a unit's targets of one indicator in
// words: "lowered from 45 % to 40 % on 02/03/2026 (reason)". Revisions come
// ordered by year then revision, as Store.TargetHistory returns them.
func (h *Handler) targetHistory(lang string, ind models.Indicator, revs []models.Target) []string {
	var out []string
	t := func(key string, args ...any) string { return h.cat.T(lang, key, args...) }
	for i, r := range revs {
		desc := formatTarget(h.cat, lang, &revs[i], ind)
		var line string
		if r.Revision <= 1 || i == 0 || revs[i-1].Year != r.Year {
			line = t("history.set", desc)
		} else {
			prev := revs[i-1]
			when := locale.Date(lang, r.CreatedAt.In(h.cfg.TimeZone))
			switch {
			case prev.Comparator == r.Comparator && r.Comparator != models.Between && r.Value < prev.Value:
				line = t("history.lowered", formatValue(lang, prev.Value, ind), formatValue(lang, r.Value, ind), r.Year, when)
			case prev.Comparator == r.Comparator && r.Comparator != models.Between && r.Value > prev.Value:
				line = t("history.raised", formatValue(lang, prev.Value, ind), formatValue(lang, r.Value, ind), r.Year, when)
			case formatTarget(h.cat, lang, &prev, ind) == desc:
				line = t("history.details", desc, when)
			default:
				line = t("history.changed", formatTarget(h.cat, lang, &prev, ind), desc, when)
			}
		}
		if r.Reason != "" {
			line += " — " + t("history.reason", r.Reason)
		}
		if r.Source != "" && (i == 0 || revs[i-1].Source != r.Source) {
			line += " (" + r.Source + ")"
		}
		out = append(out, line)
		last := i == len(revs)-1 || revs[i+1].Year != r.Year
		if last && r.SupersededAt != nil {
			out = append(out, t("history.withdrawn", desc, locale.Date(lang, r.SupersededAt.In(h.cfg.TimeZone))))
		}
	}
	return out
}
