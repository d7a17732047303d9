-- A station whose point lies outside the town it is registered to is kept but flagged, as disputes are: a room
-- may legitimately stand just across a town line (e.g. in the neighbouring seat), and a leader should see it.
ALTER TABLE stations ADD COLUMN location_mismatch boolean NOT NULL DEFAULT false;
