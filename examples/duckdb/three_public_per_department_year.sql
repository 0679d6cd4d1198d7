-- 三公 决算数 per department and year: the printed 合计 of the 三公 table's actual half
-- (a 三公 table printed with blank 决算数 cells counts 0: a blank cell is no fact).
SELECT department, year,
       coalesce(sum(amount) FILTER (WHERE col = '决算数/合计'), 0) AS 三公决算数,
       any_value(unit) AS unit
FROM 'facts.parquet'
WHERE "table" = 'three_public'
GROUP BY department, year
ORDER BY year, department;
