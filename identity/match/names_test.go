package match

import "testing"

func TestPetNamesAreGivenNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"涵涵": {"涵", ""}, "阿巧": {"巧", ""}, "小素": {"素", ""}, "王伟": {"伟", "王"}, "小林一郎": {"林一郎", "小"},
		"Amy": {"amy", ""}, "Amy Schmidt": {"amy", "schmidt"},
	} {
		g, f := splitFullName(in)
		if g != want[0] || f != want[1] {
			t.Errorf("%s: given %q family %q, want %q %q", in, g, f, want[0], want[1])
		}
	}
}

func TestNameFromHandle(t *testing.T) {
	for in, want := range map[string][2]string{
		"wechat:yayi_xiong5218":  {"yayi", "xiong"},
		"weibo:Sophie.McDonald":  {"sophie", "mcdonald"},
		"kesu-xue":               {"kesu", "xue"},
		"wechat:wxid_190cq6u0qa": {},
		"wechat:coolcat":         {},
		"x:a_b":                  {},
		"x:li_na_2":              {},
		"x:mary_jane2x":          {},
	} {
		g, f, ok := NameFromHandle(in)
		if ok != (want != [2]string{}) || g != want[0] || f != want[1] {
			t.Errorf("%s: %q %q %v, want %q", in, g, f, ok, want)
		}
	}
}

// A WeChat account called "Michael" whose handle spells 熊雅依 meets and matches her CRM record.
func TestHandleNameStandsIn(t *testing.T) {
	crm := Record{ID: "c", FullName: "熊雅依", City: "Wuhan"}
	wx := Record{ID: "w", FullName: "Michael", City: "Wuhan", Handles: []string{"wechat:yayi_xiong5218"}}
	got := compareRecords(crm, wx)
	if g, f := levelName(fGiven, got[fGiven]), levelName(fFamily, got[fFamily]); g != LevelExact || f != LevelExact {
		t.Errorf("through the handle: given %s family %s, want exact exact", g, f)
	}
	if cands := Candidates([]Record{crm, wx}, Options{}); len(cands) != 1 {
		t.Errorf("the handle's name should put the records in one block: %v", cands)
	}
	wx.Handles = []string{"wechat:wxid_hrev6lu3jqmcxq"}
	if got := compareRecords(crm, wx); got[fGiven].level == 0 {
		t.Error("a generated handle is not a name")
	}
}
