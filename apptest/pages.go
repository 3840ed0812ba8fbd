package apptest

import "strings"

// Pages are every page of the app: each GET route that answers HTML,
// with its placeholders filled, and the pages of breakdowns (the server
// needs AddTestBreakdowns for those). The API, probes, sign-in hand-offs
// and links sent by mail are not pages.
func Pages(s *Server) []string {
	out := []string{"/?unit=VN-SG&year=2030", "/?unit=VN-SG-760", "/?unit=VN-51",
		"/indicators/5g-coverage?unit=VN-SG", "/indicators/5g-coverage?unit=VN-SG&tab=about",
		"/compare?unit=VN-SG&year=2030", "/briefing?unit=VN-SG&year=2030",
		"/indicators/gso-poverty-rate?unit=VN-51&bd=SEX%3DF&bd=SEX%3DM&bd=URBANISATION%3DR&bd=URBANISATION%3DU",
		"/embed/indicators/gso-poverty-rate?unit=VN-51&bd=URBANISATION%3DR",
		"/edit/indicators/gso-poverty-rate/grid?bd_URBANISATION=R", "/edit/indicators/gso-poverty-rate/value?unit=VN-51&bd_SEX=F",
		"/compare?unit=VN-SG&year=2030&indicator=fibre-coverage&breakdown=URBANISATION%3DR"}
	seen := map[string]bool{"/": true, "/indicators/:code": true, "/compare": true, "/briefing": true}
	for _, r := range s.Handler.Routes() {
		p := r.Path
		if r.Method != "GET" || seen[p] || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/auth/") ||
			strings.Contains(p, ":id") || strings.Contains(p, ":token") || p == "/healthz" || p == "/readyz" || p == "/metrics" ||
			strings.HasSuffix(p, ".csv") || p == "/logout" || p == "/unsubscribe" { // needs an e-mail's signed token
			continue
		}
		seen[p] = true
		if strings.HasPrefix(p, "/admin/units/") {
			p = strings.ReplaceAll(p, ":code", "VN-SG") // a unit's code, not an indicator's
		}
		p = strings.ReplaceAll(p, ":code", "5g-coverage")
		if strings.Contains(p, "/value") || strings.Contains(p, "/targets") || strings.HasPrefix(p, "/embed/") {
			p += "?unit=VN-SG"
		}
		out = append(out, p)
	}
	return out
}
