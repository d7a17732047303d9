-- Police stations (派出所), judicial offices (司法所), joint mediation rooms (警司联调室), court tribunals
-- (人民法庭), village mediation committees (村调委会).
CREATE TABLE stations (
  id               serial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('police_station', 'judicial_office', 'joint_mediation_room',
                                                 'court_tribunal', 'village_mediation_committee')),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  town_code        text NOT NULL REFERENCES admin_units (code),
  geom             geometry(Point, 4326) NOT NULL,
  staff_count      integer NOT NULL DEFAULT 0 CHECK (staff_count >= 0),
  opened_on        date,
  -- A joint mediation room is hosted by a police station and staffed from a judicial office.
  host_station_id  integer REFERENCES stations (id),
  staffed_by_id    integer REFERENCES stations (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stations_geom_idx ON stations USING gist (geom);
CREATE INDEX stations_town_idx ON stations (town_code);
