package demo

import (
	"strconv"
	"strings"
)

// Sentiments and topics of feedback text.
const (
	sentPos = "positive"
	sentNeg = "negative"
	sentMix = "mixed"
	sentAsk = "question"
)

type tmpl struct {
	lang, sent, topic, text string
}

// Slots: {product} {days} {n} {city} {store} {emoji}.
var templates = []tmpl{
	// Chinese, positive
	{"zh", sentPos, "quality", "{product}质量很好，做工精细，超出预期！{emoji}"},
	{"zh", sentPos, "delivery", "物流很快，{days}天就到了，包装也很仔细。"},
	{"zh", sentPos, "size", "尺码很标准，穿着很舒服，会回购。"},
	{"zh", sentPos, "service", "客服态度很好，耐心解答问题，点赞{emoji}"},
	{"zh", sentPos, "price", "性价比很高，活动价入手很划算。"},
	{"zh", sentPos, "app", "小程序下单很方便，页面也好看。"},
	{"zh", sentPos, "quality", "面料很舒服，颜色和图片一样，很喜欢。"},
	{"zh", sentPos, "service", "{store}的店员很专业，搭配建议很实用。"},
	{"zh", sentPos, "quality", "第{n}次买了，一如既往的好。"},
	{"zh", sentPos, "quality", "不错不错，{product}很百搭，推荐！{emoji}"},
	{"zh", sentPos, "delivery", "发货速度快，{city}第二天就收到了。"},
	{"zh", sentPos, "price", "价格不贵，质量却一点也不差。"},
	{"zh", sentPos, "quality", "买给家人的，大家都很满意。"},
	{"zh", sentPos, "service", "退换货很顺利，没有任何麻烦。"},
	// Chinese, negative
	{"zh", sentNeg, "delivery", "等了{days}天才到货，物流太慢了。"},
	{"zh", sentNeg, "quality", "{product}质量一般，洗了一次就起球了，不太满意。"},
	{"zh", sentNeg, "size", "尺码偏小，完全穿不上，只能退货。"},
	{"zh", sentNeg, "service", "客服回复很慢，问题一直没有解决。{emoji}"},
	{"zh", sentNeg, "price", "价格太贵了，不值这个钱。"},
	{"zh", sentNeg, "app", "App老是闪退，付款的时候卡住了。"},
	{"zh", sentNeg, "quality", "收到的颜色和图片差很多，很失望{emoji}"},
	{"zh", sentNeg, "delivery", "包装破损，里面的{product}也坏了。"},
	{"zh", sentNeg, "service", "退款申请了{days}天还没处理，非常不满意！"},
	{"zh", sentNeg, "quality", "不会再买了，做工太粗糙。"},
	{"zh", sentNeg, "app", "网站上的库存信息不准确，下单后又说没货。"},
	{"zh", sentNeg, "service", "{store}的店员态度冷淡，体验很差。"},
	{"zh", sentNeg, "price", "刚买完就降价了，也不给保价，感觉被坑了。"},
	{"zh", sentNeg, "size", "鞋子磨脚，穿了一天就不想穿了。"},
	// Chinese, mixed
	{"zh", sentMix, "delivery", "{product}还可以，就是物流有点慢。"},
	{"zh", sentMix, "price", "质量不错，但是价格有点贵。"},
	{"zh", sentMix, "size", "款式好看，可惜尺码偏大。"},
	{"zh", sentMix, "service", "东西挺好的，客服态度一般。"},
	{"zh", sentMix, "quality", "整体还行，没有想象中那么好。"},
	{"zh", sentMix, "price", "不算便宜，但质量对得起价格。"},
	{"zh", sentMix, "app", "页面设计不错，但结算流程太复杂。"},
	{"zh", sentMix, "quality", "一般般吧，中规中矩。{emoji}"},
	{"zh", sentMix, "quality", "有点色差，不过穿着还算舒服。"},
	{"zh", sentMix, "delivery", "快递挺快的，可是包装太简陋了。"},
	{"zh", sentMix, "size", "不是不好，只是不太适合我。"},
	{"zh", sentMix, "price", "活动力度不大，东西倒是不错。"},
	// Chinese, questions (support tickets)
	{"zh", sentAsk, "delivery", "请问订单什么时候发货？"},
	{"zh", sentAsk, "delivery", "怎么修改收货地址？"},
	{"zh", sentAsk, "service", "会员积分怎么使用？"},
	{"zh", sentAsk, "size", "{product}有没有大一码的？"},
	{"zh", sentAsk, "price", "发票怎么开？"},
	{"zh", sentAsk, "service", "想咨询一下退换货政策。"},
	{"zh", sentAsk, "app", "App登录不了，提示验证码错误。"},
	// English, positive
	{"en", sentPos, "quality", "Love the {product}! Great quality and fits perfectly {emoji}"},
	{"en", sentPos, "delivery", "Arrived in {days} days, well packed. Very happy."},
	{"en", sentPos, "size", "True to size and really comfortable. Will buy again."},
	{"en", sentPos, "service", "Customer service was super helpful and quick to reply."},
	{"en", sentPos, "price", "Great value for money, especially during the sale."},
	{"en", sentPos, "app", "The app makes ordering so easy, smooth checkout."},
	{"en", sentPos, "quality", "Not bad at all - the fabric feels premium."},
	{"en", sentPos, "service", "Staff at the {store} store gave me great styling advice."},
	{"en", sentPos, "quality", "Order number {n} and still impressed."},
	{"en", sentPos, "quality", "Beautiful design, exactly like the photos {emoji}"},
	{"en", sentPos, "delivery", "Fast delivery to {city}, no complaints."},
	{"en", sentPos, "price", "Can't fault it, excellent quality for the price."},
	{"en", sentPos, "quality", "Bought the {product} as a gift and they loved it."},
	{"en", sentPos, "service", "Return was painless and the refund came quickly."},
	// English, negative
	{"en", sentNeg, "delivery", "Took {days} days to arrive. Way too slow."},
	{"en", sentNeg, "quality", "The {product} started pilling after one wash. Not happy."},
	{"en", sentNeg, "size", "Runs really small, had to return it."},
	{"en", sentNeg, "service", "Support never answered my emails. Terrible service {emoji}"},
	{"en", sentNeg, "price", "Overpriced for what you get. Not worth it."},
	{"en", sentNeg, "app", "The website kept crashing at checkout."},
	{"en", sentNeg, "quality", "Colour is nothing like the picture. Disappointed {emoji}"},
	{"en", sentNeg, "delivery", "Parcel arrived damaged and the {product} was broken."},
	{"en", sentNeg, "service", "Still waiting for my refund after {days} days!"},
	{"en", sentNeg, "quality", "Poor stitching, won't buy again."},
	{"en", sentNeg, "app", "Ordered an item shown in stock, then it got cancelled."},
	{"en", sentNeg, "service", "Rude staff in the {store} store, really bad experience."},
	{"en", sentNeg, "price", "Price dropped a week after I bought it and no price match."},
	{"en", sentNeg, "size", "These hurt, couldn't wear them for more than an hour."},
	// English, mixed
	{"en", sentMix, "delivery", "The {product} is fine, but delivery was slow."},
	{"en", sentMix, "price", "Good quality but a bit pricey."},
	{"en", sentMix, "size", "Nice style, but sizing runs large."},
	{"en", sentMix, "service", "Product is good, customer service not so much."},
	{"en", sentMix, "quality", "It's okay, not as good as I expected."},
	{"en", sentMix, "price", "Not cheap, but the quality justifies the price."},
	{"en", sentMix, "app", "Nice website, but the checkout is confusing."},
	{"en", sentMix, "quality", "Average. Does the job {emoji}"},
	{"en", sentMix, "quality", "Slight colour difference, still comfortable though."},
	{"en", sentMix, "delivery", "Quick shipping, but the packaging was flimsy."},
	{"en", sentMix, "size", "Not bad, just not really my style."},
	{"en", sentMix, "price", "The discount was small, but the product is decent."},
	// English, questions
	{"en", sentAsk, "delivery", "When will my order ship?"},
	{"en", sentAsk, "delivery", "How do I change my delivery address?"},
	{"en", sentAsk, "service", "How can I use my loyalty points?"},
	{"en", sentAsk, "size", "Do you have the {product} in a larger size?"},
	{"en", sentAsk, "price", "Can I get an invoice for my order?"},
	{"en", sentAsk, "service", "What is your return policy?"},
	{"en", sentAsk, "app", "I can't log in to the app, the code never arrives."},
}

// postTemplates are WeChat moments: promotional (positive), or a warning (negative).
var postTemplates = []tmpl{
	{"zh", sentPos, "", "今日穿搭：{product} {emoji}"},
	{"zh", sentPos, "", "新入手的{product}，太爱了！{emoji}"},
	{"zh", sentPos, "", "{store}新品上架了，姐妹们快去看看"},
	{"zh", sentPos, "", "周末逛街收获满满 {emoji}"},
	{"zh", sentPos, "", "真心推荐这款{product}，质感很好"},
	{"zh", sentPos, "", "姐妹们，这个{product}冲！{emoji}"},
	{"zh", sentPos, "", "双十一囤货清单来啦，{product}必入"},
	{"zh", sentPos, "", "被问了无数次链接的{product}来了"},
	{"zh", sentMix, "", "{product}还行吧，没有宣传的那么惊艳"},
	{"zh", sentNeg, "", "{product}踩雷了，大家慎买 {emoji}"},
	{"zh", sentNeg, "", "再也不买了，售后太让人失望"},
	{"en", sentPos, "", "OOTD with my new {product} {emoji}"},
	{"en", sentPos, "", "Obsessed with this {product}!"},
	{"en", sentPos, "", "New arrivals at the {store} store, go check them out"},
	{"en", sentPos, "", "Weekend haul {emoji}"},
	{"en", sentPos, "", "Highly recommend the {product}, feels so premium"},
	{"en", sentPos, "", "You asked, here it is: the {product} everyone loves"},
	{"en", sentMix, "", "The {product} is okay, not as amazing as the ads"},
	{"en", sentNeg, "", "Skip the {product}, quality is meh {emoji}"},
	{"en", sentNeg, "", "Never again, the after-sales service was awful"},
}

var emojis = map[string][]string{
	sentPos: {"👍", "😍", "❤️", "✨", "🥰", "💯"},
	sentNeg: {"😡", "👎", "😤", "🙄", "💔"},
	sentMix: {"😅", "🤔", "😐"},
	sentAsk: {"🙏"},
}

// textIndex groups templates by language and sentiment.
type textIndex map[string][]int

func indexTemplates(ts []tmpl) textIndex {
	ix := textIndex{}
	for i, t := range ts {
		k := t.lang + "/" + t.sent
		ix[k] = append(ix[k], i)
	}
	return ix
}

var (
	templateIndex = indexTemplates(templates)
	postIndex     = indexTemplates(postTemplates)
)

type slots struct {
	product, city, store string
	days, n              int
}

// writeText fills a template of the given language and sentiment, preferring topic.
func writeText(r *rng, ts []tmpl, ix textIndex, lang, sent, topic string, s slots) string {
	cands := ix[lang+"/"+sent]
	if topic != "" && r.chance(0.7) {
		var on []int
		for _, i := range cands {
			if ts[i].topic == topic {
				on = append(on, i)
			}
		}
		if len(on) > 0 {
			cands = on
		}
	}
	t := ts[pick(r, cands)].text
	emoji := ""
	if r.chance(0.4) {
		emoji = pick(r, emojis[sent])
	}
	product := s.product
	if product == "" {
		if lang == "zh" {
			product = "这款"
		} else {
			product = "item"
		}
	}
	rep := strings.NewReplacer("{product}", product, "{city}", s.city, "{store}", s.store,
		"{days}", strconv.Itoa(max(s.days, 1)), "{n}", strconv.Itoa(max(s.n, 2)), "{emoji}", emoji)
	out := strings.TrimSpace(rep.Replace(t))
	if !strings.Contains(t, "{emoji}") && r.chance(0.08) {
		out += pick(r, emojis[sent])
	}
	return out
}
