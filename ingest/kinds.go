package ingest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/normalize"
)

const (
	maxIDLen     = 200
	maxShortText = 200
	maxLongText  = 5000
	maxItems     = 500
	maxQuantity  = 100000
	futureLeeway = 24 * time.Hour // clocks of tills and apps drift; a day ahead is still plausible
)

// maxAmount bounds line totals and order totals as normalize.ParseMoney bounds amounts
// (14 integer digits), so that their minor units fit an int64 in every currency.
var maxAmount = decimal.New(1, 14)

// maxTotalOverLines bounds a stated order total against its lines. The total is what was
// paid: the lines less discounts, plus tax, shipping and fees. Any discount is accepted (a
// free order is an order), and tax and shipping may add up to the lines' own value again;
// beyond that the total is a data error (a misplaced decimal point, another order's total),
// which would otherwise count as revenue, so the order is refused naming its total.
var maxTotalOverLines = decimal.NewFromInt(2)

// IngestCustomers validates and stores customer records of one source.
func (s *Service) IngestCustomers(ctx context.Context, source string, recs []cdp.CustomerRecord) (*Result, error) {
	return run(ctx, s, cdp.KindCustomers, source, recs, func(c *recordCheck, r cdp.CustomerRecord) cdp.SourceRecord {
		return s.cleanCustomer(c, source, r)
	}, func(r cdp.SourceRecord) string { return r.SourceID }, func(r cdp.SourceRecord) []string {
		keys := []string{r.Key()}
		for _, id := range r.Identifiers {
			keys = append(keys, id.Key())
		}
		return keys
	}, s.store.WriteCustomers)
}

func (s *Service) cleanCustomer(c *recordCheck, source string, r cdp.CustomerRecord) cdp.SourceRecord {
	out := cdp.SourceRecord{Source: source, SourceID: s.sourceID(c, "source_id", r.SourceID)}
	p := &out.Profile
	p.GivenName = c.ok("given_name")(normalize.Name(r.GivenName))
	p.FamilyName = c.ok("family_name")(normalize.Name(r.FamilyName))
	p.FullName = c.ok("full_name")(normalize.Name(r.FullName))
	if p.FullName == "" {
		p.FullName = fullName(p.GivenName, p.FamilyName)
	}
	p.Country = optional(c, "country", r.Country, normalize.Country)
	// A number written without +country is most likely local to the customer's own country.
	region := s.opts.DefaultRegion
	if p.Country != "" {
		region = p.Country
	}
	p.Email = optional(c, "email", r.Email, normalize.Email)
	p.Phone = optional(c, "phone", r.Phone, func(v string) (string, error) { return normalize.Phone(v, region) })
	p.BirthDate = optional(c, "birth_date", r.BirthDate, func(v string) (string, error) {
		return normalize.Date(v, s.opts.DayFirst, s.opts.Now())
	})
	p.Gender = c.ok("gender")(normalize.Gender(r.Gender))
	p.AddressLine1 = c.ok("address_line1")(normalize.Text(r.AddressLine1, maxShortText))
	p.AddressLine2 = c.ok("address_line2")(normalize.Text(r.AddressLine2, maxShortText))
	p.City = c.ok("city")(normalize.Text(r.City, maxShortText))
	p.Region = c.ok("region")(normalize.Text(r.Region, maxShortText))
	p.Postcode = optional(c, "postcode", r.Postcode, normalize.Postcode)
	out.UpdatedAt = s.optionalTime(c, "updated_at", r.UpdatedAt)

	add := func(typ cdp.IdentifierType, value string) {
		if value != "" && !slices.Contains(out.Identifiers, cdp.Identifier{Type: typ, Value: value}) {
			out.Identifiers = append(out.Identifiers, cdp.Identifier{Type: typ, Value: value})
		}
	}
	add(cdp.IdentifierEmail, p.Email)
	add(cdp.IdentifierPhone, p.Phone)
	for _, f := range []struct {
		field string
		typ   cdp.IdentifierType
		value string
	}{
		{"loyalty_id", cdp.IdentifierLoyaltyID, r.LoyaltyID},
		{"device_id", cdp.IdentifierDeviceID, r.DeviceID},
		{"cookie_id", cdp.IdentifierCookieID, r.CookieID},
		{"social_handle", cdp.IdentifierSocialHandle, r.SocialHandle},
	} {
		add(f.typ, optional(c, f.field, f.value, func(v string) (string, error) {
			return normalize.Identifier(string(f.typ), v, region)
		}))
	}
	for i, id := range r.Identifiers {
		field := fmt.Sprintf("identifiers[%d]", i)
		typ := cdp.IdentifierType(strings.ToLower(strings.TrimSpace(id.Type)))
		if !slices.Contains(cdp.IdentifierTypes, typ) {
			c.fail(field+".type", "unknown identifier type %q; expected one of %s", id.Type, joinTypes())
			continue
		}
		add(typ, c.ok(field+".value")(normalize.Identifier(string(typ), id.Value, region)))
	}
	return out
}

// IngestOrders validates and stores orders of one source.
func (s *Service) IngestOrders(ctx context.Context, source string, recs []cdp.OrderRecord) (*Result, error) {
	return run(ctx, s, cdp.KindOrders, source, recs, func(c *recordCheck, r cdp.OrderRecord) cdp.Order {
		return s.cleanOrder(c, source, r)
	}, func(o cdp.Order) string { return o.SourceID }, func(o cdp.Order) []string { return []string{cdp.RecordKey(source, o.CustomerSourceID)} }, s.store.WriteOrders)
}

func (s *Service) cleanOrder(c *recordCheck, source string, r cdp.OrderRecord) cdp.Order {
	o := cdp.Order{Source: source, SourceID: s.sourceID(c, "source_id", r.SourceID)}
	o.CustomerSourceID = s.reference(c, "customer_source_id", r.CustomerSourceID)
	o.OrderedAt = s.requiredTime(c, "ordered_at", r.OrderedAt)
	o.Status = s.oneOf(c, "status", r.Status, cdp.OrderStatuses, "completed")
	o.Channel = c.ok("channel")(normalize.Text(r.Channel, maxShortText))
	o.StoreID = c.ok("store_id")(normalize.Text(r.StoreID, maxShortText))
	currency, err := normalize.Currency(r.Currency)
	if err != nil {
		c.fail("currency", "%s", err.Error())
		return o
	}
	switch {
	case len(r.Items) == 0:
		c.fail("items", "an order needs at least one item")
	case len(r.Items) > maxItems:
		c.fail("items", "an order holds at most %d items, got %d", maxItems, len(r.Items))
	}
	sum := decimal.Zero
	for i, it := range r.Items {
		field := fmt.Sprintf("items[%d]", i)
		item := cdp.OrderItem{}
		item.Product.SKU = s.required(c, field+".sku", it.SKU, maxIDLen)
		item.Product.Name = c.ok(field + ".name")(normalize.Text(it.Name, maxShortText))
		item.Product.Category = strings.ToLower(c.ok(field + ".category")(normalize.Text(it.Category, maxShortText)))
		q, err := strconv.Atoi(strings.TrimSpace(it.Quantity))
		switch {
		case err != nil:
			c.fail(field+".quantity", "%q is not a whole number", it.Quantity)
		case q < 1 || q > maxQuantity:
			c.fail(field+".quantity", "must be between 1 and %d, got %d", maxQuantity, q)
		}
		item.Quantity = q
		price, err := normalize.ParseMoney(it.UnitPrice, currency)
		if err != nil {
			c.fail(field+".unit_price", "%s", err.Error())
			continue
		}
		if price.Amount.IsNegative() {
			c.fail(field+".unit_price", "must not be negative, got %s", it.UnitPrice)
			continue
		}
		if q < 1 || q > maxQuantity {
			continue // reported above; the line has no total
		}
		line := normalize.Money{Amount: price.Amount.Mul(decimal.NewFromInt(int64(q))), Currency: currency}
		if line.Amount.GreaterThanOrEqual(maxAmount) {
			c.fail(field, "quantity times unit_price is %s, too large", line.Amount)
			continue
		}
		sum = sum.Add(line.Amount)
		item.UnitPrice, item.LineTotal = money(price), money(line)
		o.Items = append(o.Items, item)
	}
	total := normalize.Money{Amount: sum, Currency: currency}
	if strings.TrimSpace(r.Total) == "" && sum.GreaterThanOrEqual(maxAmount) {
		c.fail("total", "the lines add up to %s, too large", sum)
	}
	if strings.TrimSpace(r.Total) != "" {
		// A stated total may differ from the lines (discounts, tax, shipping); it is what
		// was paid, within maxTotalOverLines of the lines.
		t, err := normalize.ParseMoney(r.Total, currency)
		switch {
		case err != nil:
			c.fail("total", "%s", err.Error())
		case t.Amount.IsNegative():
			c.fail("total", "must not be negative, got %s", r.Total)
		case len(r.Items) > 0 && len(o.Items) == len(r.Items) && t.Amount.GreaterThan(sum.Mul(maxTotalOverLines)):
			c.fail("total", "%s is more than %s times the lines, which add up to %s; send the amount paid, or leave total empty to use the lines",
				t, maxTotalOverLines, normalize.Money{Amount: sum, Currency: currency})
		}
		total = t
	}
	o.Total = money(total)
	return o
}

// IngestEvents validates and stores behaviour events of one source.
func (s *Service) IngestEvents(ctx context.Context, source string, recs []cdp.EventRecord) (*Result, error) {
	return run(ctx, s, cdp.KindEvents, source, recs, func(c *recordCheck, r cdp.EventRecord) cdp.Event {
		e := cdp.Event{Source: source, SourceID: s.sourceID(c, "source_id", r.SourceID)}
		e.CustomerSourceID = s.reference(c, "customer_source_id", r.CustomerSourceID)
		e.Type = s.oneOf(c, "type", r.Type, cdp.EventTypes, "")
		e.OccurredAt = s.requiredTime(c, "occurred_at", r.OccurredAt)
		e.Channel = c.ok("channel")(normalize.Text(r.Channel, maxShortText))
		e.SKU = c.ok("sku")(normalize.Text(r.SKU, maxIDLen))
		e.Query = c.ok("query")(normalize.Text(r.Query, maxShortText))
		e.URL = c.ok("url")(normalize.Text(r.URL, 2000))
		e.SessionID = c.ok("session_id")(normalize.Text(r.SessionID, maxIDLen))
		return e
	}, func(e cdp.Event) string { return e.SourceID }, func(e cdp.Event) []string { return []string{cdp.RecordKey(source, e.CustomerSourceID)} }, s.store.WriteEvents)
}

// IngestFeedback validates and stores feedback of one source.
func (s *Service) IngestFeedback(ctx context.Context, source string, recs []cdp.FeedbackRecord) (*Result, error) {
	return run(ctx, s, cdp.KindFeedback, source, recs, func(c *recordCheck, r cdp.FeedbackRecord) cdp.Feedback {
		f := cdp.Feedback{Source: source, SourceID: s.sourceID(c, "source_id", r.SourceID)}
		f.CustomerSourceID = s.reference(c, "customer_source_id", r.CustomerSourceID)
		f.Kind = s.oneOf(c, "kind", r.Kind, cdp.FeedbackKinds, "")
		f.CreatedAt = s.requiredTime(c, "created_at", r.CreatedAt)
		f.Channel = c.ok("channel")(normalize.Text(r.Channel, maxShortText))
		f.Text = c.ok("text")(normalize.Text(r.Text, maxLongText))
		f.Status = s.oneOf(c, "status", r.Status, cdp.FeedbackStatuses, "")
		f.SKU = c.ok("sku")(normalize.Text(r.SKU, maxIDLen))
		if v := strings.TrimSpace(r.Rating); v != "" {
			n, err := strconv.Atoi(v)
			switch {
			case err != nil:
				c.fail("rating", "%q is not a whole number", r.Rating)
			case n < 0 || n > 10:
				c.fail("rating", "must be between 0 and 10 (stars 1-5 or NPS 0-10), got %d", n)
			default:
				f.Rating = &n
			}
		}
		if f.Text == "" && f.Rating == nil && len(c.errs) == 0 {
			c.fail("text", "feedback needs a text or a rating")
		}
		if f.Text != "" {
			f.Sentiment = AnalyzeText(f.Text)
		}
		return f
	}, func(f cdp.Feedback) string { return f.SourceID }, func(f cdp.Feedback) []string { return []string{cdp.RecordKey(source, f.CustomerSourceID)} }, s.store.WriteFeedback)
}

// IngestSocial validates and stores social ties between accounts of one source.
func (s *Service) IngestSocial(ctx context.Context, source string, recs []cdp.SocialRecord) (*Result, error) {
	return run(ctx, s, cdp.KindSocial, source, recs, func(c *recordCheck, r cdp.SocialRecord) cdp.SocialTie {
		t := cdp.SocialTie{Source: source}
		t.FromSourceID = s.sourceID(c, "from_source_id", r.FromSourceID)
		t.ToSourceID = s.reference(c, "to_source_id", r.ToSourceID)
		t.Type = s.oneOf(c, "type", r.Type, cdp.SocialTieTypes, "")
		if t.FromSourceID != "" && t.FromSourceID == t.ToSourceID {
			c.fail("to_source_id", "a tie needs two different accounts")
		}
		t.OccurredAt = s.optionalTime(c, "occurred_at", r.OccurredAt)
		t.Count = 1
		if v := strings.TrimSpace(r.Count); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				c.fail("count", "must be a whole number of at least 1, got %q", r.Count)
			}
			t.Count = n
		}
		return t
	}, func(t cdp.SocialTie) string { return t.FromSourceID + ">" + t.Type + ">" + t.ToSourceID }, func(t cdp.SocialTie) []string {
		return []string{cdp.RecordKey(source, t.FromSourceID), cdp.RecordKey(source, t.ToSourceID)}
	}, s.store.WriteSocialTies)
}

// IngestConsents validates and stores consent decisions of one source.
func (s *Service) IngestConsents(ctx context.Context, source string, recs []cdp.ConsentRecord) (*Result, error) {
	return run(ctx, s, cdp.KindConsents, source, recs, func(c *recordCheck, r cdp.ConsentRecord) cdp.Consent {
		k := cdp.Consent{Source: source, SourceID: s.sourceID(c, "source_id", r.SourceID)}
		k.CustomerSourceID = s.reference(c, "customer_source_id", r.CustomerSourceID)
		if p := strings.ToLower(strings.TrimSpace(r.Purpose)); strings.HasPrefix(p, "partner_sharing:") {
			// Sharing with one named partner overrides the general partner_sharing decision.
			if k.Purpose = p; !cdp.ValidPartnerID(strings.TrimPrefix(p, "partner_sharing:")) {
				c.fail("purpose", "%q: a partner id is lower-case letters, digits, '-' or '_', at most 40", r.Purpose)
			}
		} else {
			k.Purpose = s.oneOf(c, "purpose", r.Purpose, cdp.ConsentPurposes, "")
		}
		k.OccurredAt = s.requiredTime(c, "occurred_at", r.OccurredAt)
		switch strings.ToLower(strings.TrimSpace(r.Granted)) {
		case "true", "yes", "y", "1", "granted", "opt-in", "opt_in":
			k.Granted = true
		case "false", "no", "n", "0", "denied", "withdrawn", "opt-out", "opt_out":
		default:
			c.fail("granted", "%q is not a yes/no value (true/false, yes/no, 1/0)", r.Granted)
		}
		return k
	}, func(k cdp.Consent) string { return k.SourceID }, func(k cdp.Consent) []string { return []string{cdp.RecordKey(source, k.CustomerSourceID)} }, s.store.WriteConsents)
}

// sourceID validates the record's own id and remembers it for the record's error reports.
func (s *Service) sourceID(c *recordCheck, field, v string) string {
	id := s.required(c, field, v, maxIDLen)
	c.sourceID = id
	for _, r := range id {
		if unicode.IsSpace(r) {
			c.fail(field, "must not contain spaces")
			break
		}
	}
	return id
}

// reference validates an id that points at another record of the same source.
func (s *Service) reference(c *recordCheck, field, v string) string {
	return s.required(c, field, v, maxIDLen)
}

func (s *Service) required(c *recordCheck, field, v string, max int) string {
	t, err := normalize.Text(v, max)
	if err != nil {
		c.fail(field, "%s", err.Error())
	} else if t == "" {
		c.fail(field, "is required")
	}
	return t
}

func (s *Service) oneOf(c *recordCheck, field, v string, allowed []string, def string) string {
	t := strings.ToLower(strings.TrimSpace(v))
	if t == "" {
		if def == "" && !slices.Contains(allowed, "") && field != "status" {
			c.fail(field, "is required; expected one of %s", strings.Join(allowed, ", "))
		}
		return def
	}
	if !slices.Contains(allowed, t) {
		c.fail(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	return t
}

func (s *Service) requiredTime(c *recordCheck, field, v string) time.Time {
	if strings.TrimSpace(v) == "" {
		c.fail(field, "is required")
		return time.Time{}
	}
	return s.optionalTime(c, field, v)
}

func (s *Service) optionalTime(c *recordCheck, field, v string) time.Time {
	if strings.TrimSpace(v) == "" {
		return time.Time{}
	}
	t, err := normalize.Timestamp(v, s.opts.Location)
	if err != nil {
		c.fail(field, "%s", err.Error())
		return time.Time{}
	}
	if t.After(s.opts.Now().Add(futureLeeway)) {
		c.fail(field, "%s is in the future", t.Format(time.RFC3339))
	}
	return t
}

// optional normalizes a value only when one was given.
func optional(c *recordCheck, field, v string, norm func(string) (string, error)) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return c.ok(field)(norm(v))
}

// fullName joins given and family name the way the script writes them: Chinese, Japanese
// and Korean names family name first without a space.
func fullName(given, family string) string {
	switch {
	case given == "":
		return family
	case family == "":
		return given
	case isCJK(family) && isCJK(given):
		return family + given
	}
	return given + " " + family
}

func isCJK(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && !unicode.Is(unicode.Hangul, r) && !unicode.Is(unicode.Hiragana, r) && !unicode.Is(unicode.Katakana, r) {
			return false
		}
	}
	return s != ""
}

func money(m normalize.Money) cdp.Money {
	amount, _, _ := strings.Cut(m.String(), " ")
	return cdp.Money{Amount: amount, Minor: m.Minor(), Currency: m.Currency}
}

func joinTypes() string {
	names := make([]string, len(cdp.IdentifierTypes))
	for i, t := range cdp.IdentifierTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
