package pipeline

// Log field names, shared by every line the pipeline writes so that log queries stay stable.
const (
	FieldRunID            = "run_id"
	FieldPath             = "path"
	FieldStage            = "stage"
	FieldPlace            = "place"
	FieldReason           = "reason"
	FieldSHA256           = "sha256"
	FieldStatus           = "status"
	FieldInputs           = "inputs"
	FieldReports          = "reports"
	FieldHistory          = "history"
	FieldRejected         = "rejected"
	FieldDuplicateFiles   = "duplicate_files"   // inputs that gave nothing new
	FieldDuplicateReports = "duplicate_reports" // reports of a unit and year an earlier file holds
	FieldAction           = "action"
	FieldStep             = "step"
	FieldFindingsError    = "findings_error"
	FieldFindingsWarning  = "findings_warning"
	FieldOutputs          = "outputs"
	FieldOut              = "out"
	FieldWorkers          = "workers"
	FieldElapsedMS        = "elapsed_ms"
	FieldReportsPerSecond = "reports_per_second"
	FieldPeakRSSBytes     = "peak_rss_bytes"
	FieldLiveHeapBytes    = "live_heap_bytes"    // what stayed live after the last collection
	FieldMemoryLimitBytes = "memory_limit_bytes" // the soft memory limit (GOMEMLIMIT)
	FieldRemoved          = "removed"
	FieldCached           = "cached" // inputs taken from the incremental cache
	FieldStack            = "stack"
)
