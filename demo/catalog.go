package demo

import (
	"fmt"
	"math"
)

var categories = []string{"apparel", "shoes", "accessories", "home", "beauty", "kids"}

const (
	catApparel = iota
	catShoes
	catAccessories
	catHome
	catBeauty
	catKids
)

// term is an English/Chinese pair; n is a base price in CNY for nouns, a price
// multiplier in percent for modifiers.
type term struct {
	en, zh string
	n      int
}

var catNouns = [][]term{
	catApparel: {{"Shirt", "衬衫", 299}, {"Dress", "连衣裙", 499}, {"T-Shirt", "T恤", 129}, {"Knit Sweater", "针织毛衣", 459},
		{"Cardigan", "开衫", 399}, {"Trench Coat", "风衣", 1099}, {"Down Jacket", "羽绒服", 1299}, {"Wide-Leg Trousers", "阔腿裤", 359},
		{"Jeans", "牛仔裤", 399}, {"Blazer", "西装外套", 799}, {"Skirt", "半身裙", 299}, {"Hoodie", "卫衣", 299}, {"Qipao Dress", "改良旗袍", 899}},
	catShoes: {{"Sneakers", "运动鞋", 599}, {"Loafers", "乐福鞋", 699}, {"Ankle Boots", "短靴", 899}, {"Sandals", "凉鞋", 359},
		{"Ballet Flats", "芭蕾平底鞋", 459}, {"Canvas Shoes", "帆布鞋", 229}, {"Slippers", "拖鞋", 99}},
	catAccessories: {{"Tote Bag", "托特包", 399}, {"Crossbody Bag", "斜挎包", 599}, {"Silk Scarf", "丝巾", 359}, {"Belt", "皮带", 259},
		{"Sunglasses", "太阳镜", 459}, {"Wallet", "钱包", 329}, {"Bucket Hat", "渔夫帽", 159}, {"Earrings", "耳环", 129},
		{"Watch", "手表", 1299}, {"Socks 3-Pack", "袜子三双装", 59}, {"Hair Clip", "发夹", 39}},
	catHome: {{"Duvet Cover Set", "被套四件套", 699}, {"Bath Towel", "浴巾", 129}, {"Scented Candle", "香薰蜡烛", 159},
		{"Mug", "马克杯", 69}, {"Cushion", "抱枕", 129}, {"Throw Blanket", "毛毯", 399}, {"Table Lamp", "台灯", 599},
		{"Storage Basket", "收纳篮", 89}, {"Dinnerware Set", "餐具套装", 459}, {"Vase", "花瓶", 199}, {"Tea Towel", "茶巾", 29}, {"Coasters", "杯垫", 39}},
	catBeauty: {{"Hand Cream", "护手霜", 79}, {"Face Serum", "精华液", 399}, {"Lip Balm", "润唇膏", 59}, {"Body Lotion", "身体乳", 149},
		{"Eau de Parfum", "香水", 699}, {"Sheet Mask", "面膜", 99}, {"Shampoo", "洗发水", 119}, {"Bath Salts", "浴盐", 89}, {"Travel Kit", "旅行套装", 199}},
	catKids: {{"Kids T-Shirt", "儿童T恤", 99}, {"Kids Jacket", "儿童外套", 359}, {"Baby Romper", "婴儿连体衣", 159}, {"Kids Sneakers", "儿童运动鞋", 299},
		{"Plush Toy", "毛绒玩具", 129}, {"School Backpack", "儿童书包", 259}, {"Kids Pyjamas", "儿童睡衣", 189}, {"Baby Blanket", "婴儿毯", 199}},
}

var catMods = [][]term{
	catApparel: {{"Linen", "亚麻", 110}, {"Cotton", "纯棉", 100}, {"Silk", "真丝", 180}, {"Cashmere", "羊绒", 220}, {"Wool", "羊毛", 150},
		{"Relaxed", "宽松", 100}, {"Slim", "修身", 100}, {"Classic", "经典", 100}, {"Striped", "条纹", 95}, {"Floral", "碎花", 100},
		{"Oversized", "廓形", 105}, {"Organic Cotton", "有机棉", 120}},
	catShoes: {{"Leather", "真皮", 130}, {"Suede", "麂皮", 125}, {"Lightweight", "轻便", 100}, {"Classic", "经典", 100},
		{"Retro", "复古", 105}, {"Platform", "厚底", 110}, {"Knit", "针织", 95}},
	catAccessories: {{"Leather", "真皮", 130}, {"Mini", "迷你", 85}, {"Classic", "经典", 100}, {"Vintage", "复古", 105},
		{"Minimal", "简约", 95}, {"Woven", "编织", 110}, {"Pearl", "珍珠", 120}},
	catHome: {{"Nordic", "北欧", 100}, {"Linen", "亚麻", 115}, {"Cotton", "纯棉", 100}, {"Minimal", "简约", 95},
		{"Handmade", "手工", 130}, {"Japanese-Style", "日式", 105}, {"Velvet", "丝绒", 120}, {"Rattan", "藤编", 110}},
	catBeauty: {{"Rose", "玫瑰", 100}, {"Jasmine", "茉莉", 100}, {"Osmanthus", "桂花", 105}, {"White Tea", "白茶", 110},
		{"Green Tea", "绿茶", 95}, {"Hydrating", "保湿", 100}, {"Repair", "修护", 115}, {"Citrus", "柑橘", 95}},
	catKids: {{"Dinosaur", "恐龙", 100}, {"Rainbow", "彩虹", 100}, {"Panda", "熊猫", 105}, {"Cotton", "纯棉", 100},
		{"Cartoon", "卡通", 95}, {"Star", "星星", 100}, {"Bunny", "兔子", 100}},
}

var colours = []term{{"Black", "黑色", 0}, {"Ivory", "米白色", 0}, {"Navy", "藏青色", 0}, {"Camel", "驼色", 0}, {"Sage", "灰绿色", 0},
	{"Rose Pink", "玫瑰粉", 0}, {"Grey", "灰色", 0}, {"Oat", "燕麦色", 0}, {"Red", "红色", 0}, {"Sky Blue", "天蓝色", 0}}

type product struct {
	sku            string
	name           string // as the catalogue lists it: English or Chinese
	nameEN, nameZH string
	nounEN, nounZH string
	cat            int
	price          int // CNY
}

type catalog struct {
	products []*product
	byCat    [][]*product
	popular  []*weighted // per category, Zipf-like popularity
}

// roundPrice makes a shelf price: 19, 39, 129, 299, 1299...
func roundPrice(p float64) int {
	var v int
	if p >= 1000 {
		v = int(math.Round(p/100))*100 - 1
	} else {
		v = int(math.Round(p/10))*10 - 1
	}
	return min(max(v, 19), 1999)
}

func newCatalog(r *rng, perCat int) *catalog {
	c := &catalog{byCat: make([][]*product, len(categories)), popular: make([]*weighted, len(categories))}
	seen := map[string]bool{}
	n := 0
	for ci := range categories {
		for len(c.byCat[ci]) < perCat {
			noun := pick(r, catNouns[ci])
			mod := pick(r, catMods[ci])
			en, zh := mod.en+" "+noun.en, mod.zh+noun.zh
			if ci != catBeauty && r.chance(0.55) {
				col := pick(r, colours)
				en, zh = col.en+" "+en, col.zh+zh
			}
			if seen[en] {
				continue
			}
			seen[en] = true
			n++
			p := &product{sku: fmt.Sprintf("SKU-%04d", n), nameEN: en, nameZH: zh, nounEN: noun.en, nounZH: noun.zh, cat: ci,
				price: roundPrice(float64(noun.n) * float64(mod.n) / 100 * math.Exp(0.2*r.norm()))}
			p.name = en
			if r.chance(0.55) {
				p.name = zh
			}
			c.byCat[ci] = append(c.byCat[ci], p)
			c.products = append(c.products, p)
		}
		// Popularity: a random order of the category's products, Zipf weights.
		ws := make([]float64, perCat)
		for i, k := range r.r.Perm(perCat) {
			ws[i] = 1 / math.Pow(float64(k)+3, 1.1)
		}
		c.popular[ci] = newWeighted(ws)
	}
	return c
}

// currencies for the web shop abroad: rate from CNY and whether prices end in .99.
var currencies = map[string]struct {
	rate  float64
	cents bool
}{
	"CNY": {1, false}, "USD": {0.14, true}, "GBP": {0.11, true}, "SGD": {0.19, true}, "HKD": {1.09, false},
}

var countryCurrency = map[string]string{"CN": "CNY", "US": "USD", "GB": "GBP", "SG": "SGD", "HK": "HKD"}

// unitPrice is the price of p in currency cur, in minor units.
func unitPrice(p *product, cur string) int64 {
	c := currencies[cur]
	if cur == "CNY" || cur == "XYZ" {
		return int64(p.price) * 100
	}
	v := float64(p.price) * c.rate
	if c.cents {
		return int64(math.Ceil(v))*100 - 1
	}
	return int64(math.Ceil(v/10)) * 1000
}

func money(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}
