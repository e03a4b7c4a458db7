-- title: Chỉ tiêu chậm tiến độ hoặc chưa có số liệu
-- description: Chỉ tiêu chậm so với lộ trình đến mục tiêu (hoặc chưa đạt khi đã hết năm
--   mục tiêu), và chỉ tiêu định lượng chưa có số đo nào; theo năm mục tiêu, kèm cơ quan
--   theo dõi, số đo gần nhất và giá trị lẽ ra phải đạt theo lộ trình.
SELECT id, name, target, year, owner_agency, latest_value, latest_date,
       pace_expected, pace
FROM kpis
WHERE off_track OR (assessment = 'no_data' AND NOT target_qualitative)
ORDER BY off_track DESC, year, id
