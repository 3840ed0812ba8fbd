package seed

import (
	"errors"

	"gorm.io/gorm"

	"tiendo/models"
)

// What the source document says of each seeded indicator, in its own words
// (quoted) and in English; nothing more. It names no formula and no
// reporting agency for Ho Chi Minh City's targets, so those stay empty
// ("not given" on the page). For Trà Vinh it says what a rate is a share
// of, and which bank disbursed the loans.

const (
	sourceHCMCEN    = "Article “TP Hồ Chí Minh chú trọng xây dựng chính quyền số” (Ho Chi Minh City focuses on building digital government), source document 000_92f0eb13c64fcbd7"
	sourceTraVinhEN = "Article “TP Hồ Chí Minh chú trọng xây dựng chính quyền số”, its part on Trà Vinh province, source document 000_92f0eb13c64fcbd7"
	sourceGSOEN     = "General Statistics Office (GSO), poverty rate by province 2006–2016 (export gso_21092018)"
	notesHCMCVI     = "Tài liệu nguồn chỉ nêu mục tiêu, không nêu số liệu thực hiện."
	notesHCMCEN     = "The source document gives the target only, no actual values."
)

// quote is a definition in the source document's words and in English.
type quote struct{ vi, en string }

var hcmcDefinitions = map[string]quote{
	"dvc-l34-online": {"Theo tài liệu nguồn: “dịch vụ công trực tuyến mức độ 3, mức độ 4 phổ biến, liên quan nhiều người dân, doanh nghiệp”.",
		"In the source document: “level-3 and level-4 online public services that are popular and concern many citizens and businesses”."},
	"dvc-national-portal": {"Theo tài liệu nguồn: “dịch vụ công trực tuyến mức độ 3, mức độ 4 phổ biến, liên quan nhiều người dân, doanh nghiệp được tích hợp lên Cổng Dịch vụ công quốc gia”.",
		"In the source document: “level-3 and level-4 online public services that are popular and concern many citizens and businesses, integrated into the National Public Service Portal”."},
	"systems-connected": {"Theo tài liệu nguồn: “hệ thống thông tin của các sở, ngành, quận, huyện liên quan người dân, doanh nghiệp đã đưa vào vận hành, khai thác sẽ được kết nối, liên thông qua nền tảng tích hợp, chia sẻ dữ liệu”.",
		"In the source document: “information systems of the departments, sectors and districts that concern citizens and businesses and are in operation, connected through the data integration and sharing platform”."},
	"dvc-l4-multidevice": {"Theo tài liệu nguồn: “dịch vụ công trực tuyến mức độ 4 được cung cấp trên nhiều phương tiện truy cập khác nhau”.",
		"In the source document: “level-4 online public services provided on many different access devices”."},
	"dossiers-city-district": {"Theo tài liệu nguồn: “hồ sơ công việc ở cấp thành phố, quận, huyện … được xử lý trên môi trường mạng”.",
		"In the source document: “work dossiers at city and district level … processed online”."},
	"dossiers-ward": {"Theo tài liệu nguồn: “hồ sơ công việc ở cấp phường, xã được xử lý trên môi trường mạng”.",
		"In the source document: “work dossiers at ward and commune level processed online”."},
	"procedures-cut": {"Theo tài liệu nguồn: “giảm 40% thủ tục hành chính”.",
		"In the source document: “cut administrative procedures by 40%”."},
	"digital-economy-grdp": {"Theo tài liệu nguồn: “kinh tế số chiếm 40% GRDP”.",
		"In the source document: “the digital economy makes up 40% of GRDP”."},
	"labour-productivity-growth": {"Theo tài liệu nguồn: “năng suất lao động hằng năm tăng tối thiểu 9%”.",
		"In the source document: “labour productivity grows by at least 9% every year”."},
	"fibre-coverage": {"Theo tài liệu nguồn: “phổ cập dịch vụ mạng in-tơ-nét băng thông rộng cáp quang toàn thành phố”.",
		"In the source document: “universal fibre broadband internet service across the whole city”."},
	"5g-coverage": {"Theo tài liệu nguồn: “phổ cập dịch vụ mạng di động 5G”.",
		"In the source document: “universal 5G mobile network service”."},
}

// traVinhFormulas are the shares the document gives the rates of.
var traVinhFormulas = map[string]quote{
	"poor-households-rate": {"Số hộ nghèo / tổng số hộ trong toàn tỉnh × 100 (“9.214 hộ nghèo, chiếm 3,2% tổng số hộ trong toàn tỉnh”).",
		"Poor households / all households of the province × 100 (“9,214 poor households, 3.2% of all households in the province”)."},
	"khmer-poor-households-rate": {"Số hộ nghèo đồng bào dân tộc Khmer / tổng số hộ đồng bào dân tộc Khmer × 100 (“5.394 hộ, chiếm 6% trong tổng số hộ đồng bào dân tộc Khmer”).",
		"Poor Khmer households / all Khmer households × 100 (“5,394 households, 6% of all Khmer households”)."},
}

// traVinhAgencies are the bodies the document names as giving a figure.
var traVinhAgencies = map[string]quote{
	"vbsp-loans":           {"Chi nhánh Ngân hàng Chính sách xã hội tỉnh Trà Vinh", "Trà Vinh branch of the Vietnam Bank for Social Policies"},
	"vbsp-loan-households": {"Chi nhánh Ngân hàng Chính sách xã hội tỉnh Trà Vinh", "Trà Vinh branch of the Vietnam Bank for Social Policies"},
}

// seededTexts are the texts of a seeded indicator.
func seededTexts(code string) models.IndicatorTexts {
	var t models.IndicatorTexts
	switch {
	case code == GSOPovertyIndicator:
		t.AgencyVI, t.AgencyEN = "Tổng cục Thống kê", "General Statistics Office (GSO)"
		t.SourceVI, t.SourceEN = SourceGSO, sourceGSOEN
	case hcmcDefinitions[code].vi != "":
		d := hcmcDefinitions[code]
		t.DefinitionVI, t.DefinitionEN = d.vi, d.en
		t.SourceVI, t.SourceEN = SourceHCMC, sourceHCMCEN
		t.NotesVI, t.NotesEN = notesHCMCVI, notesHCMCEN
	default:
		t.SourceVI, t.SourceEN = SourceTraVinh, sourceTraVinhEN
		f, a := traVinhFormulas[code], traVinhAgencies[code]
		t.FormulaVI, t.FormulaEN = f.vi, f.en
		t.AgencyVI, t.AgencyEN = a.vi, a.en
	}
	return t
}

// loadTexts gives each seeded indicator the names of its measure and what
// the source document says of it, filling only fields left empty: a
// planner's text is never overwritten.
func loadTexts(tx *gorm.DB) error {
	for _, r := range indicators {
		var ind models.Indicator
		if err := tx.Where("code = ?", r.code).First(&ind).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				continue
			}
			return err
		}
		want := seededTexts(r.code)
		got := ind.IndicatorTexts
		changed := map[string]any{}
		wanted := want.Fields()
		for i, f := range got.Fields() {
			if *f.Value == "" && *wanted[i].Value != "" {
				changed[f.Name] = *wanted[i].Value
			}
		}
		if len(changed) > 0 {
			if err := tx.Model(&models.Indicator{}).Where("id = ?", ind.ID).Updates(changed).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
