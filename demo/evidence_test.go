package demo

import (
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Each way records carry (or fail to carry) evidence of their person, on records written
// by hand so the rule, not the generator's mix, is what is checked.
func TestEvidenceGroups(t *testing.T) {
	ling := &person{idx: 0, id: "P00001", chinese: true, family: "王", given: "灵璐", familyPY: "wang", givenPY: "linglu", phone: phone{"86", "13101339751"}}
	namesake := &person{idx: 1, id: "P00002", chinese: true, family: "张", given: "忠", familyPY: "zhang", givenPY: "zhong", phone: phone{"86", "18367627921"}}
	other := &person{idx: 2, id: "P00003", chinese: true, family: "张", given: "忠", familyPY: "zhang", givenPY: "zhong", phone: phone{"86", "18900000001"}}
	amy := &person{idx: 3, id: "P00004", family: "Smith", given: "Amy", familyPY: "smith", givenPY: "amy", phone: phone{"44", "7937404993"}}
	rec := func(key string, p *person, c cdp.CustomerRecord) evidenceRecord {
		return evidenceRecord{key: key, p: p, rec: &c}
	}
	broken := rec("web:u_3", ling, cdp.CustomerRecord{Phone: "12345", Email: "linglu306@163.com"})
	broken.invalid = true
	ev := evidence([]evidenceRecord{
		// The phone in two styles, then a handle spelling the name in the same city.
		rec("crm:C1", ling, cdp.CustomerRecord{FullName: "王灵璐", Phone: "13101339751", City: "Shanghai", Email: "linglu306@163.com"}),
		rec("pos:POS-1", ling, cdp.CustomerRecord{FullName: "王女士", Phone: "131-0133-9751", City: "Shanghai"}),
		rec("wechat:wx_1", ling, cdp.CustomerRecord{FullName: "Yoyo🌸", SocialHandle: "wechat:linglu_wang7828", City: "Shanghai"}),
		// The e-mail in capitals and the name in pinyin, no phone: linked by the e-mail.
		rec("web:u_1", ling, cdp.CustomerRecord{GivenName: "Linglu", FamilyName: "Wang", Email: " LINGLU306@163.COM "}),
		// An anonymous follower: a pet name, a gender, a city.
		rec("wechat:wx_2", ling, cdp.CustomerRecord{FullName: "阿璐", Gender: "female", City: "Shanghai"}),
		// Rejected at import, whatever it says.
		broken,
		// Two 张忠 in Beijing: name and city do not tell them apart, a birth date does.
		rec("pos:POS-2", namesake, cdp.CustomerRecord{FullName: "张忠", Phone: "18367627921", City: "Beijing"}),
		rec("web:u_2", namesake, cdp.CustomerRecord{GivenName: "忠", FamilyName: "张", City: "Beijing", BirthDate: "1990-01-02"}),
		rec("crm:C2", namesake, cdp.CustomerRecord{FullName: "张忠", BirthDate: "1990-01-02"}),
		rec("pos:POS-3", other, cdp.CustomerRecord{FullName: "张忠", Phone: "18900000001", City: "Beijing"}),
		// A typo in the name and a shared device; a device alone links nothing.
		rec("crm:C3", amy, cdp.CustomerRecord{GivenName: "Amy", FamilyName: "Smtih", DeviceID: "dev-1"}),
		rec("web:u_4", amy, cdp.CustomerRecord{FullName: "Amy Smith", Identifiers: []cdp.IdentifierRecord{{Type: "device_id", Value: "dev-1"}}}),
		rec("wechat:wx_3", amy, cdp.CustomerRecord{FullName: "amy.s", DeviceID: "dev-1"}),
	})
	group := ev.RecordGroup
	same := func(a, b string, want bool) {
		t.Helper()
		if got := group[a] == group[b]; got != want {
			t.Errorf("%s (%s) and %s (%s) in one group: %v, want %v", a, group[a], b, group[b], got, want)
		}
	}
	same("crm:C1", "pos:POS-1", true)
	same("crm:C1", "wechat:wx_1", true)
	same("crm:C1", "web:u_1", true)
	same("crm:C1", "wechat:wx_2", false)
	same("crm:C1", "web:u_3", false)
	same("pos:POS-2", "web:u_2", false) // 张忠 in Beijing: another 张忠 shops there
	same("web:u_2", "crm:C2", true)
	same("crm:C3", "web:u_4", true)
	same("crm:C3", "wechat:wx_3", false)
	if !strings.HasPrefix(group["wechat:wx_2"], "P00001/") {
		t.Errorf("groups are named after their person: %q", group["wechat:wx_2"])
	}
	if ev.TruePairs != 15+3+0+3 {
		t.Errorf("true pairs = %d", ev.TruePairs)
	}
}

// Every follower carries its unionid; the shop account carries the same one exactly when
// the person signed in with WeChat; the shares stay near the ones wechat.go chose.
func TestWeChatLinks(t *testing.T) {
	ds := full(t)
	unionOf := func(c cdp.CustomerRecord) string {
		for _, id := range c.Identifiers {
			if id.Type == "external_id" && strings.HasPrefix(id.Value, unionIDPrefix) {
				return id.Value
			}
		}
		return ""
	}
	followers := map[string]string{} // person -> unionid
	for _, c := range ds.Source("wechat").Customers {
		u := unionOf(c)
		if u == "" {
			t.Fatalf("wechat:%s has no unionid", c.SourceID)
		}
		followers[ds.Truth.RecordPerson["wechat:"+c.SourceID]] = u
	}
	shared := 0
	for _, c := range ds.Source("web").Customers {
		u := unionOf(c)
		if u == "" {
			continue
		}
		shared++
		if p := ds.Truth.RecordPerson["web:"+c.SourceID]; followers[p] != u {
			t.Errorf("web:%s carries %s, its person's follower account %q", c.SourceID, u, followers[p])
		}
	}
	ev := ds.Truth.Evidence
	if ev.WeChatAccounts != len(followers) || ev.WeChatUnionID != shared {
		t.Errorf("evidence counts %d accounts, %d unionids shared; the records have %d, %d", ev.WeChatAccounts, ev.WeChatUnionID, len(followers), shared)
	}
	n := len(followers)
	between(t, "followers sharing the unionid with a shop login (of 100)", shared*100/n, 30, 55)
	between(t, "followers with an authorised phone (of 100)", ev.WeChatPhone*100/n, 30, 50)
	between(t, "anonymous followers of people known elsewhere (of 100)", ev.WeChatUnlinkable*100/n, 15, 35)
	between(t, "linkable true pairs (of 100)", ev.LinkablePairs*100/ev.TruePairs, 80, 95)
}

// The truth groups every customer record, in a group of its own person.
func TestTruthEvidenceCoversRecords(t *testing.T) {
	ds := small(t)
	ev := ds.Truth.Evidence
	if len(ev.RecordGroup) != len(ds.Truth.RecordPerson) {
		t.Fatalf("%d records grouped, %d in the truth", len(ev.RecordGroup), len(ds.Truth.RecordPerson))
	}
	size := map[string]int{}
	for k, p := range ds.Truth.RecordPerson {
		g := ev.RecordGroup[k]
		if !strings.HasPrefix(g, p+"/") {
			t.Errorf("%s of %s is in group %q", k, p, g)
		}
		size[g]++
	}
	linkable := 0
	for _, n := range size {
		linkable += n * (n - 1) / 2
	}
	if linkable != ev.LinkablePairs || ev.LinkablePairs > ev.TruePairs || ev.LinkablePairs == 0 {
		t.Errorf("linkable pairs %d (groups give %d), true pairs %d", ev.LinkablePairs, linkable, ev.TruePairs)
	}
	for _, k := range ds.Truth.Invalid {
		src, rest, _ := strings.Cut(k, ":")
		kind, id, _ := strings.Cut(rest, ":")
		if kind == "customers" && size[ev.RecordGroup[src+":"+id]] != 1 {
			t.Errorf("invalid record %s shares group %s", k, ev.RecordGroup[src+":"+id])
		}
	}
}
