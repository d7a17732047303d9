-- County / town (街道, 镇, 乡) / village (村, 社区), keyed by the official statistical division code
-- (6 digits for a county, 9 for a town, 12 for a village, as published).
CREATE TABLE admin_units (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level       text NOT NULL CHECK (level IN ('county', 'town', 'village')),
  parent_code text REFERENCES admin_units (code),
  -- SRID 4326 (WGS-84 ≈ CGCS2000 at this precision): what GPS, GeoJSON and the map speak.
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  label_point geometry(Point, 4326) NOT NULL,
  area_km2    double precision GENERATED ALWAYS AS (ST_Area(geom::geography) / 1e6) STORED,
  -- The county is the root of this database (its prefecture is out of scope).
  CHECK ((level = 'county') = (parent_code IS NULL))
);
CREATE INDEX admin_units_geom_idx ON admin_units USING gist (geom);
CREATE INDEX admin_units_parent_idx ON admin_units (parent_code);
CREATE INDEX admin_units_level_idx ON admin_units (level);
