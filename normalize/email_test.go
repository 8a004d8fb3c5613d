package normalize

import (
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	run(t, "Email", Email, []tc{
		{in: "ann@example.com", want: "ann@example.com"},
		{in: "  Ann.Lee@Example.COM \n", want: "ann.lee@example.com"},
		{in: "ann+promo@mail.example.co.uk", want: "ann+promo@mail.example.co.uk"},
		{in: "o'neil@example.ie", want: "o'neil@example.ie"},
		{in: "a_b-c!#$%&*/=?^`{|}~@x-y.com", want: "a_b-c!#$%&*/=?^`{|}~@x-y.com"},
		{in: "ann@example.com.", want: "ann@example.com"},
		{in: "ann@123.example.com", want: "ann@123.example.com"},
		{in: "ann@example.xn--fiqs8s", want: "ann@example.xn--fiqs8s"},
		{in: "ann@xn--fiqs8s.xn--p1ai", want: "ann@xn--fiqs8s.xn--p1ai"},
		{in: "ａｎｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", want: "ann@example.com"},
		{in: "ann\u3000@example.com", err: "space"},
		{in: strings.Repeat("a", 64) + "@x.com", want: strings.Repeat("a", 64) + "@x.com"},
		{in: "a@" + long63 + "." + long63 + ".com", want: "a@" + long63 + "." + long63 + ".com"},

		{in: "", err: "empty"},
		{in: "   ", err: "empty"},
		{in: "Ann <ann@example.com>", err: "display-name"},
		{in: "<ann@example.com>", err: "display-name"},
		{in: "ann example.com", err: "space"},
		{in: "ann @example.com", err: "space"},
		{in: "ann.example.com", err: `missing "@"`},
		{in: "ann@@example.com", err: `more than one "@"`},
		{in: "a@b@example.com", err: `more than one "@"`},
		{in: "@example.com", err: `nothing before "@"`},
		{in: "ann@", err: `nothing after "@"`},
		{in: "ann@.", err: `nothing after "@"`},
		{in: strings.Repeat("a", 65) + "@x.com", err: "longer than 64"},
		{in: ".ann@example.com", err: "starts or ends with a dot"},
		{in: "ann.@example.com", err: "starts or ends with a dot"},
		{in: "ann..lee@example.com", err: "consecutive dots"},
		{in: "ann@example..com", err: "consecutive dots"},
		{in: "ann@example.com..", err: "ends with a dot"},
		{in: `"ann"@example.com`, err: "invalid character"},
		{in: "ann,lee@example.com", err: "invalid character"},
		{in: "ann@localhost", err: "no dot"},
		{in: "ann@.example.com", err: "starts or ends with a dot"},
		{in: "ann@-example.com", err: "hyphen"},
		{in: "ann@example-.com", err: "hyphen"},
		{in: "ann@exa_mple.com", err: "only letters, digits"},
		{in: "ann@[192.168.0.1]", err: "only letters, digits"},
		{in: "ann@example.c", err: "top-level domain"},
		{in: "ann@example.c0m", err: "top-level domain"},
		{in: "ann@192.168.0.1", err: "top-level domain"},
		{in: "ann@example.xn--", err: "hyphen"},
		{in: "ann@example.xn--a-", err: "hyphen"},
		{in: "ann@" + strings.Repeat("a", 64) + ".com", err: "label longer than 63"},
		{in: "ann@" + strings.Repeat(long63+".", 4) + "com", err: "longer than 254"},
		{in: "ann@例子.中国", err: "punycode"},
		{in: "ann@bücher.de", err: "punycode"},
		{in: "jöns@example.com", err: "non-ASCII"},
		{in: "ann@example.com\xff", err: "UTF-8"},
		{in: strings.Repeat("x", 100000), err: "longer than 254"},
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"ann@example.com", " Ann@Example.COM. ", "ａｎｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "a@b", "Ann <a@b.co>", "a@xn--p1ai.xn--p1ai", "a@b.com.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Email, s) })
}
