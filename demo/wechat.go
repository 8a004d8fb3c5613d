package demo

// What a WeChat account tells the brand about its person.
//
// The brand's official account, mini-programme and app are bound to one WeChat Open
// Platform account, so WeChat gives every follower the same unionid in all of them. The
// follower record (source "wechat") always carries it. The shop account (source "web":
// web shop, app and mini-programme) carries it too when the person signed in with WeChat
// there: the mini-programme signs everyone in with WeChat, and in the web shop and app
// "log in with WeChat" is the usual choice in China and a rare one abroad. A follower
// who authorised the phone number (WeChat's one-tap phone authorisation at member
// sign-up, or a member-card activation) carries that phone. Everyone else is an
// anonymous follower: a nickname, maybe a gender and a city, nothing of the person.
//
// The shares are assumptions in the range brands describe, not measured figures: most
// followers never become identified members, those who use the mini-programme shop mostly
// are, and phone authorisation is asked for at member sign-up, so it is far more common
// among people who signed in with WeChat than among other followers.
const (
	// wechatLoginCN: share of the people in mainland China with a shop account and a
	// follower account who signed in to the shop with WeChat (besides everyone who used the
	// mini-programme, who always did).
	wechatLoginCN = 0.45
	// wechatLoginAbroad: the same outside mainland China, where WeChat login is rare.
	wechatLoginAbroad = 0.1
	// phoneAuthorisedMember: share of the followers signed in with WeChat who authorised
	// their phone at member sign-up.
	phoneAuthorisedMember = 0.6
	// phoneAuthorisedFollower: share of the other followers who authorised it (a loyalty
	// card added to WeChat, a campaign form); the demo's earlier figure for all followers.
	phoneAuthorisedFollower = 0.25
)

// unionIDPrefix marks a WeChat unionid among external ids ("external_id" values are the
// platform's home for ids issued by another system; the prefix keeps them apart from
// national ids and partner ids).
const unionIDPrefix = "wechat-unionid:"

// makeWeChatLogins gives every follower a unionid and decides who signed in to the shop
// with WeChat. It runs after the activity is made, since using the mini-programme means
// signing in with WeChat, and draws from a stream of its own so the rest of the company
// does not change with these shares.
func (g *gen) makeWeChatLogins() {
	r := newRNG(g.seed, 16)
	miniProgramme := map[*person]bool{}
	for _, o := range g.orders {
		if o.channel == "mini_program" {
			miniProgramme[o.p] = true
		}
	}
	for _, e := range g.events {
		if e.channel == "mini_program" {
			miniProgramme[e.p] = true
		}
	}
	for _, p := range g.people {
		w := p.wx
		if w == nil {
			continue
		}
		w.unionID = g.unique(func() string { return "o" + r.token(27) })
		if p.web == nil {
			continue
		}
		share := wechatLoginAbroad
		if p.country == "CN" {
			share = wechatLoginCN
		}
		w.shopLogin = r.chance(share) || miniProgramme[p]
	}
}

// phoneAuthorised decides from one uniform draw whether a follower's record carries the
// phone; one draw whatever the answer, so the records after it do not shift.
func phoneAuthorised(w *wxRec, x float64) bool {
	if w.shopLogin {
		return x < phoneAuthorisedMember
	}
	return x < phoneAuthorisedFollower
}

// token is a WeChat-style opaque id: letters of both cases, digits, '-' and '_'.
func (g *rng) token(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.n(len(digits))]
	}
	return string(b)
}
