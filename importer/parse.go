package importer

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// File is one file given to the importer.
type File struct {
	Name string
	Data []byte
}

// ParseOptions change how files are read.
type ParseOptions struct {
	Format    string // force a format; empty: detect from the content
	Indicator string // the indicator of files that name none (GSO tables of one figure); empty: from the file
	MaxRows   int    // the most rows a file or sheet may have (uploads); 0: no limit (the command line)
	// SDMX dimensions holding the unit (default REF_AREA) and the
	// indicator (default the first of INDICATOR, SERIES, MEASURE present).
	UnitDimension, IndicatorDimension string
}

var bom = []byte("\xef\xbb\xbf")

// Parse reads every file into one Batch. Open SDG metadata files
// (meta_<id>.json) are read together with the data file of the same id.
// Parse never fails: what is wrong is listed in Batch.Problems.
func Parse(files []File, opt ParseOptions) *Batch {
	b := &Batch{}
	meta := map[string][]byte{}
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok && looksLikeJSONObject(f.Data) {
			meta[id] = f.Data
		}
	}
	used := map[string]bool{}
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok && meta[id] != nil && looksLikeJSONObject(f.Data) {
			continue
		}
		format := opt.Format
		if format == "" {
			format = Detect(f.Name, f.Data)
		}
		var fb *Batch
		if !bytes.HasPrefix(f.Data, []byte("PK\x03\x04")) && tooManyLines(f.Data, opt.MaxRows) {
			fb = &Batch{Files: []string{f.Name}}
			fb.problem(Pos{File: f.Name}, "import.too_many_rows", opt.MaxRows)
		} else if bytes.HasPrefix(f.Data, []byte("PK\x03\x04")) && format == FormatOwn {
			fb = parseOwnXLSX(f.Name, f.Data, opt.MaxRows)
		} else if data, ok := text(f); !ok {
			fb = &Batch{Format: format, Files: []string{f.Name}}
			fb.problem(Pos{File: f.Name, Row: badEncodingRow(f.Data)}, "import.encoding")
		} else {
			switch format {
			case FormatOpenSDG:
				id := openSDGDataID(f.Name)
				used[id] = true
				fb = parseOpenSDG(f.Name, data, meta[id], opt)
			case FormatGSO:
				fb = parseGSO(f.Name, data, opt)
			case FormatWorldBank:
				fb = parseWorldBank(f.Name, data, opt)
			case FormatSDMX:
				fb = parseSDMX(f.Name, data, opt)
			case FormatSDMXJSON:
				fb = parseSDMXJSON(f.Name, data, opt)
			case FormatOwn:
				fb = parseOwnCSV(f.Name, data)
			default:
				fb = &Batch{Files: []string{f.Name}}
				fb.problem(Pos{File: f.Name}, "import.unknown_format", format)
			}
		}
		fb.Format = format
		if format != FormatOwn {
			for i := range fb.Indicators {
				fb.Indicators[i].Implicit = true
			}
		}
		b.merge(fb)
	}
	// Metadata without its data file still gives targets.
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok && meta[id] != nil && !used[id] {
			fb := parseOpenSDG(f.Name, nil, meta[id], opt)
			fb.Format = FormatOpenSDG
			for i := range fb.Indicators {
				fb.Indicators[i].Implicit = true
			}
			b.merge(fb)
		}
	}
	return b
}

// Detect names the format of a file from its content (the name only breaks
// ties for Open SDG metadata).
func Detect(name string, data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return FormatOwn
	}
	d := bytes.TrimSpace(bytes.TrimPrefix(data, bom))
	head := d[:min(len(d), 4096)]
	switch {
	case bytes.HasPrefix(d, []byte("[")) && bytes.Contains(head, []byte(`"countryiso3code"`)):
		return FormatWorldBank
	case bytes.HasPrefix(d, []byte("[")):
		return FormatWorldBank
	case bytes.HasPrefix(d, []byte("{")) && looksLikeSDMXJSON(d):
		return FormatSDMXJSON
	case bytes.HasPrefix(d, []byte("{")):
		return FormatOpenSDG
	}
	lines := strings.SplitN(string(head), "\n", 4)
	first := strings.TrimSpace(lines[0])
	upper := strings.ToUpper(first)
	switch {
	case strings.Contains(upper, "TIME_PERIOD") && strings.Contains(upper, "OBS_VALUE"):
		return FormatSDMX
	case len(lines) > 2 && !strings.Contains(first, ";") && strings.Count(lines[2], ";") > 0:
		return FormatGSO
	}
	cols := map[string]bool{}
	for _, c := range strings.Split(first, ",") {
		cols[strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`))] = true
	}
	if cols["year"] && cols["value"] && !cols["indicator"] {
		return FormatOpenSDG
	}
	return FormatOwn
}

// text returns the file as UTF-8 without a BOM; ok is false when it is not
// UTF-8 (a file saved as Windows-1258 or UTF-16 would garble Vietnamese).
func text(f File) ([]byte, bool) {
	d := bytes.TrimPrefix(f.Data, bom)
	return d, utf8.Valid(d)
}

// badEncodingRow is the line of the first byte that is not UTF-8.
func badEncodingRow(data []byte) int {
	d := bytes.TrimPrefix(data, bom)
	line := 1
	for i := 0; i < len(d); {
		r, size := utf8.DecodeRune(d[i:])
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

func looksLikeJSONObject(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(data, bom)), []byte("{"))
}
