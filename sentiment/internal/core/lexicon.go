package core

import (
	"sort"
	"strings"
)

// Hand-written lexicons. They are part of the feature extraction, so the
// trainer and the runtime share them; changing them requires re-training
// (go generate ./sentiment).

// Intensity multipliers applied to the next content token.
var enIntensifiers = map[string]float32{
	"very": 1.3, "really": 1.3, "so": 1.25, "too": 1.3, "extremely": 1.6,
	"incredibly": 1.6, "super": 1.5, "absolutely": 1.6, "totally": 1.5,
	"completely": 1.5, "highly": 1.5, "truly": 1.4, "quite": 1.15,
	"most": 1.3, "especially": 1.3, "utterly": 1.6, "exceptionally": 1.6,
	"remarkably": 1.4, "seriously": 1.4, "insanely": 1.6, "amazingly": 1.5,
	"ridiculously": 1.5, "particularly": 1.3, "entirely": 1.4, "thoroughly": 1.4,
	"overly": 1.3, "way": 1.2, "much": 1.2,
	"slightly": 0.6, "somewhat": 0.7, "fairly": 0.8, "kinda": 0.7,
	"sorta": 0.7, "rather": 0.9, "mildly": 0.6, "bit": 0.6, "marginally": 0.6,
}

var zhIntensifiers = map[string]float32{
	"非常": 1.6, "特别": 1.6, "十分": 1.6, "极其": 1.7, "极": 1.6, "超级": 1.6,
	"超": 1.5, "太": 1.5, "最": 1.5, "巨": 1.5, "相当": 1.4, "格外": 1.5,
	"异常": 1.5, "绝对": 1.5, "实在": 1.4, "真是": 1.4, "简直": 1.5, "贼": 1.4,
	"很": 1.3, "挺": 1.2, "蛮": 1.2, "真": 1.3, "更": 1.2, "更加": 1.3,
	"如此": 1.3, "这么": 1.2, "那么": 1.2, "好生": 1.3, "非常非常": 1.8,
	"有点": 0.8, "有点儿": 0.8, "有些": 0.8, "稍微": 0.6, "稍": 0.6, "略": 0.6,
	"略微": 0.6, "一点": 0.7, "一些": 0.8, "还算": 0.8, "比较": 0.9,
}

var enNegators = map[string]bool{
	"not": true, "no": true, "never": true, "cannot": true, "nothing": true,
	"nobody": true, "none": true, "neither": true, "nor": true, "without": true,
	"hardly": true, "barely": true, "nowhere": true, "lack": true, "lacks": true,
	"lacking": true, "dont": true, "didnt": true, "doesnt": true, "isnt": true,
	"wasnt": true, "arent": true, "werent": true, "wont": true, "wouldnt": true,
	"cant": true, "couldnt": true, "shouldnt": true, "havent": true,
	"hasnt": true, "hadnt": true, "aint": true, "neednt": true,
}

var zhNegators = map[string]float32{
	// value: intensity multiplier carried with the negation
	"不": 1, "没": 1, "没有": 1, "无": 1, "非": 1, "别": 1, "未": 1, "勿": 1,
	"不是": 1, "并不": 1.1, "并没有": 1.1, "并非": 1.1, "从不": 1.2, "从没": 1.2,
	"从来不": 1.2, "从来没有": 1.2, "毫不": 1.3, "绝不": 1.3, "决不": 1.3,
	"不会": 1, "不能": 1, "不要": 1, "不太": 0.8, "不怎么": 0.8, "不大": 0.8,
	"不够": 0.9, "一点也不": 1.4, "一点都不": 1.4, "根本不": 1.4, "根本没有": 1.4,
	"毫无": 1.3, "不再": 1, "没什么": 0.9, "不算": 0.8, "谈不上": 0.9,
}

// Contrast words: what follows outweighs what precedes (in the sentence).
var enContrast = map[string]bool{
	"but": true, "however": true, "nevertheless": true, "nonetheless": true,
	"except": true, "unfortunately": true,
}

// Concessive words: the clause they open is down-weighted.
var enConcessive = map[string]bool{"although": true, "despite": true, "though": true, "albeit": true}

var zhContrast = map[string]bool{
	"但": true, "但是": true, "可是": true, "不过": true, "然而": true, "却": true,
	"只是": true, "可惜": true, "偏偏": true,
}

var zhConcessive = map[string]bool{"虽然": true, "虽": true, "尽管": true, "虽说": true}

// enOverlay complements the VADER lexicon with e-commerce / customer-service
// vocabulary (valence on VADER's -4..+4 scale). Entries override VADER.
var enOverlay = map[string]float32{
	"refund": -1.2, "refunded": -0.8, "return": -0.6, "returned": -1.0, "returning": -1.0,
	"broken": -2.0, "broke": -1.6, "breaks": -1.4, "damaged": -2.0, "defective": -2.4,
	"faulty": -2.2, "flimsy": -1.8, "cheaply": -1.4, "overpriced": -2.0, "pricey": -0.8,
	"expensive": -0.8, "scam": -2.8, "fake": -2.0, "counterfeit": -2.4, "knockoff": -1.8,
	"late": -1.2, "delayed": -1.4, "delay": -1.2, "lost": -1.2, "missing": -1.4,
	"leaking": -1.6, "leaks": -1.4, "leaky": -1.6, "useless": -2.2, "junk": -2.4,
	"crap": -2.4, "garbage": -2.4, "trash": -2.2, "waste": -2.0, "wasted": -2.0,
	"disappointed": -2.2, "disappointing": -2.2, "disappointment": -2.2,
	"unresponsive": -1.8, "rude": -2.2, "unhelpful": -1.8, "crashes": -1.8, "crash": -1.6,
	"crashed": -1.8, "buggy": -1.8, "glitchy": -1.6, "laggy": -1.6, "freezes": -1.6,
	"ripped": -1.4, "torn": -1.4, "stained": -1.4, "scratched": -1.4, "dented": -1.4,
	"worst": -3.0, "terrible": -2.8, "horrible": -2.8, "awful": -2.8, "poor": -2.0,
	"poorly": -2.0, "mediocre": -1.2, "meh": -0.8, "unusable": -2.4, "wrong": -1.4,
	"malfunction": -2.0, "malfunctioned": -2.0, "cancelled": -1.0, "canceled": -1.0,
	"overcharged": -2.2, "complaint": -1.6, "complain": -1.6, "unacceptable": -2.4,
	"sturdy": 1.6, "durable": 1.6, "comfortable": 1.8, "comfy": 1.8, "fits": 0.8,
	"recommend": 1.8, "recommended": 1.8, "worth": 1.4, "works": 1.0, "worked": 0.8,
	"fast": 1.0, "quick": 1.0, "quickly": 0.8, "prompt": 1.2, "promptly": 1.2,
	"speedy": 1.2, "helpful": 1.8, "friendly": 1.8, "polite": 1.4, "affordable": 1.4,
	"cheap": 0.2, "bargain": 1.4, "reliable": 1.8, "flawless": 2.6, "flawlessly": 2.4,
	"excellent": 3.0, "perfect": 3.0, "perfectly": 2.6, "awesome": 3.0, "love": 3.0,
	"loved": 2.8, "loves": 2.6, "great": 2.8, "good": 2.0, "nice": 2.0, "happy": 2.4,
	"satisfied": 2.0, "pleased": 2.0, "slow": -1.2, "slowly": -1.0, "sloppy": -1.8,
	"smelly": -1.6, "stinks": -2.0, "noisy": -1.2, "uncomfortable": -1.8, "itchy": -1.4,
	"tight": -0.4, "loose": -0.4, "fell": -0.4, "apart": -0.6, "stopped": -1.0,
	"dead": -1.6, "died": -1.6, "doa": -2.4, "lousy": -2.4, "shoddy": -2.4,
	"well-made": 2.0, "well": 0.6, "sucks": -2.4, "sucked": -2.4,
	"crashing": -1.8, "freezing": -1.4, "lagging": -1.4, "glitching": -1.6, "glitch": -1.4,
	"bug": -1.2, "bugs": -1.2, "unreliable": -2.0, "overcharge": -2.0, "ripoff": -2.6,
}

// enPhrases: two-word phrases with their own valence (no negation flip).
var enPhrases = map[string]map[string]float32{
	"never":   {"again": -2.6, "arrived": -2.6, "received": -2.4, "came": -2.2, "showed": -2.0, "buying": -2.4, "ordering": -2.4},
	"not":     {"working": -2.2, "buy": -2.6, "work": -2.2, "worth": -2.0, "arrived": -2.4, "received": -2.2},
	"doesnt":  {"work": -2.2, "fit": -1.6},
	"didnt":   {"work": -2.2, "fit": -1.6, "arrive": -2.4},
	"dont":    {"buy": -2.6, "bother": -2.2, "waste": -2.4},
	"stopped": {"working": -2.4},
	"fell":    {"apart": -2.4},
	"waste":   {"of": -2.0},
	"money":   {"back": -1.6},
	"highly":  {"recommend": 2.8, "recommended": 2.8},
	"five":    {"stars": 2.6},
	"one":     {"star": -2.4},
	"rip":     {"off": -2.6},
	"ripped":  {"off": -2.6},
	"no":      {"problems": 1.6, "problem": 1.4, "issues": 1.6, "complaints": 1.8},
	"too":     {"expensive": -2.2, "small": -1.6, "big": -1.4, "large": -1.2, "slow": -2.0, "late": -2.0},
	"would":   {"recommend": 2.2},
	"wouldnt": {"recommend": -2.4},
	"as":      {"described": 1.6, "advertised": 1.6, "expected": 0.8},
	"arrived": {"late": -2.0, "damaged": -2.6, "broken": -2.6, "quickly": 1.6, "early": 1.8},
}

// zhPhrases: two-word Chinese phrases (after segmentation).
var zhPhrases = map[string]map[string]float32{
	"不":  {"值": -2.4, "推荐": -2.4, "满意": -2.6, "行": -2.0},
	"没":  {"收到": -2.2},
	"没有": {"收到": -2.2},
}

// zhLexicon: hand-written Chinese sentiment words (valence -4..+4).
var zhLexicon = map[string]float32{
	// positive
	"好": 1.8, "很好": 2.4, "不错": 2.0, "挺好": 2.0, "满意": 2.4, "非常满意": 3.0, "喜欢": 2.2,
	"推荐": 2.0, "值得": 1.8, "值": 1.2, "棒": 2.6, "很棒": 3.0, "赞": 2.6, "点赞": 2.6, "给力": 2.4,
	"完美": 3.0, "优秀": 2.6, "精美": 2.2, "漂亮": 2.2, "好看": 2.2, "美观": 2.0,
	"舒服": 2.2, "舒适": 2.2, "方便": 1.8, "实用": 1.8, "好用": 2.2, "耐用": 2.0,
	"结实": 1.8, "牢固": 1.6, "清晰": 1.6, "流畅": 2.0, "稳定": 1.6, "划算": 2.0,
	"实惠": 2.0, "便宜": 1.2, "物美价廉": 2.8, "性价比高": 2.6, "超值": 2.6, "正品": 1.8,
	"及时": 1.6, "迅速": 1.6, "快": 1.2, "很快": 1.8, "神速": 2.4, "准时": 1.6,
	"热情": 2.0, "周到": 2.0, "耐心": 1.8, "贴心": 2.2, "专业": 1.6, "礼貌": 1.6,
	"好评": 2.6, "五星": 2.4, "惊喜": 2.4, "开心": 2.4, "高兴": 2.4, "愉快": 2.2,
	"感谢": 1.8, "谢谢": 1.4, "精致": 2.2, "干净": 1.8, "整洁": 1.8, "安静": 1.2,
	"合身": 2.0, "合适": 1.6, "柔软": 1.4, "好吃": 2.4, "新鲜": 1.6, "靠谱": 2.2,
	"放心": 1.8, "信赖": 2.0, "满分": 2.8, "回购": 2.0, "必买": 2.4, "完好": 1.8,
	"完好无损": 2.2, "严实": 1.6, "严密": 1.4, "细致": 1.8, "到位": 1.8, "一流": 2.6,
	"出色": 2.6, "优质": 2.4, "上档次": 2.2, "大气": 1.8, "物超所值": 2.8, "强": 1.4,
	"喜爱": 2.4, "值得购买": 2.6, "值得推荐": 2.6, "很满意": 2.8, "好极了": 3.0,
	// negative
	"差": -2.4, "很差": -2.8, "太差": -3.0, "差劲": -2.8, "烂": -2.6, "垃圾": -3.0,
	"失望": -2.6, "很失望": -3.0, "后悔": -2.4, "糟糕": -2.8, "糟": -2.2, "恶心": -2.8,
	"难用": -2.4, "难看": -2.2, "难吃": -2.4, "难闻": -2.2, "不好": -2.0, "不行": -2.0,
	"慢": -1.4, "很慢": -2.0, "太慢": -2.4, "贵": -1.6, "太贵": -2.0, "坑": -2.4, "坑人": -2.8,
	"骗": -2.6, "骗人": -2.8, "骗子": -3.0, "欺骗": -2.8, "假货": -2.8, "假": -1.6,
	"破": -1.6, "破损": -2.4, "损坏": -2.4, "坏": -2.0, "坏了": -2.2, "碎": -1.8,
	"瑕疵": -1.8, "划痕": -1.6, "色差": -1.6, "起球": -1.8, "掉色": -1.8, "褪色": -1.6,
	"开线": -1.8, "异味": -2.0, "刺鼻": -2.2, "粗糙": -1.8, "劣质": -2.8, "次品": -2.8,
	"山寨": -2.4, "退货": -1.6, "退款": -1.4, "换货": -1.2, "投诉": -2.4, "差评": -2.8,
	"敷衍": -2.2, "冷漠": -2.2, "态度差": -2.8, "恶劣": -3.0, "无语": -2.2, "郁闷": -2.2,
	"生气": -2.4, "气愤": -2.8, "愤怒": -2.8, "不满": -2.2, "不满意": -2.6, "麻烦": -1.4,
	"卡顿": -2.0, "卡": -1.2, "闪退": -2.4, "死机": -2.4, "故障": -2.2, "问题": -0.8,
	"毛病": -1.8, "噪音": -1.6, "吵": -1.6, "脏": -2.0, "旧": -1.2, "二手": -1.6,
	"偏大": -0.8, "偏小": -0.8, "不合身": -2.0, "磨脚": -1.8, "漏": -1.6, "漏水": -2.2,
	"缺": -1.0, "少发": -2.2, "漏发": -2.2, "发错": -2.2, "延迟": -1.6, "迟迟": -1.6,
	"拖": -1.2, "不值": -2.2, "不值得": -2.4, "上当": -2.6, "受骗": -2.6, "忽悠": -2.4,
	"浪费": -2.0, "无用": -2.0, "没用": -2.0, "鸡肋": -1.8, "一般": -0.6, "一般般": -1.0,
	"凑合": -0.6, "将就": -0.8, "遗憾": -1.6, "可惜": -1.2, "伤心": -2.2, "痛苦": -2.4,
	"难受": -2.2, "讨厌": -2.6, "烦": -1.8, "慢死": -2.6, "最差": -3.0, "极差": -3.0,
	"不推荐": -2.4, "别买": -2.8, "千万别买": -3.2, "不会再买": -2.8, "再也不": -2.4,
}

// Emoji and emoticon valences (-4..+4). Written by hand for this package.
var emojiLexicon = map[string]float32{
	"😀": 2.2, "😃": 2.2, "😄": 2.4, "😁": 2.2, "😆": 2.2, "😅": 0.8, "😂": 1.8, "🤣": 1.8,
	"😊": 2.4, "🙂": 1.4, "😉": 1.4, "😍": 3.0, "🥰": 3.0, "😘": 2.4, "😋": 2.0, "😎": 1.8,
	"🤩": 3.0, "🥳": 2.6, "😇": 2.0, "☺": 2.0, "🤗": 2.2, "😻": 2.6, "😺": 1.6, "😸": 1.8,
	"👍": 2.2, "👌": 1.8, "👏": 2.0, "🙌": 2.2, "💪": 1.6, "🤝": 1.4, "✌": 1.2, "🙏": 1.0,
	"❤": 2.6, "💕": 2.6, "💖": 2.6, "💗": 2.4, "💓": 2.4, "💞": 2.4, "💘": 2.4, "💝": 2.4,
	"💙": 2.2, "💚": 2.2, "💛": 2.2, "🧡": 2.2, "💜": 2.2, "♥": 2.4, "😌": 1.2,
	"⭐": 1.8, "🌟": 2.0, "✨": 1.6, "🎉": 2.2, "🎊": 2.0, "💯": 2.4, "🔥": 1.2, "🏆": 2.0,
	"✅": 1.2, "🆗": 0.8, "🌹": 1.4, "🎁": 1.2, "😏": 0.2, "🤔": -0.4, "😐": -0.4, "😑": -0.8,
	"😒": -1.8, "🙄": -1.6, "😬": -1.0, "😕": -1.4, "🙁": -1.8, "☹": -2.0, "😟": -1.8,
	"😞": -2.2, "😔": -1.8, "😢": -2.2, "😭": -2.4, "😥": -1.8, "😓": -1.6, "😩": -2.2,
	"😫": -2.2, "😤": -2.2, "😠": -2.8, "😡": -3.0, "🤬": -3.4, "👿": -2.8, "💢": -2.2,
	"😱": -1.8, "😨": -1.8, "😰": -1.8, "😖": -2.2, "😣": -1.8, "🤮": -3.0, "🤢": -2.6,
	"💩": -2.6, "👎": -2.4, "💔": -2.6, "❌": -1.6, "🚫": -1.4, "⚠": -1.0, "😷": -1.0,
	"🤦": -1.8, "😪": -1.0, "😴": -0.6, "🥱": -1.0, "😳": -0.6, "😮": 0.0, "😲": 0.2,
	"🥺": -0.8, "😿": -2.0, "🙃": -0.4, "🤡": -1.8, "🖕": -3.2, "👊": -0.6,
	":)": 2.0, ":-)": 2.0, ":]": 1.8, ":d": 2.4, ":-d": 2.4, "=)": 1.8, ";)": 1.4,
	";-)": 1.4, "<3": 2.6, ":p": 1.0, ":-p": 1.0, "^_^": 2.0, "^^": 1.6, "xd": 1.6,
	":(": -2.0, ":-(": -2.0, ":'(": -2.4, ":[": -1.8, ":/": -1.0, ":-/": -1.0,
	">:(": -2.8, "-_-": -1.2, "</3": -2.4, "=(": -1.8, "t_t": -2.0, "orz": -1.0,
}

// Aspect names.
const (
	AspectDelivery  = "delivery"
	AspectPrice     = "price"
	AspectQuality   = "quality"
	AspectService   = "service"
	AspectFit       = "fit"
	AspectApp       = "app"
	AspectPackaging = "packaging"
)

// AspectOrder fixes the order in which aspects are reported.
var AspectOrder = []string{AspectDelivery, AspectPrice, AspectQuality, AspectService, AspectFit, AspectApp, AspectPackaging}

// enAspects: single lowercase words (matched against tokens).
var enAspects = map[string]string{
	"delivery": AspectDelivery, "deliveries": AspectDelivery, "delivered": AspectDelivery,
	"shipping": AspectDelivery, "shipment": AspectDelivery, "shipped": AspectDelivery,
	"ship": AspectDelivery, "courier": AspectDelivery, "arrived": AspectDelivery,
	"arrival": AspectDelivery, "dispatch": AspectDelivery, "dispatched": AspectDelivery,
	"parcel": AspectDelivery, "postage": AspectDelivery, "tracking": AspectDelivery,
	"ups": AspectDelivery, "fedex": AspectDelivery, "dhl": AspectDelivery, "usps": AspectDelivery,
	"price": AspectPrice, "prices": AspectPrice, "priced": AspectPrice, "pricing": AspectPrice,
	"cost": AspectPrice, "costs": AspectPrice, "expensive": AspectPrice, "cheap": AspectPrice,
	"cheaper": AspectPrice, "overpriced": AspectPrice, "pricey": AspectPrice,
	"affordable": AspectPrice, "bargain": AspectPrice, "value": AspectPrice, "money": AspectPrice,
	"discount": AspectPrice, "deal": AspectPrice, "$": AspectPrice,
	"quality": AspectQuality, "durable": AspectQuality, "durability": AspectQuality,
	"sturdy": AspectQuality, "flimsy": AspectQuality, "material": AspectQuality,
	"materials": AspectQuality, "build": AspectQuality, "craftsmanship": AspectQuality,
	"defective": AspectQuality, "faulty": AspectQuality, "broke": AspectQuality,
	"broken": AspectQuality, "well-made": AspectQuality, "stitching": AspectQuality,
	"service": AspectService, "support": AspectService, "staff": AspectService,
	"seller": AspectService, "agent": AspectService, "representative": AspectService,
	"rep": AspectService, "waiter": AspectService, "waitress": AspectService,
	"helpdesk": AspectService, "cashier": AspectService, "manager": AspectService,
	"size": AspectFit, "sizes": AspectFit, "sizing": AspectFit, "fit": AspectFit,
	"fits": AspectFit, "fitting": AspectFit, "colour": AspectFit, "color": AspectFit,
	"colours": AspectFit, "colors": AspectFit, "small": AspectFit, "tight": AspectFit,
	"loose": AspectFit, "large": AspectFit,
	"app": AspectApp, "apps": AspectApp, "website": AspectApp, "site": AspectApp,
	"checkout": AspectApp, "login": AspectApp, "interface": AspectApp, "ui": AspectApp,
	"crashes": AspectApp, "crashed": AspectApp, "webpage": AspectApp, "online": AspectApp,
	"packaging": AspectPackaging, "packaged": AspectPackaging, "package": AspectDelivery, "packages": AspectDelivery,
	"packing": AspectPackaging, "box": AspectPackaging, "boxes": AspectPackaging, "wrapping": AspectPackaging,
	"wrapped": AspectPackaging, "bubble": AspectPackaging,
}

// enAspectPhrases: multi-word phrases (space separated, lowercase tokens).
var enAspectPhrases = map[string]string{
	"customer service": AspectService, "customer support": AspectService,
	"customer care": AspectService, "value for money": AspectPrice,
	"fell apart": AspectQuality, "true to size": AspectFit, "too small": AspectFit,
	"too big": AspectFit, "too large": AspectFit, "web site": AspectApp,
	"mobile app": AspectApp, "on time": AspectDelivery,
}

// zhAspects: substrings matched in Chinese clauses (ASCII entries are
// matched case-insensitively because text is lower-cased).
var zhAspects = map[string]string{
	"快递": AspectDelivery, "物流": AspectDelivery, "发货": AspectDelivery, "送货": AspectDelivery,
	"配送": AspectDelivery, "到货": AspectDelivery, "派送": AspectDelivery, "顺丰": AspectDelivery,
	"送达": AspectDelivery, "收货": AspectDelivery, "运输": AspectDelivery, "邮寄": AspectDelivery,
	"送到": AspectDelivery, "圆通": AspectDelivery, "中通": AspectDelivery, "申通": AspectDelivery,
	"韵达": AspectDelivery, "京东物流": AspectDelivery, "发货速度": AspectDelivery,
	"价格": AspectPrice, "价钱": AspectPrice, "贵": AspectPrice, "便宜": AspectPrice,
	"性价比": AspectPrice, "划算": AspectPrice, "实惠": AspectPrice, "价位": AspectPrice,
	"优惠": AspectPrice, "降价": AspectPrice, "价廉": AspectPrice, "涨价": AspectPrice,
	"质量": AspectQuality, "做工": AspectQuality, "品质": AspectQuality, "材质": AspectQuality,
	"质感": AspectQuality, "耐用": AspectQuality, "用料": AspectQuality, "质地": AspectQuality,
	"做得": AspectQuality, "手感": AspectQuality, "结实": AspectQuality, "劣质": AspectQuality,
	"客服": AspectService, "服务": AspectService, "售后": AspectService, "态度": AspectService,
	"店家": AspectService, "卖家": AspectService, "商家": AspectService, "前台": AspectService,
	"服务员": AspectService, "掌柜": AspectService, "店主": AspectService,
	"尺码": AspectFit, "大小": AspectFit, "尺寸": AspectFit, "码数": AspectFit, "合身": AspectFit,
	"偏大": AspectFit, "偏小": AspectFit, "颜色": AspectFit, "色差": AspectFit, "版型": AspectFit,
	"尺码表": AspectFit, "款式": AspectFit, "肥大": AspectFit, "紧身": AspectFit,
	"网站": AspectApp, "官网": AspectApp, "页面": AspectApp, "应用": AspectApp,
	"软件": AspectApp, "界面": AspectApp, "闪退": AspectApp, "网页": AspectApp, "小程序": AspectApp,
	"登录": AspectApp, "客户端": AspectApp,
	"包装": AspectPackaging, "盒子": AspectPackaging, "外包装": AspectPackaging,
	"包装盒": AspectPackaging, "箱子": AspectPackaging, "纸箱": AspectPackaging,
	"泡沫": AspectPackaging, "封口": AspectPackaging, "破损": AspectPackaging,
}

// Complaint cues. Strong cues mark a complaint unless the text is clearly
// positive; weak cues only when the text is negative.
var enComplaintStrong = []string{
	"complain", "complaint", "complained", "scam", "fraud", "ripped off", "rip off", "rip-off",
	"never again", "never buy", "never order", "never shop", "worst", "unacceptable",
	"money back", "lawyer", "lawsuit", "report you", "chargeback", "disgusted", "ridiculous",
}

var enComplaintWeak = []string{
	"refund", "return", "returned", "broken", "broke", "damaged", "defective", "missing",
	"doesn't work", "does not work", "not working", "stopped working", "never arrived",
	"never received", "wrong item", "wrong size", "cancel", "charged twice", "late",
	"faulty", "waste of money", "terrible", "horrible", "awful", "useless", "disappointed",
	"rude", "fake", "poor",
}

var zhComplaintStrong = []string{
	"投诉", "差评", "举报", "骗子", "欺骗", "坑人", "黑心", "12315", "维权", "再也不",
	"最差", "垃圾", "骗人", "不会再买", "千万别买", "别买", "上当",
}

var zhComplaintWeak = []string{
	"退货", "退款", "退钱", "换货", "赔偿", "破损", "坏了", "损坏", "质量问题", "假货",
	"少发", "漏发", "发错", "没收到", "不发货", "太慢", "失望", "后悔", "态度差", "不满",
	"问题", "故障", "坑",
}

// EnOverlay, ZhLexicon etc. are exported read-only views for the trainer.
func EnOverlay() map[string]float32 { return enOverlay }

// ZhLexiconWords lists words that the segmenter dictionary must contain.
func ZhLexiconWords() []string {
	var out []string
	for w := range zhLexicon {
		out = append(out, w)
	}
	for w := range zhIntensifiers {
		out = append(out, w)
	}
	for w := range zhNegators {
		out = append(out, w)
	}
	for w, ok := range zhContrast {
		if ok {
			out = append(out, w)
		}
	}
	for w := range zhConcessive {
		out = append(out, w)
	}
	for w := range zhAspects {
		out = append(out, w)
	}
	out = append(out, zhComplaintStrong...)
	out = append(out, zhComplaintWeak...)
	return out
}

// EnAspectWord maps a single English token to its aspect.
func EnAspectWord(w string) (string, bool) {
	a, ok := enAspects[w]
	return a, ok
}

// EnAspectPhrases returns the multi-word English aspect phrases.
func EnAspectPhrases() map[string]string { return enAspectPhrases }

// EnComplaintCues maps English complaint cue phrases to "strong" or "weak".
func EnComplaintCues() map[string]string {
	m := make(map[string]string, len(enComplaintStrong)+len(enComplaintWeak))
	for _, c := range enComplaintWeak {
		m[c] = "weak"
	}
	for _, c := range enComplaintStrong {
		m[c] = "strong"
	}
	return m
}

// Keyword is an aspect keyword.
type Keyword struct{ Word, Aspect string }

// ZhAspectKeywords lists the Chinese aspect keywords, sorted.
func ZhAspectKeywords() []Keyword {
	out := make([]Keyword, 0, len(zhAspects))
	for w, a := range zhAspects {
		out = append(out, Keyword{w, a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Word < out[j].Word })
	return out
}

// ZhComplaintCues reports whether normalised text contains strong or weak
// Chinese complaint cues.
func ZhComplaintCues(norm string) (strong, weak bool) {
	for _, c := range zhComplaintStrong {
		if strings.Contains(norm, c) {
			strong = true
			break
		}
	}
	for _, c := range zhComplaintWeak {
		if strings.Contains(norm, c) {
			weak = true
			break
		}
	}
	return
}
