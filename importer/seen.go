package importer

import "tiendo/models"

// seenKeys remembers the keys (indicator, unit, breakdown, period) an
// import wrote, so
// a repeated row is written once: a bit per period of each series, a few
// megabytes for a city of millions of values, where a set of keys would
// take hundreds.
type seenKeys struct {
	codes  map[string]uint32 // indicator, unit and breakdown codes, numbered
	series map[[3]uint32]*periodBits
	// The series of the last key: files list a series' periods together.
	last     [3]string
	lastBits *periodBits
}

func newSeenKeys() *seenKeys {
	return &seenKeys{codes: map[string]uint32{}, series: map[[3]uint32]*periodBits{}}
}

func (s *seenKeys) number(code string) uint32 {
	n, ok := s.codes[code]
	if !ok {
		n = uint32(len(s.codes)) //nolint:gosec // fewer codes than 2³² in any file
		s.codes[code] = n
	}
	return n
}

// add notes a key and reports whether it was there already.
func (s *seenKeys) add(indicator, unit, breakdown string, p models.Period) bool {
	if key := [3]string{indicator, unit, breakdown}; s.lastBits == nil || key != s.last {
		k := [3]uint32{s.number("i\x00" + indicator), s.number("u\x00" + unit), s.number("b\x00" + breakdown)}
		bits := s.series[k]
		if bits == nil {
			bits = &periodBits{}
			s.series[k] = bits
		}
		s.last, s.lastBits = key, bits
	}
	return s.lastBits.add(periodIndex(p))
}

// periodIndex numbers the periods: 17 a year (the year, its quarters, its
// months).
func periodIndex(p models.Period) int {
	i := p.Year * 17
	switch {
	case p.Quarter > 0:
		i += p.Quarter
	case p.Month > 0:
		i += 4 + p.Month
	}
	return i
}

// periodBits is a set of period indexes: words of bits from word base on.
type periodBits struct {
	base  int
	words []uint64
}

func (b *periodBits) add(i int) bool {
	w := i >> 6
	switch {
	case len(b.words) == 0:
		b.base = w
	case w < b.base:
		b.words = append(make([]uint64, b.base-w), b.words...)
		b.base = w
	}
	for w-b.base >= len(b.words) {
		b.words = append(b.words, 0)
	}
	bit := uint64(1) << (i & 63)
	had := b.words[w-b.base]&bit != 0
	b.words[w-b.base] |= bit
	return had
}
