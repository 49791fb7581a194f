-- Issue 18: one transition, however many data planes report it. A node's report joins the transition
-- another node reported shortly before for the same backend and new state; transition_id is the id of
-- that transition's first report (NULL: this report is the first of its transition).
ALTER TABLE health_event ADD COLUMN transition_id bigint;
CREATE INDEX health_event_transition ON health_event ((COALESCE(transition_id, id)));
