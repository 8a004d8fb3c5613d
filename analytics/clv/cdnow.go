package clv

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ReadCDNOW parses the CDNOW transaction log of Fader and Hardie, one purchase per line
// as whitespace-separated fields, in either of its published layouts:
//
//	master_id sample_id YYYYMMDD number_of_cds dollar_value   (the 1/10th sample, CDNOW_sample.txt)
//	customer_id YYYYMMDD number_of_cds dollar_value           (the full log, CDNOW_master.txt)
//
// The first line may be a header naming the columns (as re-published copies have, e.g.
// "customer_id date cds dollars"); it is skipped. The layout is the first line's and holds
// for the whole file. The customer is the first field as written (leading zeros kept) and
// the time is midnight UTC of the date; number_of_cds is checked but not returned. Blank
// lines are skipped. Errors name the offending line.
func ReadCDNOW(r io.Reader) ([]Transaction, error) {
	var out []Transaction
	sc := bufio.NewScanner(r)
	line, width := 0, 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text()) // also drops the CR of CRLF files
		if len(f) == 0 {
			continue
		}
		if width == 0 {
			if len(f) != 4 && len(f) != 5 {
				return nil, fmt.Errorf("clv: cdnow line %d: want 5 fields (master_id sample_id YYYYMMDD number_of_cds dollar_value) or 4 (customer_id YYYYMMDD number_of_cds dollar_value), got %d", line, len(f))
			}
			width = len(f)
			if isHeader(f) {
				continue
			}
		}
		if len(f) != width {
			return nil, fmt.Errorf("clv: cdnow line %d: want %d fields (%s) as on the first line, got %d", line, width, layout(width), len(f))
		}
		date, cds, dollars := f[width-3], f[width-2], f[width-1]
		at, err := time.Parse("20060102", date)
		if err != nil {
			return nil, fmt.Errorf("clv: cdnow line %d: bad date %q: want YYYYMMDD", line, date)
		}
		if n, err := strconv.Atoi(cds); err != nil || n < 0 {
			return nil, fmt.Errorf("clv: cdnow line %d: bad number_of_cds %q", line, cds)
		}
		amount, err := strconv.ParseFloat(dollars, 64)
		if err != nil || math.IsNaN(amount) || math.IsInf(amount, 0) {
			return nil, fmt.Errorf("clv: cdnow line %d: bad dollar_value %q", line, dollars)
		}
		out = append(out, Transaction{Customer: f[0], At: at, Amount: amount})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("clv: cdnow line %d: %w", line+1, err)
	}
	return out, nil
}

// isHeader tells a line of column names: no field is a number.
func isHeader(f []string) bool {
	for _, v := range f {
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return false
		}
	}
	return true
}

func layout(width int) string {
	if width == 4 {
		return "customer_id YYYYMMDD number_of_cds dollar_value"
	}
	return "master_id sample_id YYYYMMDD number_of_cds dollar_value"
}
