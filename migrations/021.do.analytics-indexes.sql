-- The analytics filter by category and time together (monthly series, category mix, hotspots of one category).
CREATE INDEX disputes_category_reported_idx ON disputes (category, reported_at);
