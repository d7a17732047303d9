-- PostGIS: the server needs it installed (Debian postgresql-15-postgis-3); PGlite loads it as an extension.
CREATE EXTENSION IF NOT EXISTS postgis;
