-- Whether pledging is open is public (home page, scoreboard JSON), and an admin's override of
-- the deadline is stored in app_settings: a change there must move the board's version too, so
-- that cached public pages drop at once. Any setting counts: a cache drop costs one re-render,
-- a stale "pledging is open" misleads the public.
CREATE TRIGGER "app_settings_bump_board_version" AFTER INSERT OR UPDATE OR DELETE ON "app_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_version"();
