// Package normalize holds the data-quality normalizers of the customer data platform:
// each takes the raw text a source system sent for one field and returns its canonical
// form (lower-cased e-mail, E.164 phone, ISO date, UTC instant, exact money, ISO codes)
// or an error.
//
// Errors are short, lower-case and safe to show to the caller; they never name the
// record or field, which the caller adds. Parsers of values (Email, Phone, Date,
// Timestamp, ParseMoney, Currency, Country, Identifier) reject empty input, while the
// cleaners of optional free-form fields (Name, Gender, Postcode, Text) return "" for it.
//
// Every function is pure, safe for concurrent use and must not panic on any input: they
// run on untrusted files and API calls. Each accepted output normalizes to itself, so
// re-importing already clean data changes nothing.
package normalize
