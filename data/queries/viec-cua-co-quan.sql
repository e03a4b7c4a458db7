-- title: Việc chưa xong của một cơ quan
-- description: Nhiệm vụ chưa hoàn thành do một cơ quan chủ trì (tên hiện hành, sau hợp
--   nhất), quá hạn trước rồi theo hạn; kèm tiến độ và lần cập nhật gần nhất.
-- param: lead Tên cơ quan chủ trì như trong danh mục, ví dụ "Bộ Tài chính"
SELECT id, title, due, class, days_overdue, days_left, progress, last_update
FROM tasks
WHERE lead_agency = $lead
  AND class IN ('overdue', 'due_soon', 'on_track', 'no_deadline')
ORDER BY class <> 'overdue', days_overdue DESC NULLS LAST, due NULLS LAST, id
