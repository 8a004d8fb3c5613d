package demo

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the zones below must not depend on the machine's tz database
)

func zone(name string, offset int) *time.Location {
	if l, err := time.LoadLocation(name); err == nil {
		return l
	}
	return time.FixedZone(name, offset)
}

var (
	zoneCN = zone("Asia/Shanghai", 8*3600)
	zoneHK = zone("Asia/Hong_Kong", 8*3600)
	zoneSG = zone("Asia/Singapore", 8*3600)
	zoneGB = zone("Europe/London", 0)
	zoneLA = zone("America/Los_Angeles", -8*3600)
	zoneNY = zone("America/New_York", -5*3600)
)

type address struct {
	line1, line2, city, region, postcode, country string
}

type district struct{ zh, postcode string }

type cnCity struct {
	en, zh, region string
	weight         float64
	districts      []district
	streets        []string
	stores         []*store
}

func parseDistricts(s string) []district {
	var out []district
	for _, f := range strings.Fields(s) {
		zh, pc, _ := strings.Cut(f, ":")
		out = append(out, district{zh, pc})
	}
	return out
}

// genericStreets exist in almost every Chinese city.
var genericStreets = strings.Fields("人民路 解放路 中山路 建设路 和平路 新华路 文化路 胜利路 光明路 长江路 黄河路 朝阳路")

var cnCities = []*cnCity{
	{"Shanghai", "上海", "Shanghai", 30, parseDistricts("黄浦区:200001 徐汇区:200030 长宁区:200050 静安区:200040 普陀区:200333 虹口区:200080 杨浦区:200082 浦东新区:200120 闵行区:201100 宝山区:201900 松江区:201600 嘉定区:201800"),
		strings.Fields("南京西路 淮海中路 衡山路 世纪大道 张杨路 漕溪北路 四川北路 长宁路 虹桥路 延安西路 武宁路 控江路 古北路 江宁路 陆家嘴环路"), nil},
	{"Beijing", "北京", "Beijing", 10, parseDistricts("东城区:100010 西城区:100032 朝阳区:100020 海淀区:100080 丰台区:100071 石景山区:100043 通州区:101100 昌平区:102200"),
		strings.Fields("建国路 长安街 中关村大街 三里屯路 望京街 西直门外大街 朝阳北路 学院路 东四环中路 工体北路"), nil},
	{"Hangzhou", "杭州", "Zhejiang", 9, parseDistricts("上城区:310002 拱墅区:310011 西湖区:310013 滨江区:310051 萧山区:311200 余杭区:311100"),
		strings.Fields("延安路 文三路 天目山路 江南大道 庆春路 文一西路 湖滨路"), nil},
	{"Shenzhen", "深圳", "Guangdong", 8, parseDistricts("福田区:518033 罗湖区:518001 南山区:518052 宝安区:518101 龙岗区:518172 龙华区:518109"),
		strings.Fields("深南大道 华强北路 科技园路 海德三道 福华路 宝安大道 后海大道"), nil},
	{"Guangzhou", "广州", "Guangdong", 7, parseDistricts("天河区:510620 越秀区:510030 海珠区:510220 荔湾区:510140 白云区:510405 番禺区:511400"),
		strings.Fields("天河路 体育西路 北京路 中山五路 花城大道 环市东路 江南大道中"), nil},
	{"Suzhou", "苏州", "Jiangsu", 7, parseDistricts("姑苏区:215005 工业园区:215021 吴中区:215104 相城区:215131 虎丘区:215011"),
		strings.Fields("观前街 干将路 现代大道 金鸡湖大道 十全街"), nil},
	{"Nanjing", "南京", "Jiangsu", 6, parseDistricts("玄武区:210018 秦淮区:210001 鼓楼区:210008 建邺区:210019 栖霞区:210046 江宁区:211100"),
		strings.Fields("汉中路 江东中路 珠江路 北京东路 中央路"), nil},
	{"Chengdu", "成都", "Sichuan", 6, parseDistricts("锦江区:610021 青羊区:610031 武侯区:610041 成华区:610051 金牛区:610036"),
		strings.Fields("春熙路 人民南路 天府大道 红星路 蜀都大道 玉林路"), nil},
	{"Wuhan", "武汉", "Hubei", 4, parseDistricts("江汉区:430021 武昌区:430061 洪山区:430070 江岸区:430010"),
		strings.Fields("解放大道 中山大道 中南路 光谷大道"), nil},
	{"Xi'an", "西安", "Shaanxi", 3, parseDistricts("雁塔区:710061 碑林区:710001 新城区:710004"),
		strings.Fields("长安路 小寨西路 东大街 高新路"), nil},
	{"Tianjin", "天津", "Tianjin", 3, parseDistricts("和平区:300041 南开区:300100 河西区:300202"),
		strings.Fields("南京路 滨江道 卫津路"), nil},
	{"Chongqing", "重庆", "Chongqing", 3, parseDistricts("渝中区:400010 江北区:400020 南岸区:400060"),
		strings.Fields("民权路 观音桥步行街 南滨路"), nil},
	{"Xiamen", "厦门", "Fujian", 2, parseDistricts("思明区:361001 湖里区:361006"),
		strings.Fields("湖滨南路 厦禾路 莲前西路"), nil},
	{"Qingdao", "青岛", "Shandong", 2, parseDistricts("市南区:266001 崂山区:266061"),
		strings.Fields("香港中路 山东路"), nil},
	{"Ningbo", "宁波", "Zhejiang", 2, parseDistricts("海曙区:315000 鄞州区:315100"),
		strings.Fields("中山西路 天童南路"), nil},
}

var compounds = strings.Fields("阳光花园 锦绣苑 华府天地 世纪公寓 翠湖天地 金色家园 碧水湾 绿城桂花园 万科城市花园 中海国际社区 滨江花园 御景华庭 东方明珠苑 梧桐公寓 香樟苑")

// store is a till location; its two-digit number prefixes its customer ids.
type store struct {
	num        int
	id, cityEN string
	name       string
	city       *cnCity
}

var stores = []*store{
	{88, "ST-88", "Shanghai", "南京西路旗舰店", nil}, {11, "ST-11", "Shanghai", "淮海中路店", nil},
	{12, "ST-12", "Shanghai", "正大广场店", nil}, {13, "ST-13", "Shanghai", "徐家汇店", nil},
	{14, "ST-14", "Shanghai", "七宝万科店", nil}, {15, "ST-15", "Shanghai", "五角场店", nil},
	{21, "ST-21", "Beijing", "三里屯店", nil}, {22, "ST-22", "Beijing", "国贸店", nil},
	{23, "ST-23", "Beijing", "西单店", nil}, {31, "ST-31", "Hangzhou", "湖滨银泰店", nil},
	{32, "ST-32", "Hangzhou", "西溪印象城店", nil}, {41, "ST-41", "Shenzhen", "万象城店", nil},
	{42, "ST-42", "Shenzhen", "海岸城店", nil}, {51, "ST-51", "Guangzhou", "天河城店", nil},
	{52, "ST-52", "Guangzhou", "太古汇店", nil}, {61, "ST-61", "Suzhou", "苏州中心店", nil},
	{62, "ST-62", "Nanjing", "新街口店", nil}, {71, "ST-71", "Chengdu", "太古里店", nil},
	{72, "ST-72", "Chengdu", "IFS店", nil}, {81, "ST-81", "Wuhan", "楚河汉街店", nil},
}

var cnCityWeights *weighted

func init() {
	ws := make([]float64, len(cnCities))
	for i, c := range cnCities {
		ws[i] = c.weight
		for _, s := range stores {
			if s.cityEN == c.en {
				s.city = c
				c.stores = append(c.stores, s)
			}
		}
	}
	cnCityWeights = newWeighted(ws)
}

func cnAddress(r *rng, c *cnCity) address {
	d := pick(r, c.districts)
	street := pick(r, c.streets)
	if r.chance(0.2) {
		street = pick(r, genericStreets)
	}
	a := address{city: c.en, region: c.region, postcode: d.postcode, country: "CN"}
	switch r.n(3) {
	case 0:
		a.line1 = fmt.Sprintf("%s%s%d号", d.zh, street, r.between(1, 1999))
		a.line2 = fmt.Sprintf("%s%d号楼%d%02d室", pick(r, compounds), r.between(1, 30), r.between(1, 32), r.between(1, 8))
	case 1:
		a.line1 = fmt.Sprintf("%s%s%d弄%d号", d.zh, street, r.between(1, 999), r.between(1, 60))
		a.line2 = fmt.Sprintf("%d室", r.between(1, 28)*100+r.between(1, 6))
	default:
		a.line1 = fmt.Sprintf("%s%s%d号%s", d.zh, street, r.between(1, 1999), pick(r, compounds))
		a.line2 = fmt.Sprintf("%d栋%d单元%d%02d", r.between(1, 20), r.between(1, 4), r.between(1, 33), r.between(1, 4))
	}
	return a
}

type usCity struct {
	city, region string
	zips         []string
	areas        []string
	zone         *time.Location
}

var usCities = []usCity{
	{"San Francisco", "CA", []string{"94102", "94103", "94107", "94109", "94110", "94114", "94115", "94117", "94122", "94123"}, []string{"415", "628"}, zoneLA},
	{"New York", "NY", []string{"10001", "10003", "10011", "10013", "10016", "10024", "10028", "10036", "11201", "11215"}, []string{"212", "646", "917", "718"}, zoneNY},
	{"Los Angeles", "CA", []string{"90004", "90012", "90024", "90026", "90036", "90046", "90066"}, []string{"213", "310", "323"}, zoneLA},
	{"Seattle", "WA", []string{"98101", "98102", "98103", "98109", "98115", "98122"}, []string{"206"}, zoneLA},
	{"Boston", "MA", []string{"02108", "02115", "02116", "02118", "02139"}, []string{"617", "857"}, zoneNY},
}

var usStreets = strings.Fields("Market_St Valencia_St Broadway Lexington_Ave Sunset_Blvd Pine_St Madison_Ave Mission_St Elm_St Oak_St Hayes_St Columbus_Ave 5th_Ave Capitol_Hill_Rd Beacon_St")

type gbCity struct {
	city, region string
	outward      []string
}

var gbCities = []gbCity{
	{"London", "Greater London", strings.Fields("SW1A SW3 SW11 W1D W2 W11 WC2H EC1V EC2A N1 NW1 NW3 SE1 SE10 E1 E2 E14")},
	{"London", "Greater London", strings.Fields("SW1A SW3 SW11 W1D W2 W11 WC2H EC1V EC2A N1 NW1 NW3 SE1 SE10 E1 E2 E14")},
	{"Manchester", "Greater Manchester", strings.Fields("M1 M4 M15 M20")},
	{"Edinburgh", "Scotland", strings.Fields("EH1 EH3 EH8")},
}

var gbStreets = strings.Fields("Baker_Street Camden_High_Street King's_Road Upper_Street Oxford_Road Deansgate Princes_Street Portobello_Road Brick_Lane Old_Street Marylebone_High_Street Leith_Walk")

var sgStreets = strings.Fields("Ang_Mo_Kio_Ave_3 Toa_Payoh_Lor_1 Tampines_St_21 Jurong_West_St_52 Bedok_North_Ave_1 Clementi_Ave_2 Punggol_Field Bishan_St_13 Orchard_Road Tiong_Bahru_Road")

var hkPlaces = [][3]string{
	{"Nathan Road", "Tsim Sha Tsui", "Kowloon"}, {"Argyle Street", "Mong Kok", "Kowloon"},
	{"Hennessy Road", "Causeway Bay", "Hong Kong Island"}, {"Queen's Road East", "Wan Chai", "Hong Kong Island"},
	{"Caine Road", "Mid-Levels", "Hong Kong Island"}, {"Sha Tin Centre Street", "Sha Tin", "New Territories"},
	{"Castle Peak Road", "Tsuen Wan", "New Territories"}, {"King's Road", "North Point", "Hong Kong Island"},
}

var hkBuildings = strings.Fields("Sunshine_Court Harbour_View_Mansion Lok_Fu_Building Kingsford_Gardens Victoria_Tower Golden_Dragon_Court")

func us(s string) string { return strings.ReplaceAll(s, "_", " ") }

const gbInward = "ABDEFGHJLNPQRSTUWXYZ"

// overseasAddress makes an address in country; it returns the time zone too.
func overseasAddress(r *rng, country string) (address, *time.Location) {
	switch country {
	case "US":
		c := pick(r, usCities)
		a := address{line1: fmt.Sprintf("%d %s", r.between(10, 4999), us(pick(r, usStreets))), city: c.city, region: c.region, postcode: pick(r, c.zips), country: "US"}
		if r.chance(0.5) {
			a.line2 = fmt.Sprintf("Apt %d%c", r.between(1, 20), 'A'+rune(r.n(6)))
		}
		return a, c.zone
	case "GB":
		c := pick(r, gbCities)
		pc := fmt.Sprintf("%s %d%c%c", pick(r, c.outward), r.between(1, 9), gbInward[r.n(len(gbInward))], gbInward[r.n(len(gbInward))])
		a := address{city: c.city, region: c.region, postcode: pc, country: "GB"}
		if r.chance(0.6) {
			a.line1 = fmt.Sprintf("Flat %d, %d %s", r.between(1, 24), r.between(1, 240), us(pick(r, gbStreets)))
		} else {
			a.line1 = fmt.Sprintf("%d %s", r.between(1, 240), us(pick(r, gbStreets)))
		}
		return a, zoneGB
	case "SG":
		blk := r.between(100, 999)
		return address{line1: fmt.Sprintf("Blk %d %s", blk, us(pick(r, sgStreets))), line2: fmt.Sprintf("#%02d-%d", r.between(2, 25), r.between(100, 999)),
			city: "Singapore", postcode: fmt.Sprintf("%02d%04d", r.between(10, 82), blk*10+r.n(10)), country: "SG"}, zoneSG
	default: // HK has no postcodes
		pl := hkPlaces[r.n(len(hkPlaces))]
		return address{line1: fmt.Sprintf("Flat %d%c, %d/F, %s", r.between(1, 30), 'A'+rune(r.n(8)), r.between(2, 40), us(pick(r, hkBuildings))),
			line2: fmt.Sprintf("%d %s, %s", r.between(1, 500), pl[0], pl[1]), city: "Hong Kong", region: pl[2], country: "HK"}, zoneHK
	}
}

// phone is a mobile number: country calling code and national significant number.
type phone struct{ cc, nsn string }

// Mobile prefixes that libphonenumber accepts as valid Chinese mobiles.
var cnMobilePrefixes = strings.Fields("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199")

var cnPrefixWeights = func() *weighted {
	ws := make([]float64, len(cnMobilePrefixes))
	for i, p := range cnMobilePrefixes {
		ws[i] = 1
		if p[1] == '3' || p[1] == '8' {
			ws[i] = 2.5
		}
	}
	return newWeighted(ws)
}()

func newPhone(r *rng, country string, usArea []string) phone {
	switch country {
	case "US":
		exch := 0
		for exch == 0 || exch%100 == 11 || exch == 555 || exch == 950 || exch == 958 || exch == 959 || exch == 976 {
			exch = r.between(201, 989)
		}
		return phone{"1", fmt.Sprintf("%s%03d%04d", pick(r, usArea), exch, r.n(10000))}
	case "GB": // 07xx mobiles; 07911 is not an allocated range
		pair := 11
		for pair == 11 {
			pair = r.n(100)
		}
		return phone{"44", fmt.Sprintf("79%02d%s", pair, r.digits(6))}
	case "SG": // 81-88, 90-98
		if r.chance(0.5) {
			return phone{"65", fmt.Sprintf("8%d%s", r.between(1, 8), r.digits(6))}
		}
		return phone{"65", fmt.Sprintf("9%d%s", r.between(0, 8), r.digits(6))}
	case "HK": // 601-655 and 901-988 without the unallocated blocks
		if r.chance(0.3) {
			return phone{"852", fmt.Sprintf("6%d%d%s", r.between(0, 5), r.between(1, 5), r.digits(5))}
		}
		for {
			a, b := r.between(0, 8), r.between(1, 8)
			if a != 1 || b != 1 {
				return phone{"852", fmt.Sprintf("9%d%d%s", a, b, r.digits(5))}
			}
		}
	default:
		return phone{"86", cnMobilePrefixes[cnPrefixWeights.pick(r)] + r.digits(8)}
	}
}

// Phone styles by source: each source's systems write numbers their own way.
const (
	styleCRM = iota
	stylePOS
	styleWeb
	styleWeChat
)

func (ph phone) render(r *rng, style int) string {
	n := ph.nsn
	switch ph.cc {
	case "86":
		a, b, c := n[:3], n[3:7], n[7:]
		var opts []string
		var ws []float64
		switch style {
		case styleCRM:
			opts, ws = []string{n, "+86 " + a + " " + b + " " + c, "+86" + n}, []float64{50, 35, 15}
		case stylePOS:
			opts, ws = []string{a + " " + b + " " + c, a + "-" + b + "-" + c, n, "+86 " + n}, []float64{30, 20, 35, 15}
		case styleWeb:
			opts, ws = []string{n, "+86-" + a + "-" + b + "-" + c, "0086 " + a + " " + b + " " + c, "+86" + n}, []float64{60, 20, 5, 15}
		default:
			opts, ws = []string{n, "+86 " + a + " " + b + " " + c}, []float64{70, 30}
		}
		return opts[newWeighted(ws).pick(r)]
	case "1":
		a, b, c := n[:3], n[3:6], n[6:]
		return pick(r, []string{"+1 " + a + " " + b + " " + c, "+1 (" + a + ") " + b + "-" + c, "+1" + n, "+1-" + a + "-" + b + "-" + c})
	case "44":
		return pick(r, []string{"+44 " + n[:4] + " " + n[4:], "+44" + n, "+44 " + n[:4] + " " + n[4:7] + " " + n[7:]})
	default: // SG, HK: eight digits
		return pick(r, []string{"+" + ph.cc + " " + n[:4] + " " + n[4:], "+" + ph.cc + n, "+" + ph.cc + "-" + n[:4] + "-" + n[4:]})
	}
}
