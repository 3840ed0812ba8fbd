package notify

import (
	"fmt"
	"strings"
	"tiendo/locale"
	"time"
)

// Schedule is when the weekly digest goes out: a weekday and a time of day
// in a time zone. Off: never on its own (digest --send-now still works).
type Schedule struct {
	Day          time.Weekday
	Hour, Minute int
	Loc          *time.Location
	Off          bool
}

// DefaultSchedule is Monday 07:00 in Vietnam.
const DefaultSchedule = "Mon 07:00 Asia/Ho_Chi_Minh"

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseSchedule reads "Mon 07:00 Asia/Ho_Chi_Minh" (the zone may be left
// out: Vietnam) or "off".
func ParseSchedule(s string) (Schedule, error) {
	f := strings.Fields(s)
	if len(f) == 1 && strings.EqualFold(f[0], "off") {
		return Schedule{Off: true}, nil
	}
	bad := fmt.Errorf("digest schedule %q: write a weekday, a time and a zone, e.g. %q, or off", s, DefaultSchedule)
	if len(f) < 2 || len(f) > 3 {
		return Schedule{}, bad
	}
	day, ok := weekdays[strings.ToLower(f[0])[:min(3, len(f[0]))]]
	if !ok {
		return Schedule{}, bad
	}
	var sc Schedule
	if _, err := fmt.Sscanf(f[1], "%d:%d", &sc.Hour, &sc.Minute); err != nil || sc.Hour > 23 || sc.Minute > 59 || sc.Hour < 0 || sc.Minute < 0 {
		return Schedule{}, bad
	}
	sc.Day, sc.Loc = day, locale.Zone
	if len(f) == 3 {
		loc, err := time.LoadLocation(f[2])
		if err != nil {
			return Schedule{}, fmt.Errorf("digest schedule: unknown time zone %q", f[2])
		}
		sc.Loc = loc
	}
	return sc, nil
}

// Last is the latest scheduled time at or before now.
func (s Schedule) Last(now time.Time) time.Time {
	local := now.In(s.Loc)
	t := time.Date(local.Year(), local.Month(), local.Day(), s.Hour, s.Minute, 0, 0, s.Loc)
	t = t.AddDate(0, 0, -((int(t.Weekday()) - int(s.Day) + 7) % 7))
	if t.After(now) {
		t = t.AddDate(0, 0, -7)
	}
	return t
}

// Next is the first scheduled time after now.
func (s Schedule) Next(now time.Time) time.Time { return s.Last(now).AddDate(0, 0, 7) }

// String writes the schedule as ParseSchedule reads it.
func (s Schedule) String() string {
	if s.Off || s.Loc == nil {
		return "off"
	}
	return fmt.Sprintf("%s %02d:%02d %s", s.Day.String()[:3], s.Hour, s.Minute, s.Loc)
}
