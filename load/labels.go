package load

import (
	"strings"

	"github.com/govreports/govreports/transform"
)

// English meanings of the canonical keys, for the description metadata of generated columns. The
// Chinese labels come from transform's tables; only the English lives here. A key missing from a map
// falls back to its words (TestEnglishCoversEveryKey keeps the maps complete).

var t2RowEnglish = map[string]string{
	"rules":                   "regulations (规章)",
	"normative_documents":     "normative documents",
	"licensing":               "administrative licensing",
	"penalty":                 "administrative penalties",
	"coercion":                "administrative coercive measures",
	"admin_fees":              "administrative and institutional fees",
	"other_external_services": "other external management services",
	"central_procurement":     "centralised government procurement",
}

var t2ColEnglish = map[string]string{
	"issued":           "documents issued this year",
	"repealed":         "documents repealed this year",
	"in_force":         "documents in force at year end",
	"decisions":        "decisions made this year",
	"amount_wan_yuan":  "amount in 万元 (10,000 CNY)",
	"newly_made":       "documents newly made this year",
	"newly_published":  "documents newly published this year",
	"published_total":  "documents published in total",
	"prior_year_items": "items in the previous year",
	"change":           "change this year (signed)",
	"projects":         "procurement projects",
}

var t3RowEnglish = map[string]string{
	"new_received":                "new applications received this year",
	"carried_over":                "applications carried over from last year",
	"granted":                     "granted in full",
	"partially_granted":           "granted in part",
	"withheld_state_secret":       "withheld: state secret",
	"withheld_law_prohibited":     "withheld: prohibited by other laws and regulations",
	"withheld_security_stability": "withheld: endangers security or stability",
	"withheld_third_party":        "withheld: protects a third party's lawful rights",
	"withheld_internal_affairs":   "withheld: internal affairs information",
	"withheld_process_info":       "withheld: process information",
	"withheld_enforcement_file":   "withheld: administrative enforcement file",
	"withheld_query_matter":       "withheld: administrative query matter",
	"unavailable_not_held":        "unavailable: the organ does not hold the information",
	"unavailable_needs_creation":  "unavailable: would have to be newly produced",
	"unavailable_still_unclear":   "unavailable: still unclear after correction",
	"rejected_petition":           "not processed: petition, report or complaint",
	"rejected_duplicate":          "not processed: duplicate application",
	"rejected_publication":        "not processed: asks for public publications",
	"rejected_excessive":          "not processed: excessive repeated applications",
	"rejected_reconfirmation":     "not processed: asks to confirm or reissue information already obtained",
	"other_no_correction":         "other: applicant did not correct the application in time",
	"other_fee_unpaid":            "other: applicant did not pay the fee in time",
	"other_other":                 "other: other outcomes",
	"total_processed":             "total processed",
	"carried_forward":             "carried forward to next year",
	"other_total":                 "other outcomes in total",
}

var t3ColEnglish = map[string]string{
	"natural_person":        "natural persons",
	"commercial_enterprise": "commercial enterprises",
	"research_institution":  "research institutions",
	"social_welfare_org":    "social welfare organisations",
	"legal_service_org":     "legal service organisations",
	"other_org":             "other organisations",
	"total":                 "all applicants",
}

var t4BlockEnglish = map[string]string{
	"review":                  "administrative reconsideration",
	"litigation_direct":       "administrative litigation without prior reconsideration",
	"litigation_after_review": "administrative litigation after reconsideration",
}

var t4OutcomeEnglish = map[string]string{
	"upheld":    "decision upheld",
	"corrected": "decision corrected",
	"other":     "other result",
	"pending":   "not yet concluded",
	"total":     "total",
}

// english returns the English meaning of key, or its words when the map lacks it.
func english(m map[string]string, key string) string {
	if s, ok := m[key]; ok {
		return s
	}
	return strings.ReplaceAll(key, "_", " ")
}

func t2Description(f transform.T2Field) string {
	s := "Table 2 " + f.Block + ": " + english(t2RowEnglish, f.Row) + ", " + english(t2ColEnglish, f.Col)
	if f.Version == transform.Gov2019 {
		s += "; 2019 trial format only, null for other reports"
	}
	return s
}

func t3Description(row, col int) string {
	return "Table 3: " + english(t3RowEnglish, transform.T3Rows[row].Key) + ", " +
		english(t3ColEnglish, transform.T3Cols[col].Key)
}

func t3Label(row, col int) string {
	return "表三 " + transform.T3Rows[row].CN + " " + transform.T3Cols[col].CN
}

func t4Description(i int) string {
	return "Table 4: " + english(t4BlockEnglish, transform.T4Blocks[i/5].Key) + ", " +
		english(t4OutcomeEnglish, transform.T4Outcomes[i%5].Key)
}
