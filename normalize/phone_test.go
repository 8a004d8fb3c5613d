package normalize

import (
	"strings"
	"testing"
)

func TestPhone(t *testing.T) {
	cn := func(s string) (string, error) { return Phone(s, "CN") }
	run(t, "Phone/CN", cn, []tc{
		{in: "13812345678", want: "+8613812345678"},
		{in: "138 1234 5678", want: "+8613812345678"},
		{in: "138-1234-5678", want: "+8613812345678"},
		{in: "+86 138 1234 5678", want: "+8613812345678"},
		{in: "+86-138-1234-5678", want: "+8613812345678"},
		{in: "0086 138 1234 5678", want: "+8613812345678"},
		{in: "(010) 6552 9988", want: "+861065529988"},
		{in: "010-65529988", want: "+861065529988"},
		{in: "１３８１２３４５６７８", want: "+8613812345678"},
		{in: "＋８６\u3000１３８１２３４５６７８", want: "+8613812345678"},
		{in: "010-65529988转123", want: "+861065529988"},
		{in: "+1 (415) 555-2671", want: "+14155552671"},
		{in: "+44 (0)20 7946 0958", want: "+442079460958"},
		{in: "0044 (0)20 7946 0958", want: "+442079460958"},
		{in: "  +8613812345678  ", want: "+8613812345678"},

		{in: "", err: "empty"},
		{in: "   ", err: "empty"},
		{in: "+", err: "no digits"},
		{in: "()", err: "no digits"},
		{in: "00", err: "no digits"},
		{in: "12345", err: "not a valid phone number for region CN"},
		{in: "1381234567", err: "not a valid phone number for region CN"},
		{in: "+86 12345", err: "not a valid phone number"},
		{in: "+999 12345678", err: "not a valid phone number"},
		{in: "1-800-FLOWERS", err: "only digits"},
		{in: "138abc45678", err: "only digits"},
		{in: "138+12345678", err: `"+" only allowed at the start`},
		{in: "++8613812345678", err: `"+" only allowed`},
		{in: "13812345678\xff", err: "UTF-8"},
		{in: strings.Repeat("1", 65), err: "longer than 64"},
	})
	us := func(s string) (string, error) { return Phone(s, "us") }
	run(t, "Phone/US", us, []tc{
		{in: "(415) 555-2671", want: "+14155552671"},
		{in: "415.555.2671", want: "+14155552671"},
		{in: "415-555-2671 x123", want: "+14155552671"},
		{in: "415-555-2671 ext. 123", want: "+14155552671"},
		{in: "415 555 2671 extension 9", want: "+14155552671"},
		{in: "4155552671#12", want: "+14155552671"},
		{in: "+1 415 555 2671;ext=5", want: "+14155552671"},
		{in: "1 415 555 2671", want: "+14155552671"},
		{in: "0086 138 1234 5678", want: "+8613812345678"},
		{in: "+86 138 1234 5678", want: "+8613812345678"},
		{in: "13812345678", err: "not a valid phone number for region US"},
		{in: "555-2671", err: "for region US"},
		{in: "415-555-2671 x", err: "only digits"},
	})
	noRegion := func(s string) (string, error) { return Phone(s, "") }
	run(t, "Phone/none", noRegion, []tc{
		{in: "+8613812345678", want: "+8613812345678"},
		{in: "0044 20 7946 0958", want: "+442079460958"},
		{in: "13812345678", err: "no default region"},
	})
	bad := func(s string) (string, error) { return Phone(s, "ZZ") }
	run(t, "Phone/ZZ", bad, []tc{
		{in: "13812345678", err: `unknown default region "ZZ"`},
		{in: "+8613812345678", want: "+8613812345678"},
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "(415) 555-2671 x12", "+44 (0)20 7946 0958", "１３８１２３４５６７８", "+", "00"} {
		f.Add(s, "CN")
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		checkIdempotent(t, func(s string) (string, error) { return Phone(s, region) }, s)
	})
}
