-- The case dossier (卷宗, issue 18): the ministry's checklist, one row per item a person has marked (an item not
-- marked is worked out from the case's data), and judicial confirmation (司法确认) of an agreement.
CREATE TABLE dossier_items (
  dispute_id bigint NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
  item       text NOT NULL CHECK (item IN ('application', 'rights_notice', 'identity_documents', 'investigation',
                                           'mediation_record', 'agreement', 'performance_proof', 'follow_up_record',
                                           'judicial_confirmation')),
  state      text NOT NULL CHECK (state IN ('present', 'missing', 'not_applicable')),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dispute_id, item)
);

CREATE TABLE judicial_confirmations (
  id          bigserial PRIMARY KEY,
  dispute_id  bigint NOT NULL UNIQUE REFERENCES disputes (id) ON DELETE CASCADE,
  applied_on  date NOT NULL,
  court       text NOT NULL CHECK (length(court) BETWEEN 1 AND 100),
  result      text NOT NULL CHECK (result IN ('pending', 'confirmed', 'rejected')),
  decided_on  date,
  actor       text NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (decided_on IS NULL OR decided_on >= applied_on),
  CHECK ((result = 'pending') = (decided_on IS NULL))
);
