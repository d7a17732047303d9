-- hex_cell (migration 120) with an SQL-standard body (`RETURN …`) instead of a string body. A string body is
-- parsed at each use under the caller's search_path: pg_dump restores with an empty search_path, so a dump of the
-- database did not restore ("function st_x(public.geometry) does not exist" while filling the generated columns).
-- A standard body is parsed once, here, with its references resolved and recorded as dependencies; pg_dump writes
-- them schema-qualified. PostgreSQL still inlines it into the generated columns and queries (EXPLAIN VERBOSE shows
-- the expression, no function call). Same expression, same results: the stored ids do not change.
CREATE OR REPLACE FUNCTION hex_cell(geom geometry, size float8) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN floor((floor(((ST_X(geom) - 112::float8) * 98631.24076326523::float8 / size)
               + ((ST_Y(geom) - 27.5::float8) * 111195.0802335329::float8 / (1.7320508075688772::float8 * size)))
         + floor(((ST_X(geom) - 112::float8) * 98631.24076326523::float8 / size)
                 - ((ST_Y(geom) - 27.5::float8) * 111195.0802335329::float8 / (1.7320508075688772::float8 * size)))
         + 2::float8) / 3::float8)::bigint * 4294967296
       + floor((floor(((ST_Y(geom) - 27.5::float8) * 111195.0802335329::float8 / (1.7320508075688772::float8 * size))
               - ((ST_X(geom) - 112::float8) * 98631.24076326523::float8 / size))
         + floor(2::float8 * ((ST_Y(geom) - 27.5::float8) * 111195.0802335329::float8 / (1.7320508075688772::float8 * size)))
         + 2::float8) / 3::float8)::bigint;
