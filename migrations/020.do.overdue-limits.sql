-- Overdue limits per dispute category (days an open case may stay open before it counts as overdue).
-- A setting, not code: a county changes it with an UPDATE. The defaults follow the People's Mediation Law's
-- 30-day norm, shorter for matters that escalate fast (medical, labour & wages, traffic accidents).
CREATE TABLE overdue_limits (
  category  text PRIMARY KEY CHECK (category IN ('neighbour', 'marriage_family', 'land_forest', 'medical',
              'labour_wages', 'contract_debt', 'traffic_accident', 'property_management', 'other')),
  days      integer NOT NULL CHECK (days > 0 AND days <= 3650)
);
INSERT INTO overdue_limits (category, days) VALUES
  ('neighbour', 30), ('marriage_family', 30), ('land_forest', 45), ('medical', 15), ('labour_wages', 15),
  ('contract_debt', 30), ('traffic_accident', 20), ('property_management', 30), ('other', 30);
