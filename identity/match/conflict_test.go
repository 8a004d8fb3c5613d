package match

import "testing"

func TestConflict(t *testing.T) {
	cases := []struct {
		a, b Record
		want bool
	}{
		{Record{GivenName: "Gabriel", FamilyName: "Kumar"}, Record{GivenName: "Edward", FamilyName: "White"}, true},
		{Record{GivenName: "玲林", FamilyName: "孙"}, Record{GivenName: "平", FamilyName: "孙"}, true},
		{Record{FullName: "孙玲林"}, Record{FullName: "春暖花开"}, false}, // a full name alone may be a nickname
		{Record{GivenName: "Jon", FamilyName: "Smith"}, Record{GivenName: "John", FamilyName: "Smith"}, false},
		{Record{GivenName: "Mei", FamilyName: "Wang"}, Record{GivenName: "Mie", FamilyName: "Wang"}, false},
		{Record{GivenName: "C", FamilyName: "Hunter"}, Record{GivenName: "Clara", FamilyName: "Hunter"}, false},
		{Record{GivenName: "小明", FamilyName: "王"}, Record{GivenName: "晓明", FamilyName: "王"}, false},
		{Record{FullName: "王小明"}, Record{GivenName: "Peter", FamilyName: "Wang"}, false}, // different scripts: no verdict
		{Record{GivenName: "Ann", BirthDate: "1990-05-04"}, Record{GivenName: "Ann", BirthDate: "1990-04-05"}, false},
		{Record{GivenName: "Ann", BirthDate: "1990-05-04"}, Record{GivenName: "Ann", BirthDate: "1971-11-23"}, true},
		{Record{FamilyName: "Lee"}, Record{GivenName: "Ann", FamilyName: "Lee"}, false},
		{Record{FullName: "龙先生"}, Record{FullName: "龙天浩"}, false},
		{Record{FullName: "Mr. John Smith"}, Record{GivenName: "John", FamilyName: "Smith"}, false},
		// Chinese family names: stated ones that differ in sound are two people.
		{Record{FullName: "李女士"}, Record{GivenName: "倩倩", FamilyName: "王"}, true},
		{Record{FullName: "林女士"}, Record{FullName: "彭明铭", FamilyName: "彭"}, true},
		{Record{FullName: "王太太"}, Record{GivenName: "倩", FamilyName: "李"}, false},                 // called by her husband's name
		{Record{FullName: "春暖花开"}, Record{GivenName: "倩", FamilyName: "李"}, false},                // a nickname states no family name
		{Record{GivenName: "倩", FamilyName: "陳"}, Record{GivenName: "倩", FamilyName: "陈"}, false}, // traditional and simplified
		{Record{GivenName: "娜", FamilyName: "欧阳"}, Record{FullName: "欧女士"}, false},                // a compound cut short
		{Record{GivenName: "Wei", FamilyName: "Li"}, Record{GivenName: "Wei", FamilyName: "Lee"}, false},
	}
	for _, c := range cases {
		if n, d := Conflict(&c.a, &c.b); (n || d) != c.want {
			t.Errorf("Conflict(%+v, %+v) = %v/%v, want %v", c.a, c.b, n, d, c.want)
		}
	}
}
