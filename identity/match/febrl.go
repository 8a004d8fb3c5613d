package match

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadFebrl reads a Febrl CSV (rec_id, given_name, surname, street_number, address_1,
// address_2, suburb, postcode, state, date_of_birth, soc_sec_id; a header line is
// skipped) into Records, with the truth: record id -> person key "N" for ids rec-N-org
// and rec-N-dup-K. Every value is read as a string; dates YYYYMMDD become YYYY-MM-DD.
func ReadFebrl(r io.Reader) ([]Record, map[string]string, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var recs []Record
	truth := map[string]string{}
	line := 0
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("febrl: %w", err)
		}
		line++
		if line == 1 && len(row) > 0 && strings.TrimSpace(row[0]) == "rec_id" {
			continue
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) < 11 {
			return nil, nil, fmt.Errorf("febrl: line %d: %d columns, want 11", line, len(row))
		}
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
		rec := Record{
			ID:           row[0],
			GivenName:    row[1],
			FamilyName:   row[2],
			StreetNumber: row[3],
			AddressLine1: row[4],
			AddressLine2: row[5],
			City:         row[6],
			Postcode:     row[7],
			Region:       row[8],
			BirthDate:    febrlDate(row[9]),
			NationalID:   row[10],
			Country:      "",
		}
		if key := febrlPerson(rec.ID); key != "" {
			truth[rec.ID] = key
		}
		recs = append(recs, rec)
	}
	return recs, truth, nil
}

func febrlDate(s string) string {
	if len(s) != 8 {
		return s
	}
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

// febrlPerson returns N of rec-N-org / rec-N-dup-K.
func febrlPerson(id string) string {
	parts := strings.Split(id, "-")
	if len(parts) >= 3 && parts[0] == "rec" {
		return parts[1]
	}
	return ""
}
