"""The data format: pydantic models, deadlines, KPI targets, agencies, config; DataSet."""
