package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a year (2024), a quarter (2024-Q3) or a month (2024-05).
type Period struct {
	Year    int
	Quarter int // 1–4 for a quarter, else 0
	Month   int // 1–12 for a month, else 0
}

// MinYear and MaxYear bound every year the app reads: periods, milestones,
// baselines, ?year= and the years of imported files.
const (
	MinYear = 1900
	MaxYear = 2100
)

// ErrPeriod is returned for a period that is not written 2024, 2024-Q3 or 2024-05.
var ErrPeriod = errors.New("period must be written 2024, 2024-Q3 or 2024-05")

// ParsePeriod reads a period written 2024, 2024-Q3 or 2024-05.
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 4 {
		return Period{}, ErrPeriod
	}
	if !isDigit(s[0]) {
		return Period{}, ErrPeriod // Atoi would take "+202" for a year
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || year < MinYear || year > MaxYear {
		return Period{}, ErrPeriod
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Year: year}, nil
	case len(rest) == 3 && rest[:2] == "-Q" && rest[2] >= '1' && rest[2] <= '4':
		return Period{Year: year, Quarter: int(rest[2] - '0')}, nil
	case len(rest) == 3 && rest[0] == '-' && isDigit(rest[1]) && isDigit(rest[2]):
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, ErrPeriod
		}
		return Period{Year: year, Month: m}, nil
	}
	return Period{}, ErrPeriod
}

// String writes the period in its canonical form.
// (Without fmt: an import writes millions.)
func (p Period) String() string {
	switch {
	case p.Year >= 0 && p.Year <= 9999 && p.Quarter <= 9 && p.Month <= 99:
	case p.Quarter > 0:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.Quarter)
	case p.Month > 0:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	default:
		return fmt.Sprintf("%04d", p.Year)
	}
	b := make([]byte, 0, 7)
	b = append(b, byte('0'+p.Year/1000%10), byte('0'+p.Year/100%10), byte('0'+p.Year/10%10), byte('0'+p.Year%10))
	switch {
	case p.Quarter > 0:
		b = append(b, '-', 'Q', byte('0'+p.Quarter%10))
	case p.Month > 0:
		b = append(b, '-', byte('0'+p.Month/10%10), byte('0'+p.Month%10))
	}
	return string(b)
}

// Frequency is the frequency the period is written in.
func (p Period) Frequency() string {
	switch {
	case p.Quarter > 0:
		return FrequencyQuarter
	case p.Month > 0:
		return FrequencyMonth
	}
	return FrequencyYear
}

// EndMonth is the last month the period covers, so periods of different
// frequencies in one year can be ordered.
func (p Period) EndMonth() int {
	switch {
	case p.Quarter > 0:
		return 3 * p.Quarter
	case p.Month > 0:
		return p.Month
	}
	return 12
}

// End is the first instant after the period.
func (p Period) End() time.Time {
	return time.Date(p.Year, time.Month(p.EndMonth())+1, 1, 0, 0, 0, 0, time.UTC)
}

// Started reports whether the period has begun at t: a period in the
// future cannot have an actual value yet.
func (p Period) Started(t time.Time) bool {
	start := time.Date(p.Year, time.Month(p.EndMonth()), 1, 0, 0, 0, 0, time.UTC)
	switch {
	case p.Quarter > 0:
		start = start.AddDate(0, -2, 0)
	case p.Month == 0:
		start = time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return !t.Before(start)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
