-- title: Chỉ tiêu chưa đạt hoặc chưa có số liệu
-- description: Chỉ tiêu có giá trị đo gần nhất chưa đạt chỉ tiêu, hoặc chưa có số đo nào,
--   theo năm mục tiêu; kèm cơ quan theo dõi và ngày đo gần nhất.
SELECT id, name, target, year, owner_agency, latest_value, latest_date, assessment
FROM kpis
WHERE assessment IN ('not_met', 'no_data') AND NOT target_qualitative
ORDER BY assessment DESC, year, id
