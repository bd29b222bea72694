package transform

import "testing"

func TestPlaceByName(t *testing.T) {
	cases := []struct {
		body, city                           string
		level                                RegionLevel
		province, cityName, county, township string
		kind, organ                          string
	}{
		{"平顶山市城乡一体化示范区", "平顶山市", RegionCounty, "", "平顶山市", "城乡一体化示范区", "", KindZone, ""},
		{"淮安市洪泽区人民政府", "淮安市", RegionCounty, "", "淮安市", "洪泽区", "", KindGovernment, ""},
		{"洪泽区人民政府", "淮安市", RegionCounty, "", "淮安市", "洪泽区", "", KindGovernment, ""},
		{"洪泽区人民政府", "", RegionNone, "", "", "", "", KindGovernment, "洪泽区人民政府"},
		{"平顶山市", "平顶山市", RegionCity, "", "平顶山市", "", "", KindGovernment, ""},
		{"平顶山市人民政府办公室", "平顶山市", RegionCity, "", "平顶山市", "", "", KindOffice, "人民政府办公室"},
		{"平顶山市市场监督管理局", "平顶山市", RegionCity, "", "平顶山市", "", "", KindDepartment, "市场监督管理局"},
		{"平顶山市住房和城乡建设局", "平顶山市", RegionCity, "", "平顶山市", "", "", KindDepartment, "住房和城乡建设局"},
		{"上海市黄浦区人民政府打浦桥街道", "上海市", RegionTownship, "上海市", "上海市", "黄浦区", "打浦桥街道", KindTownship, ""},
		{"沭阳县城关镇人民政府", "宿迁市", RegionTownship, "", "宿迁市", "沭阳县", "城关镇", KindTownship, ""},
		{"淮安市洪泽区教育局", "淮安市", RegionCounty, "", "淮安市", "洪泽区", "", KindDepartment, "教育局"},
		{"平顶山市舞钢市人民政府", "平顶山市", RegionCounty, "", "平顶山市", "舞钢市", "", KindGovernment, ""},
		{"河南省平顶山市卫东区人民政府", "平顶山市", RegionCounty, "河南省", "平顶山市", "卫东区", "", KindGovernment, ""},
		{"江苏省人民政府", "", RegionProvince, "江苏省", "", "", "", KindGovernment, ""},
		{"江苏省教育厅", "", RegionProvince, "江苏省", "", "", "", KindDepartment, "教育厅"},
		{"", "A市", RegionCity, "", "A市", "", "", "", ""},
		{"某某局", "", RegionNone, "", "", "", "", KindDepartment, "某某局"},
		{"", "", RegionNone, "", "", "", "", "", ""},
	}
	for _, tc := range cases {
		p := placeByName(normLabel(tc.body), tc.city)
		got := [...]string{p.Level.String(), p.Province.Name, p.City.Name, p.County.Name, p.Township.Name, p.Kind, p.Organ}
		want := [...]string{tc.level.String(), tc.province, tc.cityName, tc.county, tc.township, tc.kind, tc.organ}
		if got != want {
			t.Errorf("placeByName(%q, %q) = %q, want %q", tc.body, tc.city, got, want)
		}
		if placed := p.Status != PlaceUnknown; placed != (tc.level != RegionNone) {
			t.Errorf("placeByName(%q, %q): status %s at level %s", tc.body, tc.city, p.Status, p.Level)
		}
	}
}
