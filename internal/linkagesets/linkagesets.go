// Package linkagesets writes labelled customer files for measuring identity resolution
// on data the resolver was never tuned on: the retail customers of a Chinese chain with
// an international clientele, as three systems record them.
//
// The population is drawn from a description of reality, not from the resolver's rules:
//
//   - Households live at one address: a couple (in China a wife keeps her family name),
//     children who carry the father's family name, sometimes a grandparent. About 3% of
//     households with children have twins (Chinese twin births are about 1.5% of births,
//     so about 3% of children). Twins share family name, address, birth date and often the
//     parents' phone; their given names differ and so do their resident id numbers, which
//     were issued together (same area and birth date, consecutive sequence numbers).
//   - A quarter of customers are international (Latin names, passports; a few give a
//     personal tax number). Passports of one family are often consecutive numbers.
//   - Names follow their real, very uneven frequencies, so namesakes (the same name held
//     by different people, in one city) are common, as they are in China.
//   - Each person appears in one to three systems: the CRM (membership sign-up, real-name:
//     characters, resident id, birth date), the POS (loyalty at the till: a phone, often
//     only "王先生", a child on a parent's phone) and the web shop (pinyin or characters,
//     in either order, spaced or not; a resident id for cross-border orders, as Chinese
//     customs require). Some sign up twice in one system.
//   - Clerks make mistakes: a homophone character typed by the input method, two adjacent
//     digits of an id swapped or one digit wrong, day and month swapped, a relative's
//     record given the account holder's birth date, fields left empty.
//
// Every record is labelled with "true_person". Generate is deterministic for a seed.
package linkagesets

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Config sizes a data set.
type Config struct {
	Seed       uint64
	Households int // default 1500
}

// Stats describe what was written.
type Stats struct {
	Households, People, Records, Twins, CopiedBirthDates int
	Sources                                              map[string]int
}

// Record is one line of a customer file: the import's customer fields and the label.
type Record struct {
	SourceID     string       `json:"source_id"`
	GivenName    string       `json:"given_name,omitempty"`
	FamilyName   string       `json:"family_name,omitempty"`
	FullName     string       `json:"full_name,omitempty"`
	Email        string       `json:"email,omitempty"`
	Phone        string       `json:"phone,omitempty"`
	BirthDate    string       `json:"birth_date,omitempty"`
	Gender       string       `json:"gender,omitempty"`
	AddressLine1 string       `json:"address_line1,omitempty"`
	City         string       `json:"city,omitempty"`
	Postcode     string       `json:"postcode,omitempty"`
	Country      string       `json:"country,omitempty"`
	NationalID   string       `json:"national_id,omitempty"`
	Passport     string       `json:"passport,omitempty"`
	Identifiers  []Identifier `json:"identifiers,omitempty"`
	TruePerson   string       `json:"true_person"`
}

// Identifier is an entry of a record's "identifiers".
type Identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type han struct{ char, pinyin string }

// Family names with rough weights (per mille of the population, rounded).
var familyNames = []struct {
	han
	weight int
}{
	{han{"王", "wang"}, 72}, {han{"李", "li"}, 71}, {han{"张", "zhang"}, 68}, {han{"刘", "liu"}, 54}, {han{"陈", "chen"}, 46},
	{han{"杨", "yang"}, 32}, {han{"黄", "huang"}, 23}, {han{"赵", "zhao"}, 22}, {han{"吴", "wu"}, 20}, {han{"周", "zhou"}, 19},
	{han{"徐", "xu"}, 17}, {han{"孙", "sun"}, 15}, {han{"马", "ma"}, 15}, {han{"朱", "zhu"}, 14}, {han{"胡", "hu"}, 13},
	{han{"郭", "guo"}, 12}, {han{"何", "he"}, 12}, {han{"林", "lin"}, 11}, {han{"高", "gao"}, 11}, {han{"罗", "luo"}, 10},
	{han{"郑", "zheng"}, 10}, {han{"梁", "liang"}, 9}, {han{"谢", "xie"}, 8}, {han{"宋", "song"}, 7}, {han{"唐", "tang"}, 7},
	{han{"许", "xu"}, 6}, {han{"韩", "han"}, 6}, {han{"冯", "feng"}, 6}, {han{"邓", "deng"}, 6}, {han{"曹", "cao"}, 5},
	{han{"彭", "peng"}, 5}, {han{"曾", "zeng"}, 5}, {han{"肖", "xiao"}, 5}, {han{"田", "tian"}, 4}, {han{"董", "dong"}, 4},
	{han{"潘", "pan"}, 4}, {han{"蒋", "jiang"}, 4}, {han{"蔡", "cai"}, 4}, {han{"欧阳", "ouyang"}, 1}, {han{"司马", "sima"}, 1},
}

// Given-name characters in homophone groups (what a pinyin input method offers for one
// syllable): the first of a group is the most common.
var givenGroups = [][]han{
	{{"伟", "wei"}, {"玮", "wei"}, {"炜", "wei"}}, {{"静", "jing"}, {"晶", "jing"}, {"婧", "jing"}},
	{{"丽", "li"}, {"莉", "li"}, {"俐", "li"}}, {{"明", "ming"}, {"铭", "ming"}}, {{"华", "hua"}, {"桦", "hua"}},
	{{"芳", "fang"}, {"方", "fang"}}, {{"敏", "min"}, {"珉", "min"}}, {{"杰", "jie"}, {"洁", "jie"}, {"婕", "jie"}},
	{{"军", "jun"}, {"君", "jun"}, {"钧", "jun"}}, {{"磊", "lei"}, {"蕾", "lei"}}, {{"燕", "yan"}, {"艳", "yan"}, {"妍", "yan"}},
	{{"涛", "tao"}, {"韬", "tao"}}, {{"辉", "hui"}, {"晖", "hui"}, {"慧", "hui"}}, {{"玲", "ling"}, {"琳", "lin"}, {"林", "lin"}},
	{{"强", "qiang"}, {"蔷", "qiang"}}, {{"平", "ping"}, {"萍", "ping"}}, {{"红", "hong"}, {"虹", "hong"}, {"宏", "hong"}},
	{{"刚", "gang"}, {"钢", "gang"}}, {{"勇", "yong"}, {"永", "yong"}}, {{"霞", "xia"}, {"夏", "xia"}},
	{{"婷", "ting"}, {"亭", "ting"}}, {{"鹏", "peng"}, {"朋", "peng"}}, {{"浩", "hao"}, {"昊", "hao"}},
	{{"宇", "yu"}, {"雨", "yu"}, {"羽", "yu"}}, {{"欣", "xin"}, {"馨", "xin"}, {"新", "xin"}}, {{"佳", "jia"}, {"嘉", "jia"}},
	{{"怡", "yi"}, {"仪", "yi"}, {"宜", "yi"}}, {{"子", "zi"}, {"梓", "zi"}, {"紫", "zi"}}, {{"涵", "han"}, {"晗", "han"}},
	{{"晨", "chen"}, {"辰", "chen"}, {"宸", "chen"}}, {{"轩", "xuan"}, {"萱", "xuan"}}, {{"博", "bo"}, {"波", "bo"}},
	{{"睿", "rui"}, {"瑞", "rui"}}, {{"文", "wen"}, {"雯", "wen"}}, {{"俊", "jun"}, {"骏", "jun"}}, {{"思", "si"}, {"丝", "si"}},
	{{"梦", "meng"}, {"萌", "meng"}}, {{"琪", "qi"}, {"琦", "qi"}}, {{"泽", "ze"}, {"择", "ze"}}, {{"诗", "shi"}, {"施", "shi"}},
	{{"雪", "xue"}, {"学", "xue"}}, {{"凯", "kai"}, {"楷", "kai"}}, {{"瑶", "yao"}, {"遥", "yao"}}, {{"颖", "ying"}, {"莹", "ying"}},
	{{"丹", "dan"}, {"单", "dan"}}, {{"建", "jian"}, {"健", "jian"}}, {{"国", "guo"}, {"果", "guo"}}, {{"秀", "xiu"}, {"琇", "xiu"}},
	{{"英", "ying"}, {"瑛", "ying"}}, {{"志", "zhi"}, {"智", "zhi"}}, {{"海", "hai"}}, {{"峰", "feng"}, {"锋", "feng"}},
	{{"春", "chun"}}, {{"鑫", "xin"}}, {{"娜", "na"}, {"纳", "na"}}, {{"倩", "qian"}, {"茜", "qian"}}, {{"超", "chao"}},
	{{"洋", "yang"}, {"阳", "yang"}}, {{"帅", "shuai"}}, {{"楠", "nan"}, {"南", "nan"}}, {{"斌", "bin"}, {"彬", "bin"}},
}

type city struct {
	name, nameEN, postcode string
	districts              []struct{ han, area string }
	roads                  []han
}

var cities = []city{
	{name: "上海", nameEN: "Shanghai", postcode: "200", districts: []struct{ han, area string }{
		{"长宁区", "310105"}, {"徐汇区", "310104"}, {"静安区", "310106"}, {"浦东新区", "310115"}, {"杨浦区", "310110"}},
		roads: []han{{"愚园路", "Yuyuan Road"}, {"淮海中路", "Middle Huaihai Road"}, {"延安西路", "West Yan'an Road"}, {"控江路", "Kongjiang Road"}, {"张杨路", "Zhangyang Road"}, {"天山路", "Tianshan Road"}}},
	{name: "北京", nameEN: "Beijing", postcode: "100", districts: []struct{ han, area string }{
		{"朝阳区", "110105"}, {"海淀区", "110108"}, {"东城区", "110101"}, {"西城区", "110102"}},
		roads: []han{{"建国路", "Jianguo Road"}, {"中关村大街", "Zhongguancun Street"}, {"东四北大街", "Dongsi North Street"}, {"学院路", "Xueyuan Road"}}},
	{name: "广州", nameEN: "Guangzhou", postcode: "510", districts: []struct{ han, area string }{
		{"天河区", "440106"}, {"越秀区", "440104"}, {"海珠区", "440105"}},
		roads: []han{{"天河路", "Tianhe Road"}, {"中山五路", "Zhongshan 5th Road"}, {"江南大道", "Jiangnan Avenue"}}},
	{name: "杭州", nameEN: "Hangzhou", postcode: "310", districts: []struct{ han, area string }{
		{"西湖区", "330106"}, {"上城区", "330102"}, {"滨江区", "330108"}},
		roads: []han{{"文三路", "Wensan Road"}, {"延安路", "Yan'an Road"}, {"江南大道", "Jiangnan Avenue"}}},
}

var westernGiven = []struct {
	name, gender string
}{
	{"James", "male"}, {"John", "male"}, {"Michael", "male"}, {"David", "male"}, {"Thomas", "male"}, {"Daniel", "male"},
	{"Paul", "male"}, {"Mark", "male"}, {"Peter", "male"}, {"Lucas", "male"}, {"Max", "male"}, {"Pierre", "male"},
	{"Kenji", "male"}, {"Hiroshi", "male"}, {"Minjun", "male"}, {"Oliver", "male"}, {"Noah", "male"}, {"Leon", "male"},
	{"Mary", "female"}, {"Anna", "female"}, {"Emma", "female"}, {"Sarah", "female"}, {"Laura", "female"}, {"Julia", "female"},
	{"Sophie", "female"}, {"Marie", "female"}, {"Claire", "female"}, {"Yuki", "female"}, {"Sakura", "female"}, {"Jiwoo", "female"},
	{"Olivia", "female"}, {"Mia", "female"}, {"Hannah", "female"}, {"Lena", "female"}, {"Chloe", "female"}, {"Grace", "female"},
}

var westernFamily = []string{
	"Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Martin", "Thompson", "White", "Müller",
	"Schmidt", "Schneider", "Fischer", "Dubois", "Laurent", "Bernard", "Rossi", "Russo", "Tanaka", "Suzuki", "Sato",
	"Kim", "Park", "Lee", "Nguyen", "Garcia", "Martinez", "Novak", "Jensen", "Larsen", "Murphy", "Kelly", "O'Brien",
}

// Mobile numbers: the country's prefix for mobiles and how many digits follow.
var westernCountries = []struct {
	code, phone    string
	digits         int
	passportPrefix string
}{
	{"US", "+1 415", 7, ""}, {"GB", "+44 7911", 6, ""}, {"DE", "+49 151", 8, "C"}, {"FR", "+33 6", 8, "1"},
	{"JP", "+81 90", 8, "T"}, {"KR", "+82 10", 8, "M"}, {"AU", "+61 4", 8, "P"},
}

// person is one true person.
type person struct {
	id                     string
	chinese                bool
	family, given          []han // Chinese names
	westGiven, westFamily  string
	gender                 string
	birth                  string // YYYY-MM-DD
	phone, email           string
	nationalID, passport   string
	taxID                  string
	address, addressEN     string
	cityName, cityEN, post string
	country                string
	familyPhone            string // a parent's phone the person may give instead
	parentBirth            string // a parent's birth date, which a clerk may copy onto the record
	child                  bool
}

type gen struct {
	rng   *rand.Rand
	stats Stats
	files map[string][]Record
	seq   map[string]int
}

// Generate writes crm.ndjson, pos.ndjson and web.ndjson into dir.
func Generate(dir string, cfg Config) (Stats, error) {
	if cfg.Households <= 0 {
		cfg.Households = 1500
	}
	g := &gen{rng: rand.New(rand.NewPCG(cfg.Seed, 0x11a6)), files: map[string][]Record{}, seq: map[string]int{}}
	g.stats.Sources = map[string]int{}
	for h := range cfg.Households {
		for _, p := range g.household(h) {
			g.records(p)
		}
	}
	g.stats.Households = cfg.Households
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return g.stats, err
	}
	for _, src := range []string{"crm", "pos", "web"} {
		recs := g.files[src]
		g.rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		if err := writeFile(filepath.Join(dir, src+".ndjson"), recs); err != nil {
			return g.stats, err
		}
		g.stats.Sources[src] = len(recs)
		g.stats.Records += len(recs)
	}
	return g.stats, nil
}

func writeFile(name string, recs []Record) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := Write(f, recs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Write writes records as NDJSON.
func Write(w io.Writer, recs []Record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) pickFamily() []han {
	total := 0
	for _, f := range familyNames {
		total += f.weight
	}
	n := g.rng.IntN(total)
	for _, f := range familyNames {
		if n -= f.weight; n < 0 {
			return splitHan(f.han)
		}
	}
	return splitHan(familyNames[0].han)
}

// splitHan splits a compound family name into its characters, each with its syllable.
func splitHan(h han) []han {
	chars := []rune(h.char)
	if len(chars) == 1 {
		return []han{h}
	}
	switch h.char {
	case "欧阳":
		return []han{{"欧", "ou"}, {"阳", "yang"}}
	default: // 司马
		return []han{{"司", "si"}, {"马", "ma"}}
	}
}

// pickGiven draws a given name: common characters far more often (Zipf), one character
// for a third of people born before 1980, two otherwise.
func (g *gen) pickGiven(birthYear int) []han {
	n := 2
	if birthYear < 1980 && g.chance(0.35) || g.chance(0.08) {
		n = 1
	}
	out := make([]han, n)
	for i := range out {
		group := givenGroups[g.zipf(len(givenGroups))]
		out[i] = group[g.zipf(len(group))]
	}
	return out
}

// zipf draws an index in [0,n) with probability proportional to 1/(i+1).
func (g *gen) zipf(n int) int {
	var total float64
	for i := range n {
		total += 1 / float64(i+1)
	}
	x := g.rng.Float64() * total
	for i := range n {
		if x -= 1 / float64(i+1); x < 0 {
			return i
		}
	}
	return n - 1
}

func (g *gen) date(yearLo, yearHi int) string {
	return fmt.Sprintf("%04d-%02d-%02d", yearLo+g.rng.IntN(yearHi-yearLo+1), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
}

func (g *gen) mobile() string {
	prefixes := []string{"138", "139", "136", "135", "137", "150", "151", "158", "186", "187", "177", "181", "189", "199"}
	return prefixes[g.rng.IntN(len(prefixes))] + fmt.Sprintf("%08d", g.rng.IntN(100000000))
}

// residentID issues a GB 11643-1999 number: area, birth date, sequence (odd for men), check.
func residentID(area, birth string, seq int) string {
	body := area + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

func (g *gen) sequence(gender string) int {
	s := g.rng.IntN(998)
	if (s%2 == 1) != (gender == "male") {
		s++
	}
	return s
}

// household returns the people of one household.
func (g *gen) household(h int) []*person {
	if g.chance(0.25) {
		return g.internationalHousehold(h)
	}
	c := cities[g.zipf(len(cities))]
	d := c.districts[g.rng.IntN(len(c.districts))]
	road := c.roads[g.rng.IntN(len(c.roads))]
	num, lane, room := 1+g.rng.IntN(1500), 1+g.rng.IntN(60), 100*(1+g.rng.IntN(25))+1+g.rng.IntN(6)
	addr := fmt.Sprintf("%s%s%d弄%d号%d室", d.han, road.char, num, lane, room)
	addrEN := fmt.Sprintf("Room %d, No. %d, Lane %d %s", room, lane, num, road.pinyin)
	post := c.postcode + fmt.Sprintf("%03d", g.rng.IntN(1000))
	familyEmail := ""
	if g.chance(0.1) {
		familyEmail = fmt.Sprintf("home%d@%s", g.rng.IntN(100000), []string{"163.com", "qq.com", "126.com"}[g.rng.IntN(3)])
	}
	mk := func(k int, family []han, gender, birth string) *person {
		p := &person{id: fmt.Sprintf("h%05d-%d", h, k), chinese: true, family: family, gender: gender, birth: birth,
			address: addr, addressEN: addrEN, cityName: c.name, cityEN: c.nameEN, post: post, country: "CN"}
		p.given = g.pickGiven(atoi(birth[:4]))
		p.phone = g.mobile()
		py := pinyinOf(p.given) + pinyinOf(p.family)
		p.email = fmt.Sprintf("%s%d@%s", py, g.rng.IntN(1000), []string{"163.com", "qq.com", "126.com", "gmail.com", "sina.com"}[g.rng.IntN(5)])
		if familyEmail != "" && g.chance(0.5) {
			p.email = familyEmail
		}
		p.nationalID = residentID(d.area, birth, g.sequence(gender))
		return p
	}
	var people []*person
	single := g.chance(0.3)
	genderA := []string{"male", "female"}[g.rng.IntN(2)]
	a := mk(0, g.pickFamily(), genderA, g.date(1955, 2000))
	people = append(people, a)
	if single {
		return people
	}
	b := mk(1, g.pickFamily(), map[string]string{"male": "female", "female": "male"}[genderA], g.date(atoi(a.birth[:4])-4, atoi(a.birth[:4])+4))
	people = append(people, b)
	father, parent := a, a
	if genderA == "female" {
		father = b
	}
	if g.chance(0.5) {
		parent = b
	}
	childFamily := father.family
	young := max(atoi(a.birth[:4]), atoi(b.birth[:4]))
	if young+22 <= 2012 && g.chance(0.7) {
		kids := 1 + g.rng.IntN(2)
		k := 2
		for range kids {
			birth := g.date(young+22, min(young+38, 2012))
			gender := []string{"male", "female"}[g.rng.IntN(2)]
			child := mk(k, childFamily, gender, birth)
			child.child = true
			child.familyPhone, child.parentBirth = parent.phone, parent.birth
			k++
			people = append(people, child)
			if g.chance(0.03) { // twins: same birth date, numbers issued together
				tg := []string{"male", "female"}[g.rng.IntN(2)]
				twin := mk(k, childFamily, tg, birth)
				twin.child = true
				twin.familyPhone, twin.parentBirth = parent.phone, parent.birth
				for pinyinOf(twin.given) == pinyinOf(child.given) {
					twin.given = g.pickGiven(atoi(birth[:4]))
				}
				seq := atoi(child.nationalID[14:17]) + 1
				if (seq%2 == 1) != (tg == "male") {
					seq++
				}
				twin.nationalID = residentID(child.nationalID[:6], birth, seq)
				k++
				people = append(people, twin)
				g.stats.Twins++
			}
		}
	}
	if g.chance(0.1) { // a grandparent with the father's family name
		gp := mk(9, father.family, []string{"male", "female"}[g.rng.IntN(2)], g.date(1935, 1960))
		people = append(people, gp)
	}
	return people
}

func (g *gen) internationalHousehold(h int) []*person {
	country := westernCountries[g.rng.IntN(len(westernCountries))]
	family := westernFamily[g.zipf(len(westernFamily))]
	livesInChina := g.chance(0.6)
	c := cities[g.rng.IntN(2)]
	num := 1 + g.rng.IntN(800)
	addr := fmt.Sprintf("Apt %d%c, %d %s", 1+g.rng.IntN(30), 'A'+rune(g.rng.IntN(6)), num, c.roads[g.rng.IntN(len(c.roads))].pinyin)
	post := c.postcode + fmt.Sprintf("%03d", g.rng.IntN(1000))
	cityEN, countryCode := c.nameEN, "CN"
	if !livesInChina {
		addr = fmt.Sprintf("%d %s Street", num, []string{"Oak", "Maple", "High", "Church", "Park", "Station", "Berliner", "Victoria"}[g.rng.IntN(8)])
		cityEN = []string{"London", "Berlin", "Paris", "New York", "Tokyo", "Seoul", "Sydney"}[g.rng.IntN(7)]
		post, countryCode = fmt.Sprintf("%05d", g.rng.IntN(100000)), country.code
	}
	passportBase := g.rng.IntN(90000000) + 10000000
	n := 1
	if g.chance(0.6) {
		n = 2 + g.rng.IntN(2)
	}
	var people []*person
	var twinOf *person
	for k := range n {
		gv := westernGiven[g.zipf(len(westernGiven))]
		birth := g.date(1955, 2000)
		if k >= 2 {
			birth = g.date(2000, 2012)
		}
		if k == 3 && twinOf != nil {
			birth = twinOf.birth
		}
		p := &person{id: fmt.Sprintf("h%05d-%d", h, k), westGiven: gv.name, westFamily: family, gender: gv.gender, birth: birth,
			address: addr, cityEN: cityEN, post: post, country: countryCode, child: k >= 2}
		p.phone = fmt.Sprintf("%s %0*d", country.phone, country.digits, g.rng.IntN(pow10(country.digits)))
		if country.code == "US" {
			p.phone = fmt.Sprintf("%s %d%06d", country.phone, 2+g.rng.IntN(8), g.rng.IntN(1000000))
		}
		p.email = strings.ToLower(fmt.Sprintf("%s.%s%d@%s", gv.name, strings.ReplaceAll(family, "'", ""), g.rng.IntN(100), []string{"gmail.com", "outlook.com", "yahoo.com"}[g.rng.IntN(3)]))
		if g.chance(0.85) {
			p.passport = fmt.Sprintf("%s%08d", country.passportPrefix, passportBase+k) // a family's passports, issued together
			if country.passportPrefix == "" {
				p.passport = fmt.Sprintf("%09d", passportBase*10+k)
			}
		}
		if !p.child && g.chance(0.1) {
			p.taxID = fmt.Sprintf("%s%09d", country.code, g.rng.IntN(1000000000))
		}
		if k == 2 && g.chance(0.03) {
			twinOf = p
			n = max(n, 4)
		}
		people = append(people, p)
	}
	if twinOf != nil && len(people) == 4 {
		g.stats.Twins++
	}
	return people
}

// records writes the person's records into the sources that know them.
func (g *gen) records(p *person) {
	g.stats.People++
	var sources []string
	for _, s := range []struct {
		name string
		p    float64
	}{{"crm", 0.65}, {"pos", 0.55}, {"web", 0.5}} {
		if g.chance(s.p) {
			sources = append(sources, s.name)
		}
	}
	if p.child && g.chance(0.5) {
		sources = nil // many children never shop on their own
	}
	if len(sources) == 0 {
		if p.child {
			return
		}
		sources = []string{[]string{"crm", "pos", "web"}[g.rng.IntN(3)]}
	}
	for _, src := range sources {
		copies := 1
		if g.chance(0.05) {
			copies = 2 // signed up twice
		}
		for range copies {
			r := g.record(p, src)
			g.seq[src]++
			r.SourceID = fmt.Sprintf("%s-%06d", strings.ToUpper(src), g.seq[src]*7919%1000003)
			r.TruePerson = p.id
			g.files[src] = append(g.files[src], r)
		}
	}
}

func (g *gen) record(p *person, src string) Record {
	r := Record{Country: p.country}
	if g.chance(0.1) {
		r.Country = ""
	}
	switch src {
	case "crm":
		g.name(p, &r, 0.9)
		r.Phone = g.maybe(0.95, p.phone)
		r.Email = g.maybe(0.45, p.email)
		r.BirthDate = g.maybe(0.85, p.birth)
		r.Gender = g.maybe(0.8, p.gender)
		if p.chinese {
			r.AddressLine1, r.City, r.Postcode = g.maybe(0.7, p.address), g.maybe(0.8, p.cityName), g.maybe(0.5, p.post)
			r.NationalID = g.maybe(0.7, p.nationalID)
		} else {
			r.AddressLine1, r.City, r.Postcode = g.maybe(0.7, p.address), g.maybe(0.8, p.cityEN), g.maybe(0.5, p.post)
			r.Passport = g.maybe(0.6, p.passport)
		}
	case "pos":
		g.name(p, &r, 0.75)
		if p.chinese && g.chance(0.25) { // the till asked for a surname only
			r.GivenName, r.FamilyName = "", ""
			r.FullName = hanOf(p.family) + map[string]string{"male": "先生", "female": "女士"}[p.gender]
		}
		r.Phone = g.maybe(0.95, p.phone)
		if p.familyPhone != "" && g.chance(0.5) {
			r.Phone = p.familyPhone // a child at the till gives a parent's number
		}
		r.BirthDate = g.maybe(0.35, p.birth)
		if p.chinese && g.chance(0.1) {
			r.Identifiers = append(r.Identifiers, Identifier{"national_id", p.nationalID})
		}
	case "web":
		if p.chinese && g.chance(0.5) {
			g.pinyinName(p, &r)
		} else {
			g.name(p, &r, 0.9)
		}
		r.Email = g.maybe(0.95, p.email)
		r.Phone = g.maybe(0.7, p.phone)
		r.BirthDate = g.maybe(0.3, p.birth)
		if r.BirthDate != "" && g.chance(0.5) {
			r.BirthDate = strings.ReplaceAll(r.BirthDate, "-", "/")
		}
		if g.chance(0.6) {
			r.AddressLine1, r.Postcode = p.address, g.maybe(0.8, p.post)
			if p.chinese && g.chance(0.4) {
				r.AddressLine1 = p.addressEN
			}
			r.City = p.cityEN
			if r.City == "" {
				r.City = p.cityName
			}
		}
		if p.chinese && g.chance(0.4) { // cross-border orders need the buyer's resident id
			r.Identifiers = append(r.Identifiers, Identifier{"national_id", p.nationalID})
		}
		if !p.chinese && p.passport != "" && g.chance(0.3) {
			r.Identifiers = append(r.Identifiers, Identifier{"passport", p.passport})
		}
		if p.taxID != "" && g.chance(0.6) {
			r.Identifiers = append(r.Identifiers, Identifier{"tax_id", p.taxID})
		}
	}
	g.mistakes(p, &r)
	return r
}

func (g *gen) maybe(p float64, v string) string {
	if g.chance(p) {
		return v
	}
	return ""
}

// name writes the person's own-script name: split in fields with probability split,
// otherwise as a full name.
func (g *gen) name(p *person, r *Record, split float64) {
	if !p.chinese {
		if g.chance(split) {
			r.GivenName, r.FamilyName = p.westGiven, p.westFamily
		} else {
			r.FullName = p.westGiven + " " + p.westFamily
		}
		return
	}
	if g.chance(split) {
		r.GivenName, r.FamilyName = hanOf(p.given), hanOf(p.family)
	} else {
		r.FullName = hanOf(p.family) + hanOf(p.given)
	}
}

// pinyinName writes a Chinese name in toneless pinyin as people type it on a web form.
func (g *gen) pinyinName(p *person, r *Record) {
	given, family := capitalize(pinyinOf(p.given)), capitalize(pinyinOf(p.family))
	switch g.rng.IntN(5) {
	case 0:
		r.GivenName, r.FamilyName = given, family
	case 1:
		r.GivenName, r.FamilyName = family, given // family name in the given-name box
	case 2:
		r.FullName = family + " " + given
	case 3:
		r.FullName = given + " " + family
	default:
		r.FullName = strings.ToUpper(family) + " " + spaced(p.given)
	}
}

// mistakes are a clerk's and a customer's errors.
func (g *gen) mistakes(p *person, r *Record) {
	if g.chance(0.05) {
		if r.GivenName != "" && p.chinese && hasHan(r.GivenName) {
			r.GivenName = hanOf(g.homophone(p.given))
		} else if r.GivenName != "" {
			r.GivenName = typo(g.rng, r.GivenName)
		}
	}
	if r.NationalID != "" {
		r.NationalID = g.idTypo(r.NationalID)
	}
	for i := range r.Identifiers {
		r.Identifiers[i].Value = g.idTypo(r.Identifiers[i].Value)
	}
	if r.Passport != "" {
		r.Passport = g.idTypo(r.Passport)
	}
	if r.Phone != "" && g.chance(0.02) {
		r.Phone = typo(g.rng, r.Phone)
	}
	if r.BirthDate != "" && len(r.BirthDate) == 10 {
		switch {
		case g.chance(0.01): // day and month swapped
			d := r.BirthDate
			if atoi(d[8:10]) <= 12 {
				r.BirthDate = d[:5] + d[8:10] + d[4:5] + d[5:7]
			}
		case g.chance(0.01):
			b := []byte(r.BirthDate)
			b[9] = byte('0' + (int(b[9]-'0')+1+g.rng.IntN(8))%10)
			if b[8] == '0' && b[9] == '0' {
				b[9] = '1'
			}
			r.BirthDate = string(b)
		case p.child && g.chance(0.06): // the parent's birth date copied onto the child's record
			if p.parentBirth != "" {
				g.stats.CopiedBirthDates++
				r.BirthDate = p.parentBirth
			}
		}
	}
	if g.chance(0.03) {
		r.Email = ""
	}
}

// idTypo swaps two adjacent digits (2%) or changes one (1.5%).
func (g *gen) idTypo(id string) string {
	b := []byte(id)
	switch x := g.rng.Float64(); {
	case x < 0.02:
		i := g.rng.IntN(len(b) - 1)
		b[i], b[i+1] = b[i+1], b[i]
	case x < 0.035:
		i := g.rng.IntN(len(b))
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = byte('0' + (int(b[i]-'0')+1+g.rng.IntN(8))%10)
		}
	}
	return string(b)
}

func (g *gen) homophone(given []han) []han {
	out := append([]han(nil), given...)
	i := g.rng.IntN(len(out))
	for _, group := range givenGroups {
		for _, c := range group {
			if c == out[i] && len(group) > 1 {
				for {
					alt := group[g.rng.IntN(len(group))]
					if alt != out[i] {
						out[i] = alt
						return out
					}
				}
			}
		}
	}
	return out
}

func typo(rng *rand.Rand, s string) string {
	r := []rune(s)
	if len(r) < 3 {
		return s
	}
	i := 1 + rng.IntN(len(r)-2)
	switch rng.IntN(3) {
	case 0:
		r[i], r[i+1] = r[i+1], r[i]
	case 1:
		r = append(r[:i], r[i+1:]...)
	default:
		if r[i] >= '0' && r[i] <= '9' {
			r[i] = '0' + (r[i]-'0'+1)%10
		} else {
			r[i] = 'a' + (r[i]-'a'+1+rune(rng.IntN(24)))%26
		}
	}
	return string(r)
}

func hanOf(hs []han) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.char)
	}
	return b.String()
}

func pinyinOf(hs []han) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.pinyin)
	}
	return b.String()
}

// spaced writes a given name syllable by syllable: "Jia Yun".
func spaced(hs []han) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = capitalize(h.pinyin)
	}
	return strings.Join(parts, " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func pow10(n int) int {
	x := 1
	for range n {
		x *= 10
	}
	return x
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// SortedSources lists a Stats' sources.
func (s Stats) SortedSources() []string {
	var out []string
	for k := range s.Sources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
