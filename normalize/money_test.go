package normalize

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestCurrency(t *testing.T) {
	run(t, "Currency", Currency, []tc{
		{in: "USD", want: "USD"},
		{in: " usd ", want: "USD"},
		{in: "Cny", want: "CNY"},
		{in: "rmb", want: "CNY"},
		{in: "RMB", want: "CNY"},
		{in: "ｊｐｙ", want: "JPY"},
		{in: "KWD", want: "KWD"},
		{in: "", err: "empty currency code"},
		{in: "  ", err: "empty currency code"},
		{in: "$", err: "unknown currency code"},
		{in: "¥", err: "unknown currency code"},
		{in: "US", err: "unknown currency code"},
		{in: "USDD", err: "unknown currency code"},
		{in: "XAU", err: "unknown currency code"},
		{in: "ABC", err: `unknown currency code "ABC"`},
		{in: "\xff", err: "UTF-8"},
		{in: strings.Repeat("U", 1000), err: "..."},
	})
	for code, exp := range currencies {
		if len(code) != 3 || strings.ToUpper(code) != code || exp < 0 || exp > 4 {
			t.Errorf("bad currency table entry %q: %d", code, exp)
		}
	}
	// The exponents the rest of the platform relies on.
	for code, exp := range map[string]int{
		"USD": 2, "EUR": 2, "CNY": 2, "JPY": 0, "KRW": 0, "GBP": 2, "HKD": 2, "TWD": 2,
		"SGD": 2, "AUD": 2, "CAD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "INR": 2,
		"BRL": 2, "MXN": 2, "RUB": 2, "ZAR": 2, "NZD": 2, "THB": 2, "MYR": 2, "IDR": 2,
		"PHP": 2, "VND": 0, "PLN": 2, "CZK": 2, "HUF": 2, "ILS": 2, "AED": 2, "SAR": 2,
		"TRY": 2, "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "CLP": 0, "ISK": 0, "UGX": 0,
		"TND": 3, "IQD": 3, "LYD": 3, "CLF": 4, "MOP": 2,
	} {
		if got, ok := currencies[code]; !ok || got != exp {
			t.Errorf("currency %s: exponent %d (present %v), want %d", code, got, ok, exp)
		}
	}
}

func TestParseMoney(t *testing.T) {
	cases := []struct {
		amount, currency string
		want             string // Amount.String()
		minor            int64
		str              string // Money.String()
		err              string
	}{
		{amount: "12.3", currency: "usd", want: "12.3", minor: 1230, str: "12.30 USD"},
		{amount: "1,234.50", currency: "USD", want: "1234.5", minor: 123450, str: "1234.50 USD"},
		{amount: "1234", currency: "USD", want: "1234", minor: 123400, str: "1234.00 USD"},
		{amount: "-5.00", currency: "EUR", want: "-5", minor: -500, str: "-5.00 EUR"},
		{amount: "+5", currency: "EUR", want: "5", minor: 500, str: "5.00 EUR"},
		{amount: " 0 ", currency: "EUR", want: "0", minor: 0, str: "0.00 EUR"},
		{amount: "-0.00", currency: "EUR", want: "0", minor: 0, str: "0.00 EUR"},
		{amount: "007.5", currency: "EUR", want: "7.5", minor: 750, str: "7.50 EUR"},
		{amount: "99.99", currency: "rmb", want: "99.99", minor: 9999, str: "99.99 CNY"},
		{amount: "１２.５", currency: "CNY", want: "12.5", minor: 1250, str: "12.50 CNY"},
		{amount: "1,000,000", currency: "CNY", want: "1000000", minor: 100000000, str: "1000000.00 CNY"},
		{amount: "1500", currency: "JPY", want: "1500", minor: 1500, str: "1500 JPY"},
		{amount: "1,500", currency: "jpy", want: "1500", minor: 1500, str: "1500 JPY"},
		{amount: "1500.00", currency: "JPY", want: "1500", minor: 1500, str: "1500 JPY"}, // trailing zeros don't count
		{amount: "1.5", currency: "KWD", want: "1.5", minor: 1500, str: "1.500 KWD"},
		{amount: "1.234", currency: "KWD", want: "1.234", minor: 1234, str: "1.234 KWD"},
		{amount: "1.2340", currency: "BHD", want: "1.234", minor: 1234, str: "1.234 BHD"},
		{amount: "0.125", currency: "OMR", want: "0.125", minor: 125, str: "0.125 OMR"},
		{amount: "12.300000", currency: "USD", want: "12.3", minor: 1230, str: "12.30 USD"},
		{amount: "1.2345", currency: "CLF", want: "1.2345", minor: 12345, str: "1.2345 CLF"},
		{amount: "99999999999999.9999", currency: "CLF", want: "99999999999999.9999", minor: 999999999999999999, str: "99999999999999.9999 CLF"},

		{amount: "", currency: "USD", err: "empty amount"},
		{amount: "  ", currency: "USD", err: "empty amount"},
		{amount: "12", currency: "", err: "empty currency code"},
		{amount: "12", currency: "XYZ", err: "unknown currency code"},
		{amount: "12", currency: "$", err: "unknown currency code"},
		// More decimals than the currency's minor unit: an error, never rounded.
		{amount: "1.999", currency: "CNY", err: `"1.999" has 3 decimal places; CNY allows 2`},
		{amount: "1.5", currency: "JPY", err: `"1.5" has 1 decimal place; JPY allows no decimal places`},
		{amount: "1500.5", currency: "JPY", err: "JPY allows no decimal places"},
		{amount: "1,000.01", currency: "KRW", err: "KRW allows no decimal places"},
		{amount: "1.2345", currency: "KWD", err: "4 decimal places; KWD allows 3"},
		{amount: "1.0001", currency: "TND", err: "TND allows 3"},
		{amount: "0.125", currency: "USD", err: "USD allows 2"},
		{amount: "-0.125", currency: "EUR", err: "EUR allows 2"},
		{amount: "0.1234", currency: "USD", err: "USD allows 2"},
		{amount: "0.12345", currency: "CLF", err: "5 decimal places; CLF allows 4"},
		{amount: "1." + strings.Repeat("1", 10000), currency: "USD", err: "10000 decimal places"},
		{amount: "1e3", currency: "USD", err: "not a plain decimal"},
		{amount: "1E-2", currency: "USD", err: "not a plain decimal"},
		{amount: "NaN", currency: "USD", err: "not a plain decimal"},
		{amount: "Inf", currency: "USD", err: "not a plain decimal"},
		{amount: "$12", currency: "USD", err: "not a plain decimal"},
		{amount: "12 USD", currency: "USD", err: "not a plain decimal"},
		{amount: "1 234.50", currency: "USD", err: "not a plain decimal"},
		{amount: "1.234,50", currency: "EUR", err: "not a plain decimal"},
		{amount: "12,5", currency: "EUR", err: "not a plain decimal"},
		{amount: "1,23,456", currency: "INR", err: "not a plain decimal"},
		{amount: ",123", currency: "USD", err: "not a plain decimal"},
		{amount: ".5", currency: "USD", err: "not a plain decimal"},
		{amount: "5.", currency: "USD", err: "not a plain decimal"},
		{amount: "--5", currency: "USD", err: "not a plain decimal"},
		{amount: "0x10", currency: "USD", err: "not a plain decimal"},
		{amount: "100000000000000", currency: "USD", err: "too large"},
		{amount: "000000000000000000001", currency: "USD", want: "1", minor: 100, str: "1.00 USD"},
		{amount: "12\xff", currency: "USD", err: "UTF-8"},
		{amount: strings.Repeat("9", 10000), currency: "USD", err: "too large"},
	}
	for _, c := range cases {
		m, err := ParseMoney(c.amount, c.currency)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseMoney(%q, %q) = %v, %v; want error containing %q", c.amount, c.currency, m, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMoney(%q, %q) unexpected error %v", c.amount, c.currency, err)
			continue
		}
		if m.Amount.String() != c.want || m.Minor() != c.minor || m.String() != c.str {
			t.Errorf("ParseMoney(%q, %q) = amount %s, minor %d, %q; want %s, %d, %q",
				c.amount, c.currency, m.Amount, m.Minor(), m.String(), c.want, c.minor, c.str)
		}
	}
}

func TestMoneyByHand(t *testing.T) {
	// Money built without ParseMoney: unknown currency assumes 2 decimals, huge amounts saturate.
	m := Money{Amount: decimal.RequireFromString("1.005"), Currency: "ZZZ"}
	if m.Minor() != 100 || m.String() != "1.00 ZZZ" {
		t.Errorf("unknown currency: %d %q", m.Minor(), m.String())
	}
	big := Money{Amount: decimal.RequireFromString("1e30"), Currency: "USD"}
	if big.Minor() != math.MaxInt64 {
		t.Errorf("huge amount: %d", big.Minor())
	}
	big.Amount = big.Amount.Neg()
	if big.Minor() != math.MinInt64 {
		t.Errorf("huge negative amount: %d", big.Minor())
	}
	if got := (Money{}).Minor(); got != 0 {
		t.Errorf("zero Money minor = %d", got)
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range [][2]string{{"12.3", "usd"}, {"1,234.50", "EUR"}, {"-5.00", "KWD"}, {"1500.5", "JPY"}, {"1e3", "USD"}, {"0.00001", "USD"}, {"99999999999999.9999", "CLF"}, {"1.999", "CNY"}, {"1.5", "JPY"}, {"1.2345", "KWD"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := ParseMoney(amount, currency)
		if err != nil {
			return
		}
		_ = m.String()
		minor := m.Minor()
		if minor == math.MaxInt64 || minor == math.MinInt64 {
			t.Fatalf("%q %q: minor units saturated", amount, currency)
		}
		// Never more decimals than the currency has: Minor and String are exact.
		if exact := m.Amount.Shift(int32(minorUnits(m.Currency))); !exact.IsInteger() || exact.IntPart() != minor {
			t.Fatalf("%q %q: %s has more decimals than %s allows", amount, currency, m.Amount, m.Currency)
		}
		again, err := ParseMoney(m.Amount.String(), m.Currency)
		if err != nil || !again.Amount.Equal(m.Amount) || again.Currency != m.Currency {
			t.Fatalf("%q %q gave %v, which re-parses to %v, %v", amount, currency, m, again, err)
		}
	})
}

func FuzzCurrency(f *testing.F) {
	for _, s := range []string{"usd", "RMB", "ｊｐｙ", "xyz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Currency, s) })
}
