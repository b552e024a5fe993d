-- Samples stored before this column existed do not say which type of step made them,
-- and inferring it from today's draft would vouch for exactly the stale rows the column
-- is here to catch (an id reused, a type changed). They are only examples: the next
-- test or run of each step makes a new one.
DELETE FROM "flow_step_samples";

-- AlterTable
ALTER TABLE "flow_step_samples" ADD COLUMN     "nodeType" TEXT NOT NULL;
