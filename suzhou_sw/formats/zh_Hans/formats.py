"""Number formats for Chinese pages. Django's zh_Hans locale sets no thousands separator; the bureau's
budgets, contracts and payment records write amounts as 1,000,000.00 (groups of three, comma). Everything not
set here comes from Django's own zh_Hans formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
