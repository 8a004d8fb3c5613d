package demo

import "strings"

// cnName is a Chinese character with its pinyin (for e-mail addresses and pinyin
// spellings) and, for given-name characters, the gender it leans to: f, m or n.
type cnName struct {
	ch, py string
	g      byte
}

func parseCN(s string) []cnName {
	var out []cnName
	for _, f := range strings.Fields(s) {
		parts := strings.Split(f, ":")
		n := cnName{ch: parts[0], py: parts[1], g: 'n'}
		if len(parts) > 2 {
			n.g = parts[2][0]
		}
		out = append(out, n)
	}
	return out
}

// cnSurnames is ordered by frequency; the generator weights them by rank.
var cnSurnames = parseCN(`王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou
徐:xu 孙:sun 马:ma 朱:zhu 胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song
唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao 彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 袁:yuan 潘:pan
于:yu 蒋:jiang 蔡:cai 余:yu 杜:du 叶:ye 程:cheng 苏:su 魏:wei 吕:lv 丁:ding 任:ren 沈:shen 姚:yao
卢:lu 姜:jiang 崔:cui 钟:zhong 谭:tan 陆:lu 汪:wang 范:fan 金:jin 石:shi 廖:liao 贾:jia 夏:xia 韦:wei
付:fu 方:fang 白:bai 邹:zou 孟:meng 熊:xiong 秦:qin 邱:qiu 江:jiang 尹:yin 薛:xue 闫:yan 段:duan 雷:lei
侯:hou 龙:long 史:shi 陶:tao 黎:li 贺:he 顾:gu 毛:mao 郝:hao 龚:gong 邵:shao 万:wan 钱:qian 严:yan
覃:qin 武:wu 戴:dai 莫:mo 孔:kong 向:xiang 汤:tang 常:chang 温:wen 欧阳:ouyang 上官:shangguan`)

var cnGiven = parseCN(`丽:li:f 静:jing:f 敏:min:f 燕:yan:f 艳:yan:f 娟:juan:f 霞:xia:f 芳:fang:f 娜:na:f
秀:xiu:f 英:ying:f 慧:hui:f 巧:qiao:f 美:mei:f 婷:ting:f 雪:xue:f 琳:lin:f 晶:jing:f 欣:xin:f 怡:yi:f
佳:jia:f 颖:ying:f 倩:qian:f 雯:wen:f 萍:ping:f 红:hong:f 玲:ling:f 莉:li:f 琴:qin:f 梅:mei:f 兰:lan:f
凤:feng:f 洁:jie:f 淑:shu:f 瑶:yao:f 璐:lu:f 菲:fei:f 妍:yan:f 蕾:lei:f 薇:wei:f 媛:yuan:f 诗:shi:f
梦:meng:f 涵:han:f 萱:xuan:f 馨:xin:f 悦:yue:f 语:yu:f 彤:tong:f 月:yue:f 婉:wan:f 蓉:rong:f 珊:shan:f
曼:man:f 琪:qi:f 露:lu:f 甜:tian:f 丹:dan:f 晴:qing:f 冰:bing:f 若:ruo:f 依:yi:f 欢:huan:f 玉:yu:f
珍:zhen:f 桂:gui:f 翠:cui:f 莲:lian:f 爱:ai:f 妮:ni:f 婕:jie:f 蓓:bei:f 茜:qian:f 舒:shu:f 岚:lan:f
芸:yun:f 菁:jing:f 瑾:jin:f 嫣:yan:f 黛:dai:f 柔:rou:f 素:su:f 雅:ya:f 姗:shan:f 婧:jing:f 灵:ling:f
蕊:rui:f 荷:he:f
伟:wei:m 强:qiang:m 磊:lei:m 军:jun:m 洋:yang:m 勇:yong:m 杰:jie:m 涛:tao:m 明:ming:m 超:chao:m
刚:gang:m 辉:hui:m 鹏:peng:m 斌:bin:m 波:bo:m 浩:hao:m 凯:kai:m 健:jian:m 俊:jun:m 帅:shuai:m 旭:xu:m
龙:long:m 峰:feng:m 建:jian:m 国:guo:m 东:dong:m 亮:liang:m 成:cheng:m 志:zhi:m 海:hai:m 飞:fei:m
鑫:xin:m 博:bo:m 轩:xuan:m 昊:hao:m 泽:ze:m 睿:rui:m 航:hang:m 豪:hao:m 毅:yi:m 铭:ming:m 哲:zhe:m
辰:chen:m 诚:cheng:m 立:li:m 永:yong:m 光:guang:m 德:de:m 力:li:m 兵:bing:m 忠:zhong:m 峻:jun:m
彬:bin:m 翔:xiang:m 宏:hong:m 坤:kun:m 松:song:m 振:zhen:m 庆:qing:m 胜:sheng:m 锋:feng:m 江:jiang:m
山:shan:m 川:chuan:m 岩:yan:m 晖:hui:m 奇:qi:m 骏:jun:m 逸:yi:m 远:yuan:m 翰:han:m 宸:chen:m 皓:hao:m
煜:yu:m 琛:chen:m 瑞:rui:m 剑:jian:m 锐:rui:m 荣:rong:m 福:fu:m 贵:gui:m 卫:wei:m 武:wu:m
华:hua 文:wen 宁:ning 安:an 一:yi 子:zi 乐:le 晓:xiao 小:xiao 思:si 雨:yu 嘉:jia 可:ke 心:xin 天:tian
宇:yu 晨:chen 阳:yang 林:lin 春:chun 秋:qiu 青:qing 然:ran 新:xin 平:ping 云:yun 清:qing 家:jia
梓:zi 沐:mu 星:xing 楠:nan`)

// cnHomophones are characters that sound alike: the commonest typo in a Chinese name
// typed from pinyin.
var cnHomophones = [][2]string{
	{"明", "铭"}, {"伟", "玮"}, {"丽", "莉"}, {"静", "婧"}, {"杰", "洁"}, {"晨", "辰"}, {"浩", "昊"},
	{"琳", "林"}, {"欣", "馨"}, {"宇", "雨"}, {"婷", "庭"}, {"涛", "韬"}, {"鹏", "朋"}, {"晶", "菁"},
	{"娜", "纳"}, {"军", "君"}, {"磊", "蕾"}, {"峰", "锋"}, {"瑞", "锐"}, {"彤", "桐"}, {"怡", "仪"},
}

var latinGivenF = strings.Fields(`Emily Olivia Sophia Emma Ava Isabella Mia Charlotte Amelia Harper
Evelyn Abigail Ella Grace Chloe Lily Zoe Hannah Natalie Victoria Sarah Jessica Jennifer Laura Rachel
Rebecca Megan Lauren Katherine Alice Lucy Sophie Ellie Holly Amy Claire Fiona Rosie Freya Isla Poppy
Daisy Ruby Phoebe Eleanor Anna Maria Elena Julia Clara Nina Vanessa Michelle Angela Stephanie Nicole
Samantha Ashley Melissa Amanda Hazel Violet Aria Chelsea Joanne Karen Linda Susan Patricia Helen
Catherine Priya Aisha Chiara Ines Zoé`)

var latinGivenM = strings.Fields(`James Oliver William Benjamin Lucas Henry Alexander Daniel Matthew
Michael David Joseph Samuel Thomas Andrew Christopher Joshua Ryan Nathan Ethan Jacob Noah Liam Mason
Logan Jack Harry George Charlie Oscar Leo Arthur Freddie Alfie Archie Edward Robert John Richard Mark
Paul Steven Kevin Brian Jason Eric Adam Patrick Sean Peter Simon Martin Tom Luke Max Felix Hugo Isaac
Gabriel Anthony Jonathan Aaron Dylan Tyler Connor Owen Caleb Ian Victor Marcus Raj Arjun José Mateo`)

var latinFamily = strings.Fields(`Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez
Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen
Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Evans Turner Phillips
Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly
Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price Sanders Myers Long Ross
Foster Powell Jenkins Perry Russell Sullivan Fisher Hamilton Graham Wallace Cole West Jordan Owens
Reynolds Ellis Harrison Gibson Marshall Murray Ford Hunter Knight Palmer Lloyd Walsh Shaw Holmes Fox
Mills Hudson Patel Shah Khan Singh Kumar Fernandes D'Souza O'Brien O'Connor McDonald MacLeod Fraser
Dubois Müller Schmidt Rossi Bianchi Kowalski Novak Jensen Larsen Berg Andersson Becker Moreau Silva
Costa Duarte`)

// asianFamily are the romanised surnames common in Hong Kong and Singapore.
var asianFamily = strings.Fields(`Tan Lim Ng Wong Chan Cheung Ho Lau Leung Goh Koh Teo Chua Ong Yeo Lee
Chong Lai Yip Tsang Kwok Mak Choi Fung`)

// Nicknames seen on WeChat profiles.
var cnNickPhrases = strings.Fields(`一只小猫咪 快乐的小鱼 晴天 追风少年 月亮不睡我不睡 柠檬不酸 小太阳 奶茶续命
夏天的风 慢慢来 岁月静好 向日葵 吃货一枚 小确幸 甜甜圈 星星点灯 南风知我意 清风徐来 橘子汽水 大白兔 知足常乐
宁静致远 爱笑的眼睛 海阔天空 随遇而安 早睡早起 一路向北 春暖花开 自由自在 阳光男孩`)

var cnEnglishNick = strings.Fields(`Amy Coco Lily Cindy Vivian Grace Kevin Jason Tony Eric Leo Sunny
Cherry Angela Jessie Bella Nancy Helen Jack Michael Yoyo Lulu Momo Kiki Daisy Alex Ivy Tina`)

var nickDecor = []string{"🌸", "✨", "🍀", "🌙", "☀️", "🐱", "🍑", "🌈", "🎈", "~", "_"}

// asciiFold maps the accented letters of the name lists to plain ASCII for e-mail
// addresses, and drops anything else that is not a letter or digit.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ü':
			b.WriteString("u")
		case 'é':
			b.WriteString("e")
		default:
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
