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

// ReadCDNOW parses the CDNOW transaction log of Fader and Hardie: one
// purchase per line as five whitespace-separated fields
//
//	master_id sample_id YYYYMMDD number_of_cds dollar_value
//
// The customer is master_id as written (leading zeros kept) and the time is
// midnight UTC of the date; number_of_cds is checked but not returned.
// Blank lines are skipped. Errors name the offending line.
func ReadCDNOW(r io.Reader) ([]Transaction, error) {
	var out []Transaction
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text()) // also drops the CR of CRLF files
		if len(f) == 0 {
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("clv: cdnow line %d: want 5 fields (master_id sample_id YYYYMMDD number_of_cds dollar_value), got %d", line, len(f))
		}
		at, err := time.Parse("20060102", f[2])
		if err != nil {
			return nil, fmt.Errorf("clv: cdnow line %d: bad date %q: want YYYYMMDD", line, f[2])
		}
		if n, err := strconv.Atoi(f[3]); err != nil || n < 0 {
			return nil, fmt.Errorf("clv: cdnow line %d: bad number_of_cds %q", line, f[3])
		}
		amount, err := strconv.ParseFloat(f[4], 64)
		if err != nil || math.IsNaN(amount) || math.IsInf(amount, 0) {
			return nil, fmt.Errorf("clv: cdnow line %d: bad dollar_value %q", line, f[4])
		}
		out = append(out, Transaction{Customer: f[0], At: at, Amount: amount})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("clv: cdnow line %d: %w", line+1, err)
	}
	return out, nil
}
