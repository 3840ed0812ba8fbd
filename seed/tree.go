package seed

import "time"

// The unit tree below the source document's two units. These are
// administrative facts, not figures: HCMC's 22 district-level units as they
// were when the targets were set (after Thủ Đức City was formed on
// 1 January 2021), coded by their GSO administrative codes, and the 2025
// reform that merged provinces and removed the district level.

// districtRow is a district-level unit of HCMC; gso is its GSO code.
type districtRow struct{ gso, vi, en string }

var hcmcDistricts = []districtRow{
	{"760", "Quận 1", "District 1"},
	{"770", "Quận 3", "District 3"},
	{"773", "Quận 4", "District 4"},
	{"774", "Quận 5", "District 5"},
	{"775", "Quận 6", "District 6"},
	{"778", "Quận 7", "District 7"},
	{"776", "Quận 8", "District 8"},
	{"771", "Quận 10", "District 10"},
	{"772", "Quận 11", "District 11"},
	{"761", "Quận 12", "District 12"},
	{"777", "Quận Bình Tân", "Bình Tân District"},
	{"765", "Quận Bình Thạnh", "Bình Thạnh District"},
	{"764", "Quận Gò Vấp", "Gò Vấp District"},
	{"768", "Quận Phú Nhuận", "Phú Nhuận District"},
	{"766", "Quận Tân Bình", "Tân Bình District"},
	{"767", "Quận Tân Phú", "Tân Phú District"},
	{"769", "Thành phố Thủ Đức", "Thủ Đức City"},
	{"785", "Huyện Bình Chánh", "Bình Chánh District"},
	{"787", "Huyện Cần Giờ", "Cần Giờ District"},
	{"783", "Huyện Củ Chi", "Củ Chi District"},
	{"784", "Huyện Hóc Môn", "Hóc Môn District"},
	{"786", "Huyện Nhà Bè", "Nhà Bè District"},
}

// DistrictCode is the unit code of an HCMC district: VN-SG-<GSO code>.
func DistrictCode(gso string) string { return UnitHCMC + "-" + gso }

// Other provinces of the 2025 mergers (ISO 3166-2:VN codes).
const (
	UnitVinhLong     = "VN-49"
	UnitBenTre       = "VN-50"
	UnitBinhDuong    = "VN-57"
	UnitBaRiaVungTau = "VN-43"
)

// ProvinceMergerDate is when Resolution 202/2025/QH15 on the arrangement of
// provincial-level units took effect (on its adoption, 12 June 2025).
var ProvinceMergerDate = time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC)

// DistrictLevelEnd is when the two-level local government began and the
// district level ceased to exist (1 July 2025).
var DistrictLevelEnd = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// BasisProvinceMerger and BasisDistrictLevel name the decisions that ended
// units, in Vietnamese and (…EN) English.
const (
	BasisProvinceMerger   = "Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh, hiệu lực 12/06/2025"
	BasisProvinceMergerEN = "National Assembly Resolution 202/2025/QH15 on the arrangement of provincial-level units, in force 12 June 2025"
	BasisDistrictLevel    = "Chính quyền địa phương hai cấp: cấp huyện chấm dứt hoạt động từ 01/07/2025"
	BasisDistrictLevelEN  = "Two-level local government: the district level ended on 1 July 2025"
)

// bilingualBases are the bases as earlier versions stored them, both
// languages in one text; tree() splits them.
var bilingualBases = map[string][2]string{
	BasisProvinceMerger + " (National Assembly Resolution 202/2025/QH15 on the arrangement of provincial-level units)": {BasisProvinceMerger, BasisProvinceMergerEN},
	BasisDistrictLevel + " (two-level local government: the district level ended on 1 July 2025)":                      {BasisDistrictLevel, BasisDistrictLevelEN},
}

// mergerProvinces are the provinces of the two mergers that concern the
// source document. The unit whose name and ISO code continue (HCMC,
// Vĩnh Long) stays one unit; the others end and name it as successor.
var mergerProvinces = []unitRow{
	{UnitBinhDuong, "Tỉnh Bình Dương", "Bình Dương Province", "province"},
	{UnitBaRiaVungTau, "Tỉnh Bà Rịa – Vũng Tàu", "Bà Rịa – Vũng Tàu Province", "province"},
	{UnitVinhLong, "Tỉnh Vĩnh Long", "Vĩnh Long Province", "province"},
	{UnitBenTre, "Tỉnh Bến Tre", "Bến Tre Province", "province"},
}

// successions maps each province that ended in 2025 to its successor.
var successions = map[string]string{
	UnitBinhDuong:    UnitHCMC,
	UnitBaRiaVungTau: UnitHCMC,
	UnitTraVinh:      UnitVinhLong,
	UnitBenTre:       UnitVinhLong,
}
