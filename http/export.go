package http

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/internal/csvsafe"
)

// exportColumns are the fields an export carries, in order.
var exportColumns = []string{"customer_id", "full_name", "email", "phone", "city", "country", "rfm_segment", "churn_band", "clv", "churn_risk"}

// exportRow is a member's row as the caller may see it: personal columns go through the
// same policy as the GraphQL fields they come from.
func exportRow(pol *policy, pr *cdp.Principal, c *cdp.Customer) []string {
	row := []string{c.ID, pol.maskField(pr, "Profile.fullName", c.Profile.FullName), pol.maskField(pr, "Profile.email", c.Profile.Email),
		pol.maskField(pr, "Profile.phone", c.Profile.Phone), c.Profile.City, c.Profile.Country, "", "", "", ""}
	if m := c.Metrics; m != nil {
		if m.RFM != nil {
			row[6] = m.RFM.Segment
		}
		row[7] = m.ChurnBand
		if m.CLV != nil {
			row[8] = strconv.FormatFloat(*m.CLV, 'f', 2, 64)
		}
		if m.ChurnRisk != nil {
			row[9] = strconv.FormatFloat(*m.ChurnRisk, 'f', 4, 64)
		}
	}
	return row
}

// exportSegment streams a saved segment's members as CSV or NDJSON, 5,000 per read, so
// an export of any size holds one page in memory. Admins and analysts may export (as they
// may read Segment.members); every export is in the audit log.
func exportSegment(store cdp.SegmentStore, pol *policy, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		pr := cdp.PrincipalFrom(req.Context())
		if rule := pol.rules["Query.segment"]; !rule.roles.has(pr.Role) {
			writeText(w, http.StatusForbidden, "the "+string(pr.Role)+" role may not export segments")
			return
		}
		id, format := req.PathValue("id"), strings.TrimPrefix(req.PathValue("file"), "members.")
		if req.PathValue("file") != "members."+format || (format != "csv" && format != "ndjson") {
			writeText(w, http.StatusNotFound, "export as members.csv or members.ndjson")
			return
		}
		segs, err := store.SegmentsByIDs(req.Context(), []string{id})
		if err != nil {
			exportFailed(w, log, err)
			return
		}
		if segs[id] == nil {
			writeText(w, http.StatusNotFound, "no segment "+id)
			return
		}
		if pol.access.Audit != nil {
			// Recorded before the first row leaves: an export that cannot be audited does not start.
			if err := pol.access.Audit.WriteAudit(req.Context(), []cdp.AuditEntry{{ID: cdp.NewAuditID(), At: time.Now().UTC(), Actor: pr.Subject,
				Role: pr.Role, Action: "segment.export", Detail: "segment=" + id + "; format=" + format + "; raw personal data: " + strconv.FormatBool(pr.RawPII())}}); err != nil {
				exportFailed(w, log, err)
				return
			}
		}
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/x-ndjson")
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+id+"."+format+`"`)
		// Cells a spreadsheet would evaluate (a city "=HYPERLINK(...)") are neutralized.
		cw, enc := csvsafe.NewWriter(w), json.NewEncoder(w)
		if format == "csv" {
			_ = cw.Write(exportColumns)
		}
		page := cdp.PageArgs{First: 5000}
		for {
			p, err := store.SegmentMembers(req.Context(), id, page)
			if err != nil {
				// Headers are sent; the truncated body is all the client can be told.
				log.Error("segment export failed midway", "segment", id, "err", err)
				return
			}
			for _, c := range p.Items {
				row := exportRow(pol, pr, c)
				if format == "csv" {
					_ = cw.Write(row)
					continue
				}
				obj := make(map[string]string, len(row))
				for i, col := range exportColumns {
					if row[i] != "" {
						obj[col] = row[i]
					}
				}
				_ = enc.Encode(obj)
			}
			cw.Flush()
			if !p.HasNextPage {
				return
			}
			page.After = p.Cursors[len(p.Cursors)-1]
		}
	}
}

func exportFailed(w http.ResponseWriter, log *slog.Logger, err error) {
	var e *cdp.Error
	if errors.As(err, &e) && e.Code == cdp.EUNAVAILABLE {
		writeText(w, http.StatusServiceUnavailable, e.Message)
		return
	}
	log.Error("segment export failed", "err", err)
	writeText(w, http.StatusInternalServerError, "internal error")
}
