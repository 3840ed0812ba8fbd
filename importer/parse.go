package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
)

// ParseOptions change how files are read.
type ParseOptions struct {
	Format    string // force a format; empty: detect from the content
	Indicator string // the indicator of files that name none (GSO tables of one figure); empty: from the file
	MaxRows   int    // the most rows a file or sheet may have (uploads); 0: no limit (the command line)
	// MaxUnzipped is the most a spreadsheet may weigh once unzipped, and
	// its parts' XML is checked for hostile nesting (uploads: see
	// importer.MaxUnzipped); 0: no limit (the command line, where an
	// export of a million rows unzips to most of a gigabyte).
	MaxUnzipped int64
	// SDMX dimensions holding the unit (default REF_AREA) and the
	// indicator (default the first of INDICATOR, SERIES, MEASURE present).
	UnitDimension, IndicatorDimension string
	// Progress, when set, is told now and then how many rows were read and
	// which share of the files' bytes (-1 while a spreadsheet is read: its
	// share is not known).
	Progress func(rows int, share float64)
}

var bom = []byte("\xef\xbb\xbf")

// Parse reads every file into one Batch in memory. Open SDG metadata files
// (meta_<id>.json) are read together with the data file of the same id.
// Parse never fails: what is wrong is listed in Batch.Problems. Imports
// stream instead (PreviewFiles); Parse is for small files and tests.
func Parse(files []File, opt ParseOptions) *Batch { return read(files, opt, nil) }

// progressEvery is how many observations pass between two progress reports.
const progressEvery = 4096

// read reads every file into one batch; observations go to each as they
// are read (nil: kept in the batch).
func read(files []File, opt ParseOptions, each func(*Batch, ObsRec)) *Batch {
	b := &Batch{each: each}
	var total, done, current int64
	for _, f := range files {
		total += f.size()
	}
	if each != nil && opt.Progress != nil {
		n := 0
		b.each = func(b *Batch, o ObsRec) {
			if n++; n%progressEvery == 0 {
				share := float64(done+current) / float64(max(total, 1))
				if current < 0 {
					share = -1 // a spreadsheet, held whole: how much of it is read is not known
				}
				opt.Progress(b.Rows, share)
			}
			each(b, o)
		}
	}
	meta := map[string][]byte{}
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok {
			if data, err := f.whole(); err == nil && looksLikeJSONObject(data) {
				meta[id] = data
			}
		}
	}
	used := map[string]bool{}
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok && meta[id] != nil {
			continue
		}
		current = 0
		format := readFile(b, f, opt, meta, used, &current)
		done += f.size()
		b.addFile(f.Name, format)
	}
	// Metadata without its data file still gives targets.
	for _, f := range files {
		if id, ok := openSDGMetaID(f.Name); ok && meta[id] != nil && !used[id] {
			b.other, b.implicitFrom = true, len(b.Indicators)
			parseOpenSDG(b, f.Name, nil, meta[id], opt)
			b.markImplicit()
			b.other = false
			b.addFile(f.Name, FormatOpenSDG)
		}
	}
	if opt.Progress != nil {
		opt.Progress(b.Rows, 1)
	}
	return b
}

// addFile names a file read and its format in the batch.
func (b *Batch) addFile(name, format string) {
	b.Files = append(b.Files, name)
	switch b.Format {
	case "":
		b.Format = format
	case format:
	default:
		b.Format = "mixed"
	}
}

// readFile reads one file into b and returns its format; *read counts the
// bytes read.
func readFile(b *Batch, f File, opt ParseOptions, meta map[string][]byte, used map[string]bool, read *int64) string {
	closer, br, head, err := openText(f, read)
	if err != nil {
		b.problem(Pos{File: f.Name}, "import.unreadable", cleanErr(err))
		return opt.Format
	}
	defer closer.Close()
	format := opt.Format
	if format == "" {
		format = Detect(f.Name, head)
	}
	zipped := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	if zipped && format == FormatOwn {
		data, err := io.ReadAll(br)
		if err != nil {
			b.problem(Pos{File: f.Name}, "import.unreadable", cleanErr(err))
			return format
		}
		*read = -1 // read whole: the share of its rows read is not known
		parseOwnXLSX(b, f.Name, data, opt)
		return format
	}
	if !zipped && f.Data != nil && tooManyLines(f.Data, opt.MaxRows) {
		b.problem(Pos{File: f.Name}, "import.too_many_rows", opt.MaxRows)
		return format
	}
	if bytes.HasPrefix(head, bom) {
		_, _ = br.Discard(len(bom))
	}
	tr := newTextReader(br)
	text := bufio.NewReaderSize(tr, 1<<16)
	b.other, b.implicitFrom = format != FormatOwn, len(b.Indicators)
	defer func() { b.markImplicit(); b.other = false }()
	// JSON is read whole.
	whole := func() ([]byte, bool) {
		data, err := io.ReadAll(text)
		if err != nil && !errors.Is(err, errNotUTF8) {
			b.problem(Pos{File: f.Name}, "import.unreadable", cleanErr(err))
			return nil, false
		}
		return data, tr.bad == 0
	}
	switch format {
	case FormatOpenSDG:
		id := openSDGDataID(f.Name)
		used[id] = true
		parseOpenSDG(b, f.Name, text, meta[id], opt)
	case FormatGSO:
		parseGSO(b, f.Name, text, opt)
	case FormatWorldBank:
		if data, ok := whole(); ok {
			parseWorldBank(b, f.Name, data, opt)
		}
	case FormatSDMX:
		parseSDMX(b, f.Name, text, opt)
	case FormatSDMXJSON:
		if data, ok := whole(); ok {
			parseSDMXJSON(b, f.Name, data, opt)
		}
	case FormatOwn:
		parseOwnCSV(b, f.Name, text)
	default:
		b.problem(Pos{File: f.Name}, "import.unknown_format", format)
	}
	if tr.bad > 0 {
		b.problem(Pos{File: f.Name, Row: tr.bad}, "import.encoding")
	}
	return format
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
	case bytes.HasPrefix(d, []byte("{")) && looksLikeSDMXJSON(head):
		return FormatSDMXJSON
	case bytes.HasPrefix(d, []byte("{")):
		return FormatOpenSDG
	}
	lines := strings.SplitN(string(head), "\n", 4)
	first := strings.TrimSpace(lines[0])
	upper := strings.ToUpper(first)
	cols := map[string]bool{}
	for _, c := range strings.Split(first, ",") {
		cols[strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`))] = true
	}
	switch {
	case strings.Contains(upper, "TIME_PERIOD") && strings.Contains(upper, "OBS_VALUE"):
		return FormatSDMX
	case cols["record"] || cols["breakdown"]:
		// Ours, whose breakdown cells hold semicolons (SEX=F;AGE=Y15T24).
		return FormatOwn
	case len(lines) > 2 && !strings.Contains(first, ";") && strings.Count(lines[2], ";") > 0:
		return FormatGSO
	}
	if cols["year"] && cols["value"] && !cols["indicator"] {
		return FormatOpenSDG
	}
	return FormatOwn
}

func looksLikeJSONObject(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(data, bom)), []byte("{"))
}
