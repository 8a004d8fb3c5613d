package ingest_test

// Fuzz tests of what `cdpgraph import` and the ingest mutations run before the store:
// the CSV and NDJSON readers, the lenient JSON decoding, and the validation and
// normalization of every record kind. The store is an in-memory fake that checks what it
// is handed, so these need no database (see withoutDatabase in main_test.go).
//
//	go test -run='^$' -fuzz='^FuzzImportNDJSON$' -fuzztime=30s ./ingest

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/normalize"
)

var (
	fuzzNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	// The zone of timestamps without one, as the demo sources use (no tzdata needed).
	fuzzZone = time.FixedZone("CST", 8*3600)
)

const fuzzSource = "pos"

// Seeds: real lines of the demo company's files (make demo), one shape per kind, and the
// CSV layouts of the import command's tests.
var ndjsonSeeds = map[cdp.RecordKind]string{
	cdp.KindCustomers: `{"source_id":"C000003","given_name":"军辰","family_name":"蒋","full_name":"蒋军辰","email":"jiangjunchen@163.com","phone":"+8618139802585","birth_date":"2000-10-22","gender":"male","address_line1":"杨浦区控江路546弄17号","address_line2":"2204室","city":"Shanghai","region":"Shanghai","postcode":"200082","country":"CN","loyalty_id":"LY06929814","updated_at":"2021-01-01T18:33:29+08:00"}
{"source_id":"POS-11-00003","family_name":"崔","full_name":"崔先生","phone":"+86 18304312887","gender":"male","city":"Shanghai","loyalty_id":"LY55831183","updated_at":"2021-02-16T16:52:54+08:00"}
{"source_id":"wx_004uszr8aj","full_name":"红婷","phone":"13775239206","city":"Shanghai","country":"CN","social_handle":"wechat:wxid_hrev6lu3jqmcxq","updated_at":"2023-06-11T08:32:04+08:00"}
{"source_id":"u_001a75","given_name":"骏","family_name":"吕","email":"187290004@qq.com","postcode":"200001","country":"CN","device_id":"420e7513-1491-4718-8ec3-33b053ef4fa7","cookie_id":"ck_0a895a0d41302874","identifiers":[{"type":"cookie_id","value":"ck_23573eabb8689673"}],"updated_at":"2026-03-22T06:26:03Z"}
{"source_id":"C-1002","given_name":"ann","family_name":"LEE","email":"ann@@example.com","phone":12345,"birth_date":"1990年5月4日"}
`,
	cdp.KindOrders: `{"source_id":"R81-20250101-0001","customer_source_id":"POS-81-00090","ordered_at":"2025-01-01T12:29:55+08:00","currency":"CNY","total":"78.00","status":"completed","channel":"store","store_id":"ST-81","items":[{"sku":"SKU-0190","name":"日式杯垫","category":"home","quantity":"2","unit_price":"39.00"}]}
{"source_id":"WO10000003","customer_source_id":"u_a7c8ca","ordered_at":"2025-01-01T05:58:15+08:00","currency":"CNY","total":"3105.00","status":"cancelled","channel":"web","items":[{"sku":"SKU-0101","name":"Black Minimal Sunglasses","category":"accessories","quantity":"2","unit_price":"479.00"},{"sku":"SKU-0137","name":"复古手表","category":"accessories","quantity":1,"unit_price":1399}]}
{"source_id":"O3","customer_source_id":"P2","ordered_at":"2026-01-03","currency":"JPY","items":[{"sku":"C","quantity":"3","unit_price":"400.1234"}]}
`,
	cdp.KindEvents: `{"source_id":"ev_000000003","customer_source_id":"u_2b48cd","type":"view","occurred_at":"2025-01-01T01:39:40+08:00","channel":"web","sku":"SKU-0135","url":"https://www.maisonlin.example/p/SKU-0135","session_id":"s_af5be65487c7"}
not json
{"source_id":"E2","customer_source_id":"u1","type":"teleport","occurred_at":"2026-01-01T10:00:00Z"}

{"source_id":"E3","customer_source_id":"u1","type":"search","occurred_at":1767261600,"query":"tea"}
`,
	cdp.KindFeedback: `{"source_id":"FB0000003","customer_source_id":"C000135","kind":"survey","created_at":"2025-01-06T12:54:35+08:00","channel":"sms","rating":"9"}
{"source_id":"RV0000003","customer_source_id":"u_f1289b","kind":"review","created_at":"2025-01-09T15:57:52+08:00","channel":"web","rating":"5","text":"第8次买了，一如既往的好。💯","sku":"SKU-0175"}
{"source_id":"FB0000001","customer_source_id":"C000150","kind":"ticket","created_at":"2025-01-03T07:04:18+08:00","channel":"chat","text":"App登录不了，提示验证码错误。","status":"resolved"}
`,
	cdp.KindSocial: `{"from_source_id":"C000655","to_source_id":"C004355","type":"referred","occurred_at":"2025-01-20T19:33:43+08:00"}
{"from_source_id":"wx_owmim1chhb","to_source_id":"wx_c3zyon0822","type":"mentioned","occurred_at":"2024-01-02T14:30:17+08:00","count":"1"}
{"from_source_id":"a","to_source_id":"a","type":"follows","count":0}
`,
	cdp.KindConsents: `{"source_id":"CS0000003","customer_source_id":"C000002","purpose":"sms_marketing","granted":"true","occurred_at":"2021-01-01T16:28:06+08:00"}
{"source_id":"WC0000001","customer_source_id":"u_3c4c24","purpose":"email_marketing","granted":false,"occurred_at":"2021-01-16T20:58:55+08:00"}
`,
}

var csvSeeds = map[cdp.RecordKind]string{
	cdp.KindCustomers: "source_id,given_name,family_name,email,phone,country\n" +
		"C1,Ann,Lee,ANN@example.com,+44 20 7946 0958,GB\n" +
		"C2,Bo,Wu,not-an-email,,CN\n" +
		"C3,Cai,Li,cai@example.com,13800138000,CN\n",
	cdp.KindOrders: "source_id,customer_source_id,ordered_at,currency,sku,name,quantity,unit_price\n" +
		"O1,C1,2026-01-01,CNY,S1,Tea,1,10\n" +
		"O1,C1,2026-01-01,CNY,S2,Cup,2,5.5\n" +
		"O2,C2,2026-01-02,CNY,S1,Tea,one,10\n" +
		"O3,C2,2026-01-03,CNY,S3\n" +
		"O4,C3,2026-01-04,CNY,S1,Tea,1,10\n",
	cdp.KindEvents: "\ufeffSource_ID,customer_source_id,type,occurred_at,sku\n" +
		"E1,u1,view,2026-01-01T10:00:00Z,S1\n" +
		"E2,u1,\"add_to_cart\",\"2026-01-01 10:00\",\"S\"\"2\"\n",
	cdp.KindFeedback: "source_id,customer_source_id,kind,created_at,rating,text\n" +
		"F1,C1,review,2025-01-09T15:57:52+08:00,5,\"第8次买了，\n一如既往的好。\"\n" +
		"F2,C1,survey,2025-01-06,11,\n",
	cdp.KindSocial: "from_source_id,to_source_id,type,count\n" +
		"wx_1,wx_2,follows,3\n" +
		"wx_1,wx_1,follows,\n",
	cdp.KindConsents: "source_id,customer_source_id,purpose,granted,occurred_at\n" +
		"CS1,C1,sms_marketing,yes,2021-01-01T16:28:06+08:00\n" +
		"CS2,C1,profiling,maybe,2021-01-01\n",
}

// FuzzImportNDJSON feeds arbitrary bytes to Import as an NDJSON file of each kind.
func FuzzImportNDJSON(f *testing.F) {
	for i, kind := range cdp.RecordKinds {
		f.Add(uint8(i), []byte(ndjsonSeeds[kind]))
		f.Add(uint8(i+6*(1+i%3)), []byte(ndjsonSeeds[kind])) // batches of 2-4
	}
	f.Add(uint8(0), []byte("{\"source_id\":\"x\",\"identifiers\":\"email\"}\n[1]\n{\"source_id\":{}}\r\n\xff\n"))
	f.Add(uint8(1), []byte(`{"source_id":"O","customer_source_id":"C","ordered_at":"2026-01-01","currency":"usd","items":[{"sku":"A","quantity":1e3,"unit_price":true}]}`))
	// A BOM, invalid UTF-8 in a value, a nested value and a key, U+FFFD from an escape,
	// and amounts with more decimals than their currency.
	f.Add(uint8(0), []byte("\ufeff{\"source_id\":\"C1\",\"city\":\"Z\xfcrich\"}\n{\"source_id\":\"C2\",\"identifiers\":[{\"type\":\"email\",\"value\":\"a\xff@b.co\"}]}\n{\"source_id\":\"C3\",\"N\xe4me\":1,\"given_name\":\"\\udc00\"}\n"))
	f.Add(uint8(1), []byte(`{"source_id":"O1","customer_source_id":"C","ordered_at":"2026-01-01","currency":"CNY","total":"1.999","items":[{"sku":"A","quantity":1,"unit_price":"1.5"}]}
{"source_id":"O2","customer_source_id":"C","ordered_at":"2026-01-01","currency":"JPY","items":[{"sku":"A","quantity":1,"unit_price":"1.5"}]}
{"source_id":"O3","customer_source_id":"C","ordered_at":"2026-01-01","currency":"KWD","items":[{"sku":"A","quantity":1,"unit_price":"1.234"}]}
`))
	f.Fuzz(func(t *testing.T, sel uint8, data []byte) {
		checkImport(t, sel, ingest.FormatNDJSON, data)
	})
}

// FuzzImportCSV feeds arbitrary bytes to Import as a CSV file of each kind.
func FuzzImportCSV(f *testing.F) {
	for i, kind := range cdp.RecordKinds {
		f.Add(uint8(i), []byte(csvSeeds[kind]))
		f.Add(uint8(i+6*(1+i%3)), []byte(csvSeeds[kind]))
	}
	f.Add(uint8(1), []byte("source_id,sku,quantity\nO1,A,1\nO1,B,x\n\"O1\"x,C,1\nO1,D,1\nO2\n"))
	f.Add(uint8(0), []byte("source_id,email\n\"a\"b,x@y.com\nc,\"unterminated\n"))
	// A BOM before a quoted header, an unclosed quote before good rows, a quoted field over
	// two lines, invalid UTF-8, and more decimals than the currency has.
	f.Add(uint8(2), []byte("\ufeff\"source_id\",customer_source_id,type,occurred_at,query\nE1,u,search,2026-01-01,\"open\nE2,u,search,2026-01-01,a\nE3,u,search,2026-01-01,\"two\r\nlines\"\nE4,u,search,2026-01-01,caf\xe9\nE5,u,search,2026-01-01,\"x\"y\n"))
	f.Add(uint8(1), []byte("source_id,customer_source_id,ordered_at,currency,sku,quantity,unit_price\nO1,C,2026-01-01,CNY,A,1,1.999\nO2,C,2026-01-01,JPY,A,1,1.5\nO2,C,2026-01-01,JPY,\"B,1,1\nO3,C,2026-01-01,KWD,A,1,1.234\n"))
	f.Fuzz(func(t *testing.T, sel uint8, data []byte) {
		checkImport(t, sel, ingest.FormatCSV, data)
	})
}

// checkImport imports data as the kind and batch size sel picks and checks the result:
// no panic, no error but a CSV without a header row, every record either accepted or
// rejected with errors naming a field and a reason at the record's position and line, and
// every record the store receives normalized.
func checkImport(t *testing.T, sel uint8, format ingest.Format, data []byte) {
	kind := cdp.RecordKinds[int(sel)%len(cdp.RecordKinds)]
	batch := 1 + int(sel)/len(cdp.RecordKinds)%4
	svc, store := fuzzService(t)
	progress := 0
	res, err := svc.Import(context.Background(), bytes.NewReader(data), ingest.ImportOptions{
		Source: fuzzSource, Kind: kind, Format: format, BatchSize: batch,
		Progress: func(n int) {
			if n < progress {
				t.Fatalf("progress went back from %d to %d", progress, n)
			}
			progress = n
		},
	})
	if err != nil {
		var e *cdp.Error
		if format == ingest.FormatCSV && errors.As(err, &e) && e.Code == cdp.EINVALID && e.Field == "header" {
			return
		}
		t.Fatalf("import failed: %v", err)
	}
	if res.Kind != kind {
		t.Fatalf("result kind %q, want %q", res.Kind, kind)
	}
	if progress > res.Received {
		t.Fatalf("progress %d beyond the %d records received", progress, res.Received)
	}
	checkResult(t, res, store, 1+bytes.Count(data, []byte("\n")))
}

// checkResult checks the accounting of a result against the store and its errors.
// maxLine is the last line a record may start on; 0 for batches that are not files.
func checkResult(t *testing.T, res *ingest.Result, store *memStore, maxLine int) {
	t.Helper()
	if res.Received != res.Accepted+res.Rejected || res.Rejected < 0 || res.Duplicates < 0 || res.Duplicates > res.Accepted {
		t.Fatalf("received %d, accepted %d, rejected %d, duplicates %d do not add up", res.Received, res.Accepted, res.Rejected, res.Duplicates)
	}
	if stored := store.records(); stored != res.Accepted-res.Duplicates || res.Created != stored {
		t.Fatalf("%d records stored (%d created); want accepted %d - duplicates %d", stored, res.Created, res.Accepted, res.Duplicates)
	}
	lineOf := map[int]int{}
	for _, e := range res.Errors {
		if !errorField.MatchString(e.Field) || strings.TrimSpace(e.Message) == "" {
			t.Fatalf("error without a field or a reason: %+v", e)
		}
		if e.Index < 0 || e.Index >= res.Received {
			t.Fatalf("error at position %d of %d records: %+v", e.Index, res.Received, e)
		}
		if maxLine > 0 && (e.Line < 1 || e.Line > maxLine) {
			t.Fatalf("error on line %d of a %d-line file: %+v", e.Line, maxLine, e)
		}
		if l, ok := lineOf[e.Index]; ok && l != e.Line {
			t.Fatalf("record %d reported on lines %d and %d: %+v", e.Index, l, e.Line, res.Errors)
		}
		lineOf[e.Index] = e.Line
	}
	if len(lineOf) != res.Rejected {
		t.Fatalf("%d records rejected, but errors name %d positions: %+v", res.Rejected, len(lineOf), res.Errors)
	}
	if maxLine > 0 {
		// Records come in file order: a later position starts on a later line.
		at := slices.Sorted(maps.Keys(lineOf))
		for i := 1; i < len(at); i++ {
			if lineOf[at[i]] <= lineOf[at[i-1]] {
				t.Fatalf("record %d is on line %d, record %d on line %d: %+v", at[i-1], lineOf[at[i-1]], at[i], lineOf[at[i]], res.Errors)
			}
		}
	}
}

// errorField is the shape of the field an error names: an NDJSON key or CSV column,
// perhaps of a list element, or "record" for a line that is no record at all.
var errorField = regexp.MustCompile(`^[a-z][a-z0-9_]*(\[\d+\])?(\.[a-z][a-z0-9_]*)*$`)

// FuzzIngestCustomer checks one customer record field by field: each field is rejected
// exactly when its normalizer rejects it, a blank optional field is never an error, and an
// accepted record holds exactly the normalizers' values.
func FuzzIngestCustomer(f *testing.F) {
	f.Add("C000003", "军辰", "蒋", "", "jiangjunchen@163.com", "+8618139802585", "2000-10-22", "male", "200082", "CN", "LY06929814", "", "", "")
	f.Add("C-1001", "", "", "王小明", " Wang.XM@QQ.com ", "138 0013 8000", "1990年5月4日", "男", "", "中国", "", "wechat:@Wang_XM", "cookie_id", "ck_0a89")
	f.Add("C-1002", "ann", "LEE", "", "ann@@example.com", "12345", "1990-02-30", "f", "sw1a 1aa", "United Kingdom", "ly 123 456", "", "passport", "X1")
	f.Add("u 1", "O'NEIL", "anne-marie", "Ann\u00a0\u00a0Lee", "ａｎｎ＠ｘ．ｃｏｍ", "+44 (0)20 7946 0958 ext. 12", "04/05/1990", "prefer not to say", "12345-6789", "usa", "", "weibo:", "phone", "0086 138 0013 8000")
	f.Add("", "J0hn", "\x00", "", "<a@b.co>", "+1", "2999-01-01", "?", "ÄÖ", "ZZ", "\xff", "x:handle", "email", "A@B.CO.")
	f.Add("C\uFFFD", "Ann\uFFFD", "W\xfc", "", "a\uFFFD@b.co", "", "", "", "", "", "LY\uFFFD", "wechat:\uFFFD", "cookie_id", "ck\uFFFD") // U+FFFD: decoded from invalid UTF-8
	f.Fuzz(func(t *testing.T, sourceID, given, family, full, email, phone, birth, gender, postcode, country, loyalty, handle, idType, idValue string) {
		rec := cdp.CustomerRecord{SourceID: sourceID, GivenName: given, FamilyName: family, FullName: full, Email: email,
			Phone: phone, BirthDate: birth, Gender: gender, Postcode: postcode, Country: country, LoyaltyID: loyalty,
			SocialHandle: handle, City: full}
		if idType != "" || idValue != "" {
			rec.Identifiers = []cdp.IdentifierRecord{{Type: idType, Value: idValue}}
		}
		svc, store := fuzzService(t)
		res, err := svc.IngestCustomers(context.Background(), "crm", []cdp.CustomerRecord{rec})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res, store, 0)

		// What each field's normalizer says, as ingest calls it.
		blank := func(s string) bool { return strings.TrimSpace(s) == "" }
		opt := func(v string, norm func(string) (string, error)) (string, error) {
			if blank(v) {
				return "", nil
			}
			return norm(v)
		}
		wantCountry, countryErr := opt(country, normalize.Country)
		region := "CN"
		if wantCountry != "" {
			region = wantCountry
		}
		want := map[string]struct {
			value string
			err   error
		}{}
		add := func(field string) func(string, error) {
			return func(v string, err error) {
				want[field] = struct {
					value string
					err   error
				}{v, err}
			}
		}
		add("country")(wantCountry, countryErr)
		add("given_name")(normalize.Name(given))
		add("family_name")(normalize.Name(family))
		add("full_name")(normalize.Name(full))
		add("city")(normalize.Text(full, 200))
		add("email")(opt(email, normalize.Email))
		add("phone")(opt(phone, func(v string) (string, error) { return normalize.Phone(v, region) }))
		add("birth_date")(opt(birth, func(v string) (string, error) { return normalize.Date(v, true, fuzzNow) }))
		add("gender")(normalize.Gender(gender))
		add("postcode")(opt(postcode, normalize.Postcode))
		add("loyalty_id")(opt(loyalty, func(v string) (string, error) { return normalize.Identifier("loyalty_id", v, region) }))
		add("social_handle")(opt(handle, func(v string) (string, error) { return normalize.Identifier("social_handle", v, region) }))

		failed := map[string]bool{}
		for _, e := range res.Errors {
			failed[e.Field] = true
			if e.Index != 0 {
				t.Fatalf("error of the only record at position %d: %+v", e.Index, e)
			}
		}
		for field, w := range want {
			if (w.err != nil) != failed[field] {
				t.Fatalf("field %s: normalizer says %v, ingest errors %+v", field, w.err, res.Errors)
			}
		}
		for field := range failed {
			if _, ok := want[field]; !ok && field != "source_id" && !strings.HasPrefix(field, "identifiers[0].") {
				t.Fatalf("error on field %q, which the record did not use: %+v", field, res.Errors)
			}
		}
		if res.Accepted == 0 {
			return
		}
		got := store.customers[0]
		p := got.Profile
		for field, v := range map[string]string{"country": p.Country, "given_name": p.GivenName, "family_name": p.FamilyName,
			"email": p.Email, "phone": p.Phone, "birth_date": p.BirthDate, "gender": p.Gender, "postcode": p.Postcode, "city": p.City} {
			if v != want[field].value {
				t.Fatalf("%s stored as %q, normalizer gives %q", field, v, want[field].value)
			}
		}
		if w := want["full_name"].value; w != "" && p.FullName != w {
			t.Fatalf("full_name stored as %q, normalizer gives %q", p.FullName, w)
		}
		for _, id := range []cdp.Identifier{{Type: cdp.IdentifierEmail, Value: p.Email}, {Type: cdp.IdentifierPhone, Value: p.Phone},
			{Type: cdp.IdentifierLoyaltyID, Value: want["loyalty_id"].value}, {Type: cdp.IdentifierSocialHandle, Value: want["social_handle"].value}} {
			if id.Value != "" && !slices.Contains(got.Identifiers, id) {
				t.Fatalf("identifier %s missing from %+v", id.Key(), got.Identifiers)
			}
		}
	})
}

var itemField = regexp.MustCompile(`^items\[\d+\]\.`)

// FuzzIngestOrder checks the money of an order of n identical lines: each field is
// rejected exactly when it should be, and an accepted order's line totals and total are
// the exact products and sum, in minor units that agree with the amounts.
func FuzzIngestOrder(f *testing.F) {
	f.Add("R81-20250101-0001", "POS-81-00090", "2025-01-01T12:29:55+08:00", "CNY", "78.00", "completed", "SKU-0190", "2", "39.00", uint8(1))
	f.Add("WO1", "u_a7c8ca", "2025-01-01 05:58", "rmb", "", "", "SKU-0101", " 3 ", "1,479.1234", uint8(3))
	f.Add("O3", "P2", "1767261600", "jpy", "1200", "Returned", "C", "100000", "99999999999999", uint8(1)) // minor units overflowed an int64
	f.Add("O3", "P2", "2026-06-30", "CLF", "", "pending", "C", "10000", "9999999999.9999", uint8(3))
	f.Add("O4", "P2", "2030-01-01", "KWD", "-1", "lost", "", "0", "-5.00", uint8(0))
	f.Add("O 5", "", "", "$", "1e3", "", "A", "x", "NaN", uint8(2))
	f.Add("O6", "P2", "2026-01-01", "CNY", "1.999", "", "A", "1", "0.125", uint8(1)) // more decimals than the currency
	f.Add("O7", "P2", "2026-01-01", "JPY", "", "", "A", "2", "1.5", uint8(1))
	f.Fuzz(func(t *testing.T, sourceID, customerID, orderedAt, currency, total, status, sku, quantity, unitPrice string, lines uint8) {
		n := int(lines % 4)
		rec := cdp.OrderRecord{SourceID: sourceID, CustomerSourceID: customerID, OrderedAt: orderedAt, Currency: currency, Total: total, Status: status}
		for range n {
			rec.Items = append(rec.Items, cdp.OrderItemRecord{SKU: sku, Name: "Tea", Category: "Tea", Quantity: quantity, UnitPrice: unitPrice})
		}
		svc, store := fuzzService(t)
		res, err := svc.IngestOrders(context.Background(), fuzzSource, []cdp.OrderRecord{rec})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res, store, 0)
		failed := map[string]bool{} // by field, for any line
		for _, e := range res.Errors {
			failed[itemField.ReplaceAllString(e.Field, "")] = true
		}

		code, currencyErr := normalize.Currency(currency)
		if (currencyErr != nil) != failed["currency"] {
			t.Fatalf("currency %q: normalizer says %v, ingest errors %+v", currency, currencyErr, res.Errors)
		}
		if currencyErr != nil {
			return // the lines are not judged without a currency
		}
		q, qErr := strconv.Atoi(strings.TrimSpace(quantity))
		qOK := qErr == nil && q >= 1 && q <= 100000
		price, priceErr := normalize.ParseMoney(unitPrice, code)
		priceOK := priceErr == nil && !price.Amount.IsNegative()
		stated, totalErr := normalize.ParseMoney(total, code)
		totalOK := strings.TrimSpace(total) == "" || totalErr == nil && !stated.Amount.IsNegative()
		if n > 0 && (failed["quantity"] == qOK || failed["unit_price"] == priceOK) {
			t.Fatalf("quantity %q (ok %v), unit price %q (ok %v): ingest errors %+v", quantity, qOK, unitPrice, priceOK, res.Errors)
		}
		// Line totals and the total of the lines stay below 10^14, as parsed amounts do, so
		// that minor units fit an int64.
		line := normalize.Money{Amount: price.Amount.Mul(decimal.NewFromInt(int64(q))), Currency: code}
		sum := normalize.Money{Amount: line.Amount.Mul(decimal.NewFromInt(int64(n))), Currency: code}
		lineTooLarge := n > 0 && qOK && priceOK && line.Amount.GreaterThanOrEqual(decimal.New(1, 14))
		sumTooLarge := n > 0 && qOK && priceOK && !lineTooLarge && strings.TrimSpace(total) == "" && sum.Amount.GreaterThanOrEqual(decimal.New(1, 14))
		if failed["items[0]"] != lineTooLarge {
			t.Fatalf("%d x %s = %s: ingest errors %+v", q, price.Amount, line.Amount, res.Errors)
		}
		linesOK := n > 0 && qOK && priceOK && !lineTooLarge
		totalTooHigh := linesOK && totalErr == nil && stated.Amount.GreaterThan(sum.Amount.Mul(decimal.NewFromInt(2)))
		if failed["items"] != (n == 0) || failed["total"] != (!totalOK || sumTooLarge || totalTooHigh) {
			t.Fatalf("%d lines, total %q (ok %v), lines add up to %s: ingest errors %+v", n, total, totalOK, sum.Amount, res.Errors)
		}
		if res.Accepted == 0 {
			return
		}
		o := store.orders[0]
		if len(o.Items) != n {
			t.Fatalf("%d lines stored, sent %d", len(o.Items), n)
		}
		if strings.TrimSpace(total) != "" {
			sum = stated
		}
		for _, it := range o.Items {
			if it.Quantity != q || it.UnitPrice != money(price) || it.LineTotal != money(line) {
				t.Fatalf("line %+v, want %d x %+v = %+v", it, q, money(price), money(line))
			}
		}
		if o.Total != money(sum) {
			t.Fatalf("total %+v, want %+v", o.Total, money(sum))
		}
	})
}

// money is the cdp.Money of an exact amount, as the store should receive it.
func money(m normalize.Money) cdp.Money {
	amount, _, _ := strings.Cut(m.String(), " ")
	return cdp.Money{Amount: amount, Minor: m.Minor(), Currency: m.Currency}
}

func fuzzService(t *testing.T) (*ingest.Service, *memStore) {
	store := &memStore{t: t}
	return ingest.NewService(store, ingest.Options{
		DefaultRegion: "CN", Location: fuzzZone, DayFirst: true, Now: func() time.Time { return fuzzNow },
	}), store
}

// memStore is an in-memory cdp.IngestStore that checks every record it is handed: each
// write holds distinct keys, and every value in it is normalized.
type memStore struct {
	t         *testing.T
	customers []cdp.SourceRecord
	orders    []cdp.Order
	events    []cdp.Event
	feedback  []cdp.Feedback
	ties      []cdp.SocialTie
	consents  []cdp.Consent
}

func (s *memStore) records() int {
	return len(s.customers) + len(s.orders) + len(s.events) + len(s.feedback) + len(s.ties) + len(s.consents)
}

func (s *memStore) Suppressed(context.Context, []string) (map[string]bool, error) { return nil, nil }

func (s *memStore) WriteCustomers(_ context.Context, recs []cdp.SourceRecord) (cdp.WriteStats, error) {
	s.distinct(len(recs), func(i int) string { return recs[i].SourceID })
	for _, r := range recs {
		s.checkCustomer(r)
	}
	s.customers = append(s.customers, recs...)
	return cdp.WriteStats{Created: len(recs)}, nil
}

func (s *memStore) WriteOrders(_ context.Context, orders []cdp.Order) (cdp.WriteStats, error) {
	s.distinct(len(orders), func(i int) string { return orders[i].SourceID })
	for _, o := range orders {
		s.checkOrder(o)
	}
	s.orders = append(s.orders, orders...)
	return cdp.WriteStats{Created: len(orders)}, nil
}

func (s *memStore) WriteEvents(_ context.Context, events []cdp.Event) (cdp.WriteStats, error) {
	s.distinct(len(events), func(i int) string { return events[i].SourceID })
	for _, e := range events {
		s.checkID("source_id", e.Source, e.SourceID)
		s.checkRef("customer_source_id", e.CustomerSourceID)
		s.checkOneOf("type", e.Type, cdp.EventTypes)
		s.checkTime("occurred_at", e.OccurredAt, true)
		s.checkText(e.Channel, e.SKU, e.Query, e.URL, e.SessionID)
	}
	s.events = append(s.events, events...)
	return cdp.WriteStats{Created: len(events)}, nil
}

func (s *memStore) WriteFeedback(_ context.Context, fb []cdp.Feedback) (cdp.WriteStats, error) {
	s.distinct(len(fb), func(i int) string { return fb[i].SourceID })
	for _, f := range fb {
		s.checkID("source_id", f.Source, f.SourceID)
		s.checkRef("customer_source_id", f.CustomerSourceID)
		s.checkOneOf("kind", f.Kind, cdp.FeedbackKinds)
		if f.Status != "" {
			s.checkOneOf("status", f.Status, cdp.FeedbackStatuses)
		}
		s.checkTime("created_at", f.CreatedAt, true)
		s.checkText(f.Channel, f.Text, f.SKU)
		if f.Rating != nil && (*f.Rating < 0 || *f.Rating > 10) {
			s.t.Fatalf("rating %d stored", *f.Rating)
		}
		if f.Text == "" && f.Rating == nil {
			s.t.Fatalf("feedback %q stored without text or rating", f.SourceID)
		}
		if (f.Sentiment != nil) != (f.Text != "") {
			s.t.Fatalf("feedback %q: text %q, sentiment %+v", f.SourceID, f.Text, f.Sentiment)
		}
		if f.Sentiment != nil && (math.IsNaN(f.Sentiment.Score) || math.Abs(f.Sentiment.Score) > 1) {
			s.t.Fatalf("sentiment score %v of %q", f.Sentiment.Score, f.Text)
		}
	}
	s.feedback = append(s.feedback, fb...)
	return cdp.WriteStats{Created: len(fb)}, nil
}

func (s *memStore) WriteSocialTies(_ context.Context, ties []cdp.SocialTie) (cdp.WriteStats, error) {
	s.distinct(len(ties), func(i int) string { return ties[i].FromSourceID + ">" + ties[i].Type + ">" + ties[i].ToSourceID })
	for _, t := range ties {
		s.checkID("from_source_id", t.Source, t.FromSourceID)
		s.checkRef("to_source_id", t.ToSourceID)
		s.checkOneOf("type", t.Type, cdp.SocialTieTypes)
		s.checkTime("occurred_at", t.OccurredAt, false)
		if t.FromSourceID == t.ToSourceID || t.Count < 1 {
			s.t.Fatalf("tie stored: %+v", t)
		}
	}
	s.ties = append(s.ties, ties...)
	return cdp.WriteStats{Created: len(ties)}, nil
}

func (s *memStore) WriteConsents(_ context.Context, consents []cdp.Consent) (cdp.WriteStats, error) {
	s.distinct(len(consents), func(i int) string { return consents[i].SourceID })
	for _, c := range consents {
		s.checkID("source_id", c.Source, c.SourceID)
		s.checkRef("customer_source_id", c.CustomerSourceID)
		// A purpose may be qualified ("partner_sharing:acme"); its kind is a known purpose.
		kind, _, _ := strings.Cut(c.Purpose, ":")
		if c.Purpose != strings.ToLower(strings.TrimSpace(c.Purpose)) || !slices.Contains(cdp.ConsentPurposes, kind) {
			s.t.Fatalf("purpose %q stored", c.Purpose)
		}
		s.checkTime("occurred_at", c.OccurredAt, true)
	}
	s.consents = append(s.consents, consents...)
	return cdp.WriteStats{Created: len(consents)}, nil
}

func (s *memStore) distinct(n int, key func(int) string) {
	seen := map[string]bool{}
	for i := range n {
		k := key(i)
		if seen[k] {
			s.t.Fatalf("key %q written twice in one batch", k)
		}
		seen[k] = true
	}
}

// checkID checks a record's own id: of this source, non-empty, no white space.
func (s *memStore) checkID(field, source, id string) {
	s.t.Helper()
	if source != fuzzSource && source != "crm" {
		s.t.Fatalf("%s %q: source %q", field, id, source)
	}
	s.checkRef(field, id)
	if strings.IndexFunc(id, unicode.IsSpace) >= 0 {
		s.t.Fatalf("%s %q has white space", field, id)
	}
}

// checkRef checks an id: non-empty normalized text of at most 200 characters.
func (s *memStore) checkRef(field, id string) {
	s.t.Helper()
	if id == "" || utf8.RuneCountInString(id) > 200 {
		s.t.Fatalf("%s %q stored", field, id)
	}
	s.checkText(id)
}

// checkText checks that texts are as normalize.Text leaves them: valid UTF-8, trimmed,
// white space collapsed, no control characters.
func (s *memStore) checkText(texts ...string) {
	s.t.Helper()
	for _, v := range texts {
		if n, err := normalize.Text(v, 0); err != nil || n != v {
			s.t.Fatalf("text %q stored, normalized it is %q (%v)", v, n, err)
		}
	}
}

func (s *memStore) checkOneOf(field, v string, allowed []string) {
	s.t.Helper()
	if !slices.Contains(allowed, v) {
		s.t.Fatalf("%s %q stored", field, v)
	}
}

// checkTime checks a timestamp: in UTC, from 1900, at most a day ahead of now.
func (s *memStore) checkTime(field string, v time.Time, required bool) {
	s.t.Helper()
	if v.IsZero() {
		if required {
			s.t.Fatalf("%s stored without a time", field)
		}
		return
	}
	if v.Location() != time.UTC || v.Year() < 1900 || v.After(fuzzNow.Add(24*time.Hour)) {
		s.t.Fatalf("%s %v stored", field, v)
	}
}

var (
	e164      = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	isoDate   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	alpha2    = regexp.MustCompile(`^[A-Z]{2}$`)
	amountFmt = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
)

func (s *memStore) checkCustomer(r cdp.SourceRecord) {
	s.t.Helper()
	s.checkID("source_id", r.Source, r.SourceID)
	p := r.Profile
	same := func(field, v string, norm func(string) (string, error)) {
		if v == "" {
			return
		}
		if n, err := norm(v); err != nil || n != v {
			s.t.Fatalf("%s %q stored, normalized again it is %q (%v)", field, v, n, err)
		}
	}
	same("email", p.Email, normalize.Email)
	if p.Email != strings.ToLower(p.Email) {
		s.t.Fatalf("email %q stored with upper case", p.Email)
	}
	if p.Phone != "" && !e164.MatchString(p.Phone) {
		s.t.Fatalf("phone %q stored, not E.164", p.Phone)
	}
	same("phone", p.Phone, func(v string) (string, error) { return normalize.Phone(v, "") })
	if p.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, p.BirthDate)
		if !isoDate.MatchString(p.BirthDate) || err != nil || d.Year() < 1900 || d.After(fuzzNow) {
			s.t.Fatalf("birth date %q stored", p.BirthDate)
		}
	}
	if p.Country != "" && !alpha2.MatchString(p.Country) {
		s.t.Fatalf("country %q stored", p.Country)
	}
	same("country", p.Country, normalize.Country)
	same("postcode", p.Postcode, normalize.Postcode)
	same("given_name", p.GivenName, normalize.Name)
	same("family_name", p.FamilyName, normalize.Name)
	if p.Gender != "" {
		s.checkOneOf("gender", p.Gender, []string{"male", "female", "other", "unknown"})
	}
	s.checkText(p.FullName, p.AddressLine1, p.AddressLine2, p.City, p.Region)
	s.checkTime("updated_at", r.UpdatedAt, false)

	region := "CN"
	if p.Country != "" {
		region = p.Country
	}
	seen := map[cdp.Identifier]bool{}
	for _, id := range r.Identifiers {
		if seen[id] || !slices.Contains(cdp.IdentifierTypes, id.Type) || id.Value == "" {
			s.t.Fatalf("identifier %s stored in %+v", id.Key(), r.Identifiers)
		}
		seen[id] = true
		same("identifier "+string(id.Type), id.Value, func(v string) (string, error) { return normalize.Identifier(string(id.Type), v, region) })
	}
	for _, id := range []cdp.Identifier{{Type: cdp.IdentifierEmail, Value: p.Email}, {Type: cdp.IdentifierPhone, Value: p.Phone}} {
		if id.Value != "" && !seen[id] {
			s.t.Fatalf("profile %s is not an identifier: %+v", id.Type, r.Identifiers)
		}
	}
}

func (s *memStore) checkOrder(o cdp.Order) {
	s.t.Helper()
	s.checkID("source_id", o.Source, o.SourceID)
	s.checkRef("customer_source_id", o.CustomerSourceID)
	s.checkTime("ordered_at", o.OrderedAt, true)
	s.checkOneOf("status", o.Status, cdp.OrderStatuses)
	s.checkText(o.Channel, o.StoreID)
	currency := o.Total.Currency
	if c, err := normalize.Currency(currency); err != nil || c != currency {
		s.t.Fatalf("currency %q stored", currency)
	}
	if len(o.Items) < 1 || len(o.Items) > 500 {
		s.t.Fatalf("order %q stored with %d lines", o.SourceID, len(o.Items))
	}
	for _, it := range o.Items {
		if it.Quantity < 1 || it.Quantity > 100000 || it.Product.SKU == "" || it.Product.Category != strings.ToLower(it.Product.Category) {
			s.t.Fatalf("line stored: %+v", it)
		}
		s.checkText(it.Product.SKU, it.Product.Name, it.Product.Category)
		s.checkMoney("unit_price", it.UnitPrice, currency)
		s.checkMoney("line total", it.LineTotal, currency)
	}
	s.checkMoney("total", o.Total, currency)
}

// checkMoney checks an amount: non-negative, in the order's currency, written with the
// currency's decimals, and Minor is that amount in minor units, exactly.
func (s *memStore) checkMoney(what string, m cdp.Money, currency string) {
	s.t.Helper()
	if m.Currency != currency || !amountFmt.MatchString(m.Amount) || strings.HasPrefix(m.Amount, "-") {
		s.t.Fatalf("%s stored as %+v", what, m)
	}
	minor, ok := new(big.Int).SetString(strings.Replace(m.Amount, ".", "", 1), 10)
	if !ok || !minor.IsInt64() || minor.Int64() != m.Minor {
		s.t.Fatalf("%s stored as %+v: minor units do not match the amount", what, m)
	}
	if back, err := normalize.ParseMoney(m.Amount, currency); err != nil || back.String() != m.Amount+" "+currency {
		s.t.Fatalf("%s stored as %+v: not in the currency's decimals (%v)", what, m, err)
	}
}
