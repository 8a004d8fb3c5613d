package normalize

import (
	"strings"
	"testing"
	"unicode"
)

func TestIdentifier(t *testing.T) {
	cases := []struct {
		typ, value, want, err string
	}{
		{typ: "email", value: " Ann@Example.com ", want: "ann@example.com"},
		{typ: "EMAIL", value: "ann@example.com", want: "ann@example.com"},
		{typ: "email", value: "ann", err: `missing "@"`},
		{typ: "phone", value: "138 1234 5678", want: "+8613812345678"},
		{typ: "phone", value: "12345", err: "region CN"},

		{typ: "loyalty_id", value: " ab 12-34 ", want: "AB12-34"},
		{typ: "loyalty_id", value: "ｖｉｐ００１", want: "VIP001"},
		{typ: "loyalty_id", value: "1234\u00a05678\u30009012", want: "123456789012"},
		{typ: "external_id", value: " Crm-Abc_01 ", want: "Crm-Abc_01"},
		{typ: "device_id", value: "6D92078A-8246-4BA4-AE5B-76104861E7DC", want: "6D92078A-8246-4BA4-AE5B-76104861E7DC"},
		{typ: "cookie_id", value: "GA1.2.1234567890.1700000000", want: "GA1.2.1234567890.1700000000"},
		{typ: "cookie_id", value: "aBc=", want: "aBc="},
		{typ: "loyalty_id", value: "", err: "empty"},
		{typ: "device_id", value: " \t ", err: "empty"},
		{typ: "external_id", value: "id\x00", err: "printable ASCII"},
		{typ: "external_id", value: "会员001", err: "printable ASCII"},
		{typ: "cookie_id", value: strings.Repeat("a", 200), want: strings.Repeat("a", 200)},
		{typ: "cookie_id", value: strings.Repeat("a", 201), err: "longer than 200"},
		{typ: "cookie_id", value: "\xff", err: "UTF-8"},

		{typ: "social_handle", value: "weibo:Ann_Lee", want: "weibo:ann_lee"},
		{typ: "social_handle", value: " Instagram : @AnnLee ", want: "instagram:annlee"},
		{typ: "social_handle", value: "twitter:@ann", want: "x:ann"},
		{typ: "social_handle", value: "X:@@ann", want: "x:ann"},
		{typ: "social_handle", value: "微博：小明", want: "weibo:小明"},
		{typ: "social_handle", value: "wechat:wxid_abc123", want: "wechat:wxid_abc123"},
		{typ: "social_handle", value: "douyin:DY123", want: "douyin:dy123"},
		{typ: "social_handle", value: "xiaohongshu:ann", want: "xiaohongshu:ann"},
		{typ: "social_handle", value: "line:ann", want: "line:ann"},
		{typ: "social_handle", value: "whatsapp:+8613812345678", want: "whatsapp:+8613812345678"},
		{typ: "social_handle", value: "tiktok:ann", want: "tiktok:ann"},
		{typ: "social_handle", value: "facebook:ann.lee", want: "facebook:ann.lee"},
		{typ: "social_handle", value: "other:mastodon.social/@ann", want: "other:mastodon.social/@ann"},
		{typ: "social_handle", value: "@ann", err: `"platform:handle"`},
		{typ: "social_handle", value: "myspace:ann", err: `unknown social platform "myspace"`},
		{typ: "social_handle", value: "weibo:", err: "empty handle"},
		{typ: "social_handle", value: "weibo:@", err: "empty handle"},
		{typ: "social_handle", value: "weibo:ann lee", err: "white space"},
		{typ: "social_handle", value: "weibo:ann\x01", err: "control"},
		{typ: "social_handle", value: "", err: "empty"},
		{typ: "social_handle", value: "x:" + strings.Repeat("a", 199), err: "longer than 200"},

		{typ: "driving_licence", value: "E1234567", err: `unknown identifier type "driving_licence"`},
		{typ: "", value: "x", err: "unknown identifier type"},
	}
	for _, c := range cases {
		got, err := Identifier(c.typ, c.value, "CN")
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("Identifier(%q, %q) = %q, %v; want error containing %q", c.typ, c.value, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("Identifier(%q, %q) = %q, %v; want %q", c.typ, c.value, got, err, c.want)
		}
		if err != nil && got != "" {
			t.Errorf("Identifier(%q, %q) returned %q with error %v", c.typ, c.value, got, err)
		}
	}
}

func FuzzIdentifier(f *testing.F) {
	for _, c := range [][2]string{
		{"email", "Ann@X.com"}, {"phone", "138 1234 5678"}, {"loyalty_id", " ab 12 "},
		{"cookie_id", "GA1.2.3"}, {"social_handle", "Twitter:@@Ann"}, {"social_handle", "微博：小明"},
		{"national_id", "１１０１０５ 1949-1231 002x"}, {"passport", "e1234 5678"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, typ, value string) {
		checkIdempotent(t, func(s string) (string, error) { return Identifier(typ, s, "CN") }, value)
	})
}

// TestSocialHandleIdempotentAllLetters checks lower-casing of handles on every letter
// of every script, where Unicode case mapping has its oddities.
func TestSocialHandleIdempotentAllLetters(t *testing.T) {
	f := func(s string) (string, error) { return Identifier("social_handle", s, "") }
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsLetter(r) && (unicode.IsUpper(r) || unicode.IsTitle(r) || unicode.IsLower(r)) {
			checkIdempotent(t, f, "weibo:"+string(r)+"A")
		}
	}
}
