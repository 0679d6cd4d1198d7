-- Row 201 (一般公共服务支出) across years: its line in the summary table of every
-- document, final accounts (决算数) and budgets (预算数) side by side.
SELECT year, kind, department, col, amount, unit
FROM 'facts.parquet'
WHERE "row" = '201' AND "table" IN ('income_expenditure_summary', 'budget_income_expenditure_summary')
ORDER BY year, kind, department;
