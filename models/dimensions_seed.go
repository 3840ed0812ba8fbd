package models

import (
	"fmt"
	"strings"
)

// The dimensions a value may be broken down by, seeded by migration 90.
// SEX, AGE, URBANISATION and INCOME_WEALTH_QUANTILE take the codes of the
// SDG/SDMX global code lists (CL_SEX, CL_AGE, CL_URBANISATION,
// CL_QUANTILE), so published files match without a mapping; "_T" is their
// total and is never stored. ETHNICITY lists the 54 ethnic groups of
// Vietnam in the order of the General Statistics Office's list (Decision
// 121-TCTK/PPCĐ, 1979), with codes spelled from the names without
// diacritics, since no international code list covers them. SECTOR takes the
// letters of the sections of VSIC 2018 (Decision 27/2018/QĐ-TTg), which
// are those of ISIC Rev. 4.
var seedDimensions = []struct {
	code, vi, en string
	values       [][3]string // code, vi, en
}{
	{"SEX", "Giới tính", "Sex", [][3]string{{"F", "Nữ", "Female"}, {"M", "Nam", "Male"}}},
	{"AGE", "Nhóm tuổi", "Age group", [][3]string{
		{"Y0T4", "0–4 tuổi", "0–4 years"}, {"Y0T14", "0–14 tuổi", "0–14 years"}, {"Y5T14", "5–14 tuổi", "5–14 years"},
		{"Y15T24", "15–24 tuổi", "15–24 years"}, {"Y15T49", "15–49 tuổi", "15–49 years"}, {"Y15T64", "15–64 tuổi", "15–64 years"},
		{"Y25T54", "25–54 tuổi", "25–54 years"}, {"Y25T64", "25–64 tuổi", "25–64 years"}, {"Y55T64", "55–64 tuổi", "55–64 years"},
		{"Y_GE15", "Từ 15 tuổi trở lên", "15 years and over"}, {"Y_GE60", "Từ 60 tuổi trở lên", "60 years and over"},
		{"Y_GE65", "Từ 65 tuổi trở lên", "65 years and over"}}},
	{"URBANISATION", "Thành thị/nông thôn", "Urban/rural", [][3]string{{"U", "Thành thị", "Urban"}, {"R", "Nông thôn", "Rural"}}},
	{"INCOME_WEALTH_QUANTILE", "Nhóm thu nhập", "Income quintile", [][3]string{
		{"Q1", "Nhóm nghèo nhất (Q1)", "Poorest quintile (Q1)"}, {"Q2", "Nhóm cận nghèo (Q2)", "Second quintile (Q2)"},
		{"Q3", "Nhóm trung bình (Q3)", "Middle quintile (Q3)"}, {"Q4", "Nhóm khá (Q4)", "Fourth quintile (Q4)"},
		{"Q5", "Nhóm giàu nhất (Q5)", "Richest quintile (Q5)"}}},
	{"ETHNICITY", "Dân tộc", "Ethnic group", ethnicGroups()},
	{"SECTOR", "Ngành kinh tế", "Economic sector", [][3]string{
		{"A", "Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"},
		{"B", "Khai khoáng", "Mining and quarrying"},
		{"C", "Công nghiệp chế biến, chế tạo", "Manufacturing"},
		{"D", "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí", "Electricity, gas, steam and air conditioning supply"},
		{"E", "Cung cấp nước, hoạt động quản lý và xử lý rác thải, nước thải", "Water supply, sewerage, waste management and remediation"},
		{"F", "Xây dựng", "Construction"},
		{"G", "Bán buôn và bán lẻ, sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác", "Wholesale and retail trade, repair of motor vehicles and motorcycles"},
		{"H", "Vận tải kho bãi", "Transportation and storage"},
		{"I", "Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"},
		{"J", "Thông tin và truyền thông", "Information and communication"},
		{"K", "Hoạt động tài chính, ngân hàng và bảo hiểm", "Financial and insurance activities"},
		{"L", "Hoạt động kinh doanh bất động sản", "Real estate activities"},
		{"M", "Hoạt động chuyên môn, khoa học và công nghệ", "Professional, scientific and technical activities"},
		{"N", "Hoạt động hành chính và dịch vụ hỗ trợ", "Administrative and support service activities"},
		{"O", "Quản lý nhà nước, an ninh quốc phòng, bảo đảm xã hội bắt buộc", "Public administration and defence, compulsory social security"},
		{"P", "Giáo dục và đào tạo", "Education"},
		{"Q", "Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"},
		{"R", "Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"},
		{"S", "Hoạt động dịch vụ khác", "Other service activities"},
		{"T", "Hoạt động làm thuê trong các hộ gia đình", "Activities of households as employers"},
		{"U", "Hoạt động của các tổ chức và cơ quan quốc tế", "Activities of extraterritorial organizations and bodies"}}},
}

// ethnicGroups are the 54 ethnic groups in the statistics office's order;
// a group's English name is its Vietnamese name.
func ethnicGroups() [][3]string {
	names := []struct{ code, name string }{
		{"KINH", "Kinh"}, {"TAY", "Tày"}, {"THAI", "Thái"}, {"HOA", "Hoa"}, {"KHMER", "Khmer"}, {"MUONG", "Mường"},
		{"NUNG", "Nùng"}, {"HMONG", "Hmông"}, {"DAO", "Dao"}, {"GIARAI", "Gia Rai"}, {"NGAI", "Ngái"}, {"EDE", "Ê Đê"},
		{"BANA", "Ba Na"}, {"XODANG", "Xơ Đăng"}, {"SANCHAY", "Sán Chay"}, {"COHO", "Cơ Ho"}, {"CHAM", "Chăm"},
		{"SANDIU", "Sán Dìu"}, {"HRE", "Hrê"}, {"MNONG", "Mnông"}, {"RAGLAI", "Raglai"}, {"XTIENG", "Xtiêng"},
		{"BRUVANKIEU", "Bru Vân Kiều"}, {"THO", "Thổ"}, {"GIAY", "Giáy"}, {"COTU", "Cơ Tu"}, {"GIETRIENG", "Giẻ Triêng"},
		{"MA", "Mạ"}, {"KHOMU", "Khơ Mú"}, {"CO", "Co"}, {"TAOI", "Tà Ôi"}, {"CHORO", "Chơ Ro"}, {"KHANG", "Kháng"},
		{"XINHMUN", "Xinh Mun"}, {"HANHI", "Hà Nhì"}, {"CHURU", "Chu Ru"}, {"LAO", "Lào"}, {"LACHI", "La Chí"},
		{"LAHA", "La Ha"}, {"PHULA", "Phù Lá"}, {"LAHU", "La Hủ"}, {"LU", "Lự"}, {"LOLO", "Lô Lô"}, {"CHUT", "Chứt"},
		{"MANG", "Mảng"}, {"PATHEN", "Pà Thẻn"}, {"COLAO", "Cờ Lao"}, {"CONG", "Cống"}, {"BOY", "Bố Y"}, {"SILA", "Si La"},
		{"PUPEO", "Pu Péo"}, {"BRAU", "Brâu"}, {"ODU", "Ơ Đu"}, {"ROMAM", "Rơ Măm"},
	}
	out := make([][3]string, len(names))
	for i, n := range names {
		out[i] = [3]string{n.code, n.name, n.name}
	}
	return out
}

// dimensionsSeedSQL inserts seedDimensions. Names hold no semicolon: the
// migrator splits statements on it.
var dimensionsSeedSQL = func() string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var b strings.Builder
	for i, d := range seedDimensions {
		fmt.Fprintf(&b, "INSERT INTO dimensions (code, name_vi, name_en, position) VALUES (%s, %s, %s, %d);\n", quote(d.code), quote(d.vi), quote(d.en), i+1)
		for j, v := range d.values {
			fmt.Fprintf(&b, "INSERT INTO dimension_values (dimension_id, code, name_vi, name_en, position) SELECT id, %s, %s, %s, %d FROM dimensions WHERE code = %s;\n",
				quote(v[0]), quote(v[1]), quote(v[2]), j+1, quote(d.code))
		}
	}
	return b.String()
}()
