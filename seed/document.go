package seed

// The figures below come from the source document
// (shared/seed-documents/000_92f0eb13c64fcbd7.txt, a Vietnamese news article
// of 2020) and nothing else; DOMAIN.md lists each one.

import "tiendo/models"

// SourceHCMC cites the article's first part, on Ho Chi Minh City.
const SourceHCMC = "Bài “TP Hồ Chí Minh chú trọng xây dựng chính quyền số” (tài liệu nguồn 000_92f0eb13c64fcbd7)"

// SourceTraVinh cites the article's part on Trà Vinh province.
const SourceTraVinh = "Bài “TP Hồ Chí Minh chú trọng xây dựng chính quyền số”, phần về tỉnh Trà Vinh (tài liệu nguồn 000_92f0eb13c64fcbd7)"

// Unit codes follow ISO 3166-2:VN; the country is its ISO 3166-1 code.
const (
	UnitVN      = "VN"
	UnitHCMC    = "VN-SG"
	UnitTraVinh = "VN-51"
)

// The country above the provinces and cities: national tables (GSO's
// "WHOLE COUNTRY", the World Bank's "Viet Nam") land on it. Its English
// name is the one GSO and the World Bank write.
const (
	NameVN   = "Việt Nam"
	NameVNEN = "Viet Nam"
)

type pillarRow struct{ code, vi, en string }

var pillars = []pillarRow{
	{"digital-government", "Chính quyền số", "Digital government"},
	{"digital-economy", "Kinh tế số", "Digital economy"},
	{"digital-infrastructure", "Hạ tầng số", "Digital infrastructure"},
	{"poverty-reduction", "Giảm nghèo bền vững", "Sustainable poverty reduction"},
}

type unitRow struct{ code, vi, en, level string }

var units = []unitRow{
	{UnitHCMC, "TP Hồ Chí Minh", "Ho Chi Minh City", "city"},
	{UnitTraVinh, "Tỉnh Trà Vinh", "Trà Vinh Province", "province"},
}

type indicatorRow struct {
	code, pillar, vi, en, measure, direction, frequency string
	limit                                               float64 // 0: none
	decimals                                            int
}

var indicators = []indicatorRow{
	{"dvc-l34-online", "digital-government", "Dịch vụ công trực tuyến mức độ 3, 4", "Online public services at level 3 and 4", "%", "higher", "year", 100, 1},
	{"dvc-national-portal", "digital-government", "DVC trực tuyến mức 3, 4 phổ biến tích hợp lên Cổng Dịch vụ công quốc gia", "Popular level-3/4 online services integrated into the National Public Service Portal", "%", "higher", "year", 100, 1},
	{"systems-connected", "digital-government", "Hệ thống thông tin của sở, ngành, quận, huyện kết nối, liên thông qua nền tảng tích hợp, chia sẻ dữ liệu", "Information systems of departments and districts connected through the data integration and sharing platform", "%", "higher", "year", 100, 1},
	{"dvc-l4-multidevice", "digital-government", "DVC trực tuyến mức độ 4 cung cấp trên nhiều phương tiện truy cập", "Level-4 online services available on multiple access devices", "%", "higher", "year", 100, 1},
	{"dossiers-city-district", "digital-government", "Hồ sơ công việc cấp thành phố, quận, huyện xử lý trên môi trường mạng", "Work dossiers processed online, city and district level", "%", "higher", "year", 100, 1},
	{"dossiers-ward", "digital-government", "Hồ sơ công việc cấp phường, xã xử lý trên môi trường mạng", "Work dossiers processed online, ward and commune level", "%", "higher", "year", 100, 1},
	{"procedures-cut", "digital-government", "Cắt giảm thủ tục hành chính", "Reduction of administrative procedures", "%", "higher", "year", 100, 1},
	{"digital-economy-grdp", "digital-economy", "Kinh tế số chiếm tỷ trọng GRDP", "Digital economy share of GRDP", "%", "higher", "year", 100, 1},
	{"labour-productivity-growth", "digital-economy", "Năng suất lao động tăng hằng năm", "Annual labour productivity growth", "%/năm", "higher", "year", 0, 1},
	{"fibre-coverage", "digital-infrastructure", "Phổ cập internet băng thông rộng cáp quang", "Fibre broadband coverage", "%", "higher", "year", 100, 1},
	{"5g-coverage", "digital-infrastructure", "Phổ cập dịch vụ mạng di động 5G", "5G mobile coverage", "%", "higher", "year", 100, 1},

	{"poor-households-rate", "poverty-reduction", "Tỷ lệ hộ nghèo", "Poor household rate", "%", "lower", "year", 100, 1},
	{"poor-households", "poverty-reduction", "Số hộ nghèo", "Poor households", "hộ", "lower", "year", 0, 0},
	{"khmer-poor-households-rate", "poverty-reduction", "Tỷ lệ hộ nghèo đồng bào dân tộc Khmer", "Poor household rate among Khmer households", "%", "lower", "year", 100, 1},
	{"khmer-poor-households", "poverty-reduction", "Số hộ nghèo đồng bào dân tộc Khmer", "Poor Khmer households", "hộ", "lower", "year", 0, 0},
	{"poor-rate-reduction", "poverty-reduction", "Mức giảm tỷ lệ hộ nghèo trong năm", "Reduction of the poor household rate in the year", "điểm %", "higher", "year", 0, 1},
	{"khmer-poor-rate-reduction", "poverty-reduction", "Mức giảm tỷ lệ hộ nghèo đồng bào Khmer trong năm", "Reduction of the Khmer poor household rate in the year", "điểm %", "higher", "year", 0, 1},
	{"near-poor-rate-reduction", "poverty-reduction", "Mức giảm tỷ lệ hộ cận nghèo trong năm", "Reduction of the near-poor household rate in the year", "điểm %", "higher", "year", 0, 1},
	{"difficult-areas-out-of-poverty", "poverty-reduction", "Xã, ấp đặc biệt khó khăn vùng đồng bào dân tộc thiểu số thoát nghèo", "Extremely difficult communes and hamlets in ethnic-minority areas that escape poverty", "%", "higher", "year", 100, 0},
	{"poverty-funds", "poverty-reduction", "Vốn huy động thực hiện công tác giảm nghèo", "Funds mobilised for poverty reduction", "tỷ đồng", "higher", "year", 0, 0},
	{"poverty-funds-central", "poverty-reduction", "Ngân sách trung ương cho Chương trình MTQG giảm nghèo bền vững", "Central budget for the national target programme on sustainable poverty reduction", "tỷ đồng", "higher", "year", 0, 0},
	{"poverty-funds-policies", "poverty-reduction", "Vốn thực hiện các chính sách giảm nghèo", "Funds for poverty-reduction policies", "tỷ đồng", "higher", "year", 0, 0},
	{"vbsp-loans", "poverty-reduction", "Ngân hàng Chính sách xã hội giải ngân cho vay", "Social Policy Bank loans disbursed", "tỷ đồng", "higher", "month", 0, 0},
	{"vbsp-loan-households", "poverty-reduction", "Hộ nghèo, cận nghèo, mới thoát nghèo được vay vốn", "Poor, near-poor and newly non-poor households given loans", "hộ", "higher", "month", 0, 0},
	{"health-insurance-cards", "poverty-reduction", "Thẻ bảo hiểm y tế cấp cho hộ nghèo, cận nghèo và đối tượng chính sách", "Health-insurance cards issued to poor, near-poor and other eligible people", "thẻ", "higher", "year", 0, 0},
	{"health-insurance-value", "poverty-reduction", "Giá trị thẻ bảo hiểm y tế đã cấp", "Value of the health-insurance cards issued", "tỷ đồng", "higher", "year", 0, 0},
	{GSOPovertyIndicator, "poverty-reduction", "Tỷ lệ nghèo (Tổng cục Thống kê)", "Poverty rate (General Statistics Office)", "%", "lower", "year", 100, 1},
}

// rollups says how a parent's value is computed from its children's when
// it has none: counts and amounts add up, rates are averaged (labelled as
// such on the pages). Indicators not listed are never computed.
var rollups = map[string]models.RollupRule{
	"dvc-l34-online": models.RollupMean, "dvc-national-portal": models.RollupMean,
	"systems-connected": models.RollupMean, "dvc-l4-multidevice": models.RollupMean,
	"dossiers-city-district": models.RollupMean, "dossiers-ward": models.RollupMean,
	"procedures-cut": models.RollupMean, "fibre-coverage": models.RollupMean, "5g-coverage": models.RollupMean,
	"poor-households": models.RollupSum, "khmer-poor-households": models.RollupSum,
	"poverty-funds": models.RollupSum, "poverty-funds-central": models.RollupSum,
	"poverty-funds-policies": models.RollupSum, "vbsp-loans": models.RollupSum,
	"vbsp-loan-households": models.RollupSum, "health-insurance-cards": models.RollupSum,
	"health-insurance-value": models.RollupSum,
}

type targetRow struct {
	indicator, unit string
	year            int
	comparator      string
	value, max      float64 // max only for between
	yearly          bool
	source          string
}

var targets = []targetRow{
	{"dvc-l34-online", UnitHCMC, 2025, "at_least", 100, 0, false, SourceHCMC},
	{"dvc-national-portal", UnitHCMC, 2025, "at_least", 100, 0, false, SourceHCMC},
	{"systems-connected", UnitHCMC, 2025, "at_least", 60, 0, false, SourceHCMC},
	{"dvc-l4-multidevice", UnitHCMC, 2030, "at_least", 100, 0, false, SourceHCMC},
	{"dossiers-city-district", UnitHCMC, 2030, "at_least", 100, 0, false, SourceHCMC},
	{"dossiers-ward", UnitHCMC, 2030, "at_least", 95, 0, false, SourceHCMC},
	{"procedures-cut", UnitHCMC, 2030, "at_least", 40, 0, false, SourceHCMC},
	{"digital-economy-grdp", UnitHCMC, 2030, "at_least", 40, 0, false, SourceHCMC},
	{"labour-productivity-growth", UnitHCMC, 2030, "at_least", 9, 0, true, SourceHCMC},
	{"fibre-coverage", UnitHCMC, 2030, "at_least", 100, 0, false, SourceHCMC},
	{"5g-coverage", UnitHCMC, 2030, "at_least", 100, 0, false, SourceHCMC},

	{"poor-rate-reduction", UnitTraVinh, 2020, "at_least", 1.5, 0, false, SourceTraVinh},
	{"khmer-poor-rate-reduction", UnitTraVinh, 2020, "between", 2, 3, false, SourceTraVinh},
	{"near-poor-rate-reduction", UnitTraVinh, 2020, "at_least", 2, 0, false, SourceTraVinh},
	{"difficult-areas-out-of-poverty", UnitTraVinh, 2020, "between", 20, 30, false, SourceTraVinh},
}

type observationRow struct {
	indicator, unit, period string
	value                   float64
	note                    string
}

// The article speaks of 2020 ("năm nay"); the loans are "to end of May 2020".
var observations = []observationRow{
	{"poor-households", UnitTraVinh, "2020", 9214, "Số hộ nghèo hiện còn (2020)"},
	{"poor-households-rate", UnitTraVinh, "2020", 3.2, "3,2% tổng số hộ toàn tỉnh"},
	{"khmer-poor-households", UnitTraVinh, "2020", 5394, ""},
	{"khmer-poor-households-rate", UnitTraVinh, "2020", 6, "6% tổng số hộ đồng bào dân tộc Khmer"},
	{"poverty-funds", UnitTraVinh, "2020", 3652, "hơn (over) 3.652 tỷ đồng"},
	{"poverty-funds-central", UnitTraVinh, "2020", 105, "hơn (over) 105 tỷ đồng"},
	{"poverty-funds-policies", UnitTraVinh, "2020", 3535, "hơn (over) 3.535 tỷ đồng"},
	{"vbsp-loans", UnitTraVinh, "2020-05", 179, "gần (almost) 179 tỷ đồng, đến hết tháng 5-2020"},
	{"vbsp-loan-households", UnitTraVinh, "2020-05", 7500, "hơn (over) 7.500 hộ, đến hết tháng 5-2020"},
	{"health-insurance-cards", UnitTraVinh, "2020", 435924, ""},
	{"health-insurance-value", UnitTraVinh, "2020", 380, "gần (almost) 380 tỷ đồng"},
}
