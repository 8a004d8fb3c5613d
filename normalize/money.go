package normalize

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an exact amount in an ISO 4217 currency. Amount is never a float: totals are
// summed across millions of orders and must match the source to the cent.
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// maxMoneyIntDigits bounds the integer part so that any parsed amount, in minor units of
// any currency in the table (at most 4 decimals, CLF and UYW), still fits an int64.
const maxMoneyIntDigits = 14

// moneyAmount is a plain decimal: optional sign, digits with optional comma thousands
// groups, optional fraction. No exponent, no currency symbol, no spaces.
var moneyAmount = regexp.MustCompile(`^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$`)

// Minor returns the amount in the currency's minor units (cents for USD, yen for JPY,
// fils for KWD). ParseMoney never yields an amount with more decimals than its currency;
// a Money built by hand that has them is rounded half-even. Amounts beyond the int64
// range saturate; ParseMoney never yields them.
func (m Money) Minor() int64 {
	v := m.Amount.Shift(int32(minorUnits(m.Currency))).RoundBank(0)
	b := v.BigInt()
	switch {
	case !b.IsInt64() && b.Sign() > 0:
		return math.MaxInt64
	case !b.IsInt64():
		return math.MinInt64
	}
	return b.Int64()
}

// String formats the amount with exactly the currency's decimals, then the code:
// "12.30 USD", "1234 JPY", "1.500 KWD". Extra decimals are rounded half-even.
func (m Money) String() string {
	return m.Amount.StringFixedBank(int32(minorUnits(m.Currency))) + " " + m.Currency
}

// minorUnits returns the currency's exponent, assuming 2 for a code not in the table
// (a Money built by hand), the most common value.
func minorUnits(code string) int {
	if e, ok := currencies[code]; ok {
		return e
	}
	return 2
}

// ParseMoney parses an amount such as "12.3", "1,234.50", "1234" or "-5.00" in the
// currency code (see Currency). Anything else is rejected: exponent notation, NaN,
// spaces, currency symbols, and decimal commas, which cannot be told from thousands
// separators. An amount may have at most as many decimal places as the currency's ISO 4217
// minor unit (2 for CNY, 0 for JPY, 3 for KWD), trailing zeros aside: "1.999" CNY or
// "1.5" JPY is an error, never rounded, since the amount the source meant is unknown.
func ParseMoney(amount, currency string) (Money, error) {
	code, err := Currency(currency)
	if err != nil {
		return Money{}, err
	}
	if err := checkUTF8(amount); err != nil {
		return Money{}, err
	}
	a := strings.TrimSpace(foldWidth(amount))
	if a == "" {
		return Money{}, errors.New("empty amount")
	}
	p := moneyAmount.FindStringSubmatch(a)
	if p == nil {
		return Money{}, errors.New(`amount is not a plain decimal number such as "1234.50"`)
	}
	intPart := strings.TrimLeft(strings.ReplaceAll(p[2], ",", ""), "0")
	if len(intPart) > maxMoneyIntDigits {
		return Money{}, errors.New("amount too large")
	}
	frac := strings.TrimRight(p[3], "0")
	if exp := minorUnits(code); len(frac) > exp {
		return Money{}, fmt.Errorf("amount %s has %s; %s allows %s (its ISO 4217 minor unit)",
			quote(a), places(len(frac)), code, places(exp))
	}
	num := "0" + intPart
	if p[1] == "-" {
		num = "-" + num
	}
	if frac != "" {
		num += "." + frac
	}
	d, err := decimal.NewFromString(num)
	if err != nil { // unreachable: the pattern admits only plain decimals
		return Money{}, errors.New("amount is not a number")
	}
	return Money{Amount: d, Currency: code}, nil
}

func places(n int) string {
	switch n {
	case 0:
		return "no decimal places"
	case 1:
		return "1 decimal place"
	}
	return fmt.Sprintf("%d decimal places", n)
}

// Currency validates an ISO 4217 code against the embedded table and returns it upper
// case. "RMB", the everyday name of the yuan in Chinese sources, is read as CNY.
// Currency symbols ("$", "¥") are rejected: "¥" alone is both yen and yuan.
func Currency(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	c := strings.ToUpper(strings.TrimSpace(foldWidth(s)))
	if c == "" {
		return "", errors.New("empty currency code")
	}
	if c == "RMB" {
		return "CNY", nil
	}
	if _, ok := currencies[c]; !ok {
		return "", fmt.Errorf("unknown currency code %s; use ISO 4217 such as USD, CNY", quote(strings.TrimSpace(s)))
	}
	return c, nil
}

// currencies maps the active ISO 4217 codes (list one, 2025, without funds-only metals
// and testing codes) to their minor-unit exponent.
var currencies = map[string]int{
	"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS": 2, "AUD": 2,
	"AWG": 2, "AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0,
	"BMD": 2, "BND": 2, "BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2,
	"BYN": 2, "BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4,
	"CLP": 0, "CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2,
	"DJF": 0, "DKK": 2, "DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2,
	"FJD": 2, "FKP": 2, "GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0,
	"GTQ": 2, "GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2,
	"INR": 2, "IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2,
	"KGS": 2, "KHR": 2, "KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2,
	"LAK": 2, "LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2,
	"MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2,
	"MWK": 2, "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2,
	"NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2,
	"PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0,
	"SAR": 2, "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2,
	"SLL": 2, "SOS": 2, "SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2,
	"THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2,
	"TZS": 2, "UAH": 2, "UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4,
	"UZS": 2, "VED": 2, "VES": 2, "VND": 0, "VUV": 0, "WST": 2, "XAF": 0, "XCD": 2,
	"XCG": 2, "XOF": 0, "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2, "ZWL": 2,
}
