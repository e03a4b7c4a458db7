-- title: Nhiệm vụ quá hạn theo cơ quan chủ trì
-- description: Mỗi cơ quan chủ trì (tên hiện hành, sau hợp nhất): số nhiệm vụ quá hạn,
--   số quá hạn trên min_days ngày, số ngày trễ nhiều nhất và tiến độ trung bình.
--   Nhiều nhất trước.
-- param: min_days=90 Ngưỡng "quá hạn lâu" (ngày)
SELECT
    coalesce(lead_agency, '(chưa rõ cơ quan chủ trì)') AS co_quan,
    count(*) AS qua_han,
    count(*) FILTER (WHERE days_overdue > CAST($min_days AS INTEGER)) AS qua_han_lau,
    max(days_overdue) AS tre_nhieu_nhat,
    round(avg(progress)) AS tien_do_tb
FROM tasks
WHERE class = 'overdue'
GROUP BY ALL
ORDER BY qua_han DESC, co_quan
